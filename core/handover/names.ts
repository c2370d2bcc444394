/**
 * Names inside the hand-over folder. A delivery's folder is named after its OSCI message id (the one key that never
 * changes; the Eingang may still be learnt later), in a safe alphabet: letters, digits, "-" and "_"; any other
 * character becomes "_" and a short hash of the real id keeps such names apart. Beside the folder: `<name>.done` (written last:
 * what the case system waits for) or `<name>.error`. Work in progress is `.<name>.tmp-<random>` (hidden on Linux,
 * never ending in `.done`): the case system reads none of it, and the next run removes it.
 */
import { createHash, randomBytes } from 'node:crypto';

export const DONE_SUFFIX = '.done';
export const ERROR_SUFFIX = '.error';
export const MANIFEST_FILE = 'manifest.json';
export const XML_FILE = 'Antrag.xml';
export const PDF_FILE = 'Antrag.pdf';
export const ATTACHMENTS_FOLDER = 'Anlagen';
/** A repeat on request: `<name>-erneut-<n>`. */
export const AGAIN_INFIX = '-erneut-';

export function deliveryFolderName(messageId: string): string {
  const safe = messageId.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 100);
  if (safe === messageId && safe !== '') return safe;
  return `${safe}-${createHash('sha256').update(messageId).digest('hex').slice(0, 12)}`;
}

export function againFolderName(name: string, n: number): string {
  return `${name}${AGAIN_INFIX}${n}`;
}

/** Everything temporary of one delivery's name starts so (its folder's and its markers' temporary names). */
export function tempPrefix(name: string): string {
  return `.${name}.`;
}

export function tempName(name: string): string {
  return `${tempPrefix(name)}tmp-${randomBytes(6).toString('hex')}`;
}
