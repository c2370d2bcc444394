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
 * invisible travels into the case system unseen), but IBANs without their grouping spaces.
 */
export function copyText(value: DisplayValue): string {
  if (value.kind === 'iban') return visibleText(value.raw.replace(/\s+/g, ''));
  return visibleText(value.display, { lineBreaks: true });
}

/** "Block kopieren": label TAB value per line; the section title on its own line where a card has several. */
export function blockText(card: Card, language: 'de' | 'en'): string {
  const lines: string[] = [];
  for (const section of card.sections) {
    if (card.sections.length > 1) lines.push(visibleText(section.title[language]));
    // one line per field: a line break or tab inside a value is shown as its token here
    for (const field of section.fields) lines.push(`${visibleText(field.label[language])}\t${visibleText(copyText(field.value))}`);
  }
  return lines.join('\n');
}
