/**
 * What each part of a delivery is (DESIGN.md "Signature coverage"): its role — the application shown, an attachment
 * of it, an extra part that belongs to neither — and its coverage status, as stable codes (the store keeps the
 * codes, never the words; the words are words/de.ts and words/en.ts). No Node and no DOM here (runs anywhere).
 */

/** The application shown, an attachment of it (referenced from its container), an extra part, or the delivery as received. */
export const PART_ROLES = ['application', 'attachment', 'extra', 'received'] as const;
export type PartRole = (typeof PART_ROLES)[number];

/**
 * - signed: a valid author signature covers it (which one: the part's signature indexes);
 * - unsigned: no signature above it; not-covered: its container is signed, but the signature does not cover it;
 * - digest-mismatch: a signature references it, but its bytes do not match (changed after signing);
 * - signature-invalid: covered by a signature whose value does not verify;
 * - undecryptable: an attachment the signed container's key does not open (encrypted by someone else); kept as received;
 * - duplicate: a byte-identical copy of a part of the application (e.g. a duplicated signed container);
 * - as-received: the delivery kept as it came ("nicht lesbar"): no statement about signatures;
 * - before-coverage: stored before per-part coverage was recorded (store migration 10): not known.
 */
export const COVERAGE_STATUSES = [
  'signed',
  'unsigned',
  'not-covered',
  'digest-mismatch',
  'signature-invalid',
  'undecryptable',
  'duplicate',
  'as-received',
  'before-coverage',
] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** What the author signature covers of one part: role and status, the covering signatures (indexes into the checks), where it sat. */
export interface PartCoverageFacts {
  /** null: stored before per-part coverage was recorded. */
  readonly role: PartRole | null;
  readonly status: CoverageStatus;
  readonly signatures: readonly number[];
  readonly container: string | null;
  readonly contentId: string | null;
}

/** ok: signed part of the application · bad: altered, foreign, invalid · warn: everything else that is not vouched for. */
export function coverageTone(status: CoverageStatus, role: PartRole | null): 'ok' | 'warn' | 'bad' {
  if (status === 'signed') return role === 'extra' ? 'warn' : 'ok';
  if (status === 'digest-mismatch' || status === 'signature-invalid' || status === 'undecryptable') return 'bad';
  return 'warn';
}

/**
 * Prefix of an extra part's file name in the attachment export (ASCII: the names go into e-files and zip tools), and
 * the subfolder extra parts go to. Parts of the application shown that are signed keep their plain name at the top.
 * File names, not sentences: the same in every language.
 */
export const EXTRA_PARTS_FOLDER = 'Weitere-Teile-nicht-Antrag';

export const EXPORT_PREFIX: Readonly<Record<CoverageStatus, string>> = {
  signed: 'signiert-nicht-Antrag',
  unsigned: 'nicht-signiert',
  'not-covered': 'nicht-erfasst',
  'digest-mismatch': 'veraendert',
  'signature-invalid': 'Signatur-ungueltig',
  undecryptable: 'fremd-verschluesselt',
  duplicate: 'Duplikat',
  'as-received': 'wie-empfangen',
  'before-coverage': 'ungeprueft',
};
