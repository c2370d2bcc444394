/** The shapes of a message as the contract delivers it (derived from its schemas, never written twice). */
import type { MethodOutput } from '../../../core/api/contract.js';
import { visibleText } from '../../../core/visible-text.js';

export type Detail = MethodOutput<'messages.detail'>;
export type View = NonNullable<Detail['view']>;
export type Card = View['cards'][number];
export type Section = Card['sections'][number];
export type Field = Section['fields'][number];
export type DisplayValue = Field['value'];
export type TreeNode = View['tree'];
export type DocumentEntry = Detail['documents'][number];
export type SignatureCheck = Detail['signatures'][number];
export type Inspection = Detail['inspections'][number];
export type ListItem = Detail['item'];

/**
 * What goes to the clipboard for a value: what is shown (hidden characters as their visible tokens, so nothing
 * invisible travels into the case system unseen), but IBANs without their grouping spaces — always in Unicode NFC,
 * so "Müller" goes out as one ü (bytes c3 bc) whatever the message wrote (u + combining diaeresis): duplicate
 * checks and Latin-1 fields of case systems see the same name.
 */
export function copyText(value: DisplayValue): string {
  if (value.kind === 'iban') return visibleText(value.raw.replace(/\s+/g, '')).normalize('NFC');
  return visibleText(value.display, { lineBreaks: true }).normalize('NFC');
}

/** An empty value: left out of "Block kopieren" unless every value is asked for. */
export function isEmptyValue(value: DisplayValue): boolean {
  return value.kind === 'empty' || value.display.trim() === '';
}

export interface BlockOptions {
  /** Every value: empty ones, technical ids and the "Alle Angaben" sections too. */
  readonly all?: boolean;
  /** The word for an empty value (only with `all`). */
  readonly noValue?: string;
}

/**
 * "Block kopieren": label TAB value per line; the section title on its own line where several sections are
 * copied. By default what the block shows first (its summary, or its only section), without empty values and
 * technical ids; `all` copies every section and value. In NFC, like every copied text.
 */
export function blockText(card: Card, language: 'de' | 'en', options: BlockOptions = {}): string {
  const all = options.all === true;
  const hasSummary = card.sections.some((s) => s.role === 'summary');
  const sections = all ? card.sections : card.sections.filter((s) => (hasSummary ? s.role === 'summary' : s.role !== 'all'));
  const lines: string[] = [];
  for (const section of sections) {
    const fields = all ? section.fields : section.fields.filter((f) => !isEmptyValue(f.value) && f.technical !== true);
    if (fields.length === 0) continue;
    if (sections.length > 1) lines.push(visibleText(section.title[language]));
    // one line per field: a line break or tab inside a value is shown as its token here (an address block is
    // written on one line, its lines joined by ", ")
    for (const field of fields) {
      const value = isEmptyValue(field.value) ? (options.noValue ?? '') : field.value.kind === 'address' ? copyText(field.value).split('\n').join(', ') : copyText(field.value);
      lines.push(`${visibleText(field.label[language])}\t${visibleText(value)}`);
    }
  }
  return lines.join('\n').normalize('NFC');
}

/**
 * A card on paper (print): every section, each value once — the "Alle Angaben" sections without the values the
 * summary already shows (an address block stands for its parts).
 */
export function paperSections(card: Card): Section[] {
  const shown = new Set<string>();
  for (const s of card.sections) if (s.role !== 'all') for (const f of s.fields) for (const id of [f.id, ...(f.covers ?? [])]) shown.add(id);
  return card.sections.map((s) => (s.role === 'all' ? { ...s, fields: s.fields.filter((f) => !shown.has(f.id)) } : s)).filter((s) => s.fields.length > 0);
}
