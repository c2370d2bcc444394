/**
 * What each part of a delivery is (DESIGN.md "Signature coverage"): its role — the application shown, an attachment
 * of it, an extra part that belongs to neither — and its coverage status, as stable codes (the store keeps the
 * codes, never the words) with German and English words for the UI, the CLI, the PDF and the receipt. No Node and
 * no DOM here (the renderer imports this file).
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
export const COVERAGE_STATUSES = ['signed', 'unsigned', 'not-covered', 'digest-mismatch', 'signature-invalid', 'undecryptable', 'duplicate', 'as-received', 'before-coverage'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

export interface CoverageWords {
  readonly de: string;
  readonly en: string;
}

const STATUS_WORDS: Readonly<Record<CoverageStatus, CoverageWords>> = {
  signed: { de: 'signiert', en: 'signed' },
  unsigned: { de: 'nicht signiert', en: 'not signed' },
  'not-covered': { de: 'nicht von der Signatur erfasst', en: 'not covered by the signature' },
  'digest-mismatch': { de: 'verändert – passt nicht zur Signatur', en: 'altered – does not match the signature' },
  'signature-invalid': { de: 'Signatur ungültig', en: 'signature invalid' },
  undecryptable: { de: 'fremd verschlüsselt – nicht mit dem Schlüssel des Absenders lesbar, so wie empfangen gespeichert', en: "encrypted by someone else – not readable with the sender's key, kept as received" },
  duplicate: { de: 'Duplikat eines Teils des Antrags', en: 'duplicate of a part of the application' },
  'as-received': { de: 'so wie empfangen gespeichert – keine Aussage über Signaturen', en: 'kept as received – no statement about signatures' },
  'before-coverage': { de: 'gespeichert vor der Prüfung je Teil – Abdeckung durch die Signatur unbekannt', en: 'stored before the per-part check – coverage by the signature unknown' },
};

const ROLE_WORDS: Readonly<Record<PartRole, CoverageWords>> = {
  application: { de: 'Antrag', en: 'Application' },
  attachment: { de: 'Anlage', en: 'Attachment' },
  extra: { de: 'Zusätzlicher Teil (nicht Teil des Antrags)', en: 'Extra part (not part of the application)' },
  received: { de: 'Zustellung, so wie empfangen', en: 'Delivery as received' },
};

/** The status in words; a signed extra part is signed by another signature than the application's (or there is none). */
export function coverageWords(status: CoverageStatus, role: PartRole | null): CoverageWords {
  if (status === 'signed' && role === 'extra') return { de: 'signiert, gehört aber nicht zum angezeigten Antrag (andere Signatur)', en: 'signed, but not part of the application shown (another signature)' };
  return STATUS_WORDS[status];
}

export function roleWords(role: PartRole | null): CoverageWords {
  return role === null ? { de: 'Teil der Zustellung', en: 'Part of the delivery' } : ROLE_WORDS[role];
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
