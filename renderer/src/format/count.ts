/**
 * Whole numbers as the caseworker reads them ("100.000" / "100,000"), through one cached Intl.NumberFormat per
 * locale. `n.toLocaleString(locale)` gives the same text but sets up a new formatter at every call (about 1 ms of
 * the page's main thread each): the list's count, its label and the views' counts are written again with every
 * query at 100,000 messages.
 */
const formats = new Map<string, Intl.NumberFormat>();

export function formatCount(n: number, locale: string): string {
  let f = formats.get(locale);
  if (f === undefined) formats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
}
