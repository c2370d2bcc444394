/** The shapes of a message as the contract delivers it (derived from its schemas, never written twice). */
import type { MethodOutput } from '../../../core/api/contract.js';

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

/** What goes to the clipboard for a value: what is shown, but IBANs without their grouping spaces. */
export function copyText(value: DisplayValue): string {
  if (value.kind === 'iban') return value.raw.replace(/\s+/g, '');
  return value.display;
}

/** "Block kopieren": label TAB value per line; the section title on its own line where a card has several. */
export function blockText(card: Card, language: 'de' | 'en'): string {
  const lines: string[] = [];
  for (const section of card.sections) {
    if (card.sections.length > 1) lines.push(section.title[language]);
    for (const field of section.fields) lines.push(`${field.label[language]}\t${copyText(field.value)}`);
  }
  return lines.join('\n');
}
