/**
 * The codes of what active content a document holds (core/xsozial/active-content.ts decides them from the bytes),
 * declared once for the reader and the contract (core/api/contract/active-content.ts); universal, no Node.
 */
export const ACTIVE_CONTENT_CODES = [
  'pdf-javascript',
  'pdf-launch',
  'pdf-embedded-file',
  'pdf-form-action',
  'office-macros',
  'office-activex',
  'rtf-object',
  'markup',
  'script',
  'executable',
  'shortcut',
  'archive',
  'unknown-compound',
  'not-checked',
] as const;
export type ActiveContentCode = (typeof ACTIVE_CONTENT_CODES)[number];
