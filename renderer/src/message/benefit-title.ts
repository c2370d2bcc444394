/**
 * The title of an application in the reading pane: the benefit's SHORT name (the code list's word for the
 * vorgangsTyp, e.g. "Hilfe zum Lebensunterhalt (SGB XII)"), not the product's full name, which can run to 140
 * characters and wrap over nine lines in a narrow pane. The full name stays one click away ("Vollständige
 * Bezeichnung") whenever it says more than the title.
 */

/** At most this many characters of a product name stand in the title when there is no code-list word. */
const SHORT_CHARS = 60;

/** The short form of a long product name: up to its first bracket or dash, else cut at a word, with "…". */
export function shortName(name: string): string {
  const text = name.trim();
  if (text.length <= SHORT_CHARS) return text;
  const cut = /\s[(–—-]\s?|,\s/.exec(text);
  if (cut !== null && cut.index >= 8 && cut.index <= SHORT_CHARS) return text.slice(0, cut.index);
  const space = text.lastIndexOf(' ', SHORT_CHARS);
  return `${text.slice(0, space > 20 ? space : SHORT_CHARS)} …`;
}

export interface BenefitTitle {
  readonly title: string;
  /** The full product name, when it says more than the title. */
  readonly fullName: string | undefined;
}

export function benefitTitle(codeListText: string | undefined, product: string | undefined, fallback: string): BenefitTitle {
  const full = product?.trim() || codeListText?.trim() || undefined;
  const title =
    codeListText !== undefined && codeListText.trim() !== '' && codeListText.length <= SHORT_CHARS ? codeListText.trim() : full === undefined ? fallback : shortName(full);
  return { title, fullName: full !== undefined && full !== title ? full : undefined };
}
