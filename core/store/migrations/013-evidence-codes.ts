import type { Migration } from './migration.js';

/**
 * The evidence of a delivery as codes, without sentences (issue 11 "Domain types apart from the contract"). The
 * fetch engine kept its signature checks and the intermediary's inspection report as version-1 JSON with finished
 * German and English sentences, and the "nicht lesbar" reason as a German sentence; since this schema it keeps codes
 * and facts only (core/domain), and the words are said where they are shown. Existing rows are converted:
 *
 * - `delivery_details.signature_result` and `delivery_trust.signature_result` {"version":1,…} → {"version":2,…}: each
 *   check loses `words`; its `reasons` become codes (recognised by their English sentence, which was always written
 *   beside the German one — a sentence not recognised is kept for IT at the end of `technical`); the signer's
 *   warnings become codes with the facts their words need (days from the check's time and the validity, as the
 *   certificate facts count them; the key length; the signature algorithm named in the sentence).
 * - `delivery_details.inspection_report` {"version":1,…} → {"version":2,…}: each entry loses `words` (said again
 *   from its raw results, which stay); a subject the report did not name, written "unbekannt", becomes "".
 * - `deliveries.unreadable_reason` holds the reason's kind (the code in `unreadable_kind`; `unreadable` where none
 *   was kept) instead of its German sentence. Stays NULL for readable deliveries.
 *
 * Values of any other shape (damaged, or not written by the fetch engine) are left as they are: the program reads
 * them as "not available", as before. The sentences recognised here are a frozen copy of what earlier versions
 * wrote — released migrations are never edited, and the words may change later without touching the store.
 */
export const migration013: Migration = {
  version: 13,
  name: 'evidence-codes',
  up(db) {
    const convert = (table: string, column: string, key: string, transform: (value: Record<string, unknown>) => Record<string, unknown> | undefined): void => {
      const rows = db.prepare(`SELECT ${key} AS k, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`).all() as Array<{ k: number; v: string }>;
      const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`);
      for (const row of rows) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(row.v);
        } catch {
          continue;
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
        const next = transform(parsed as Record<string, unknown>);
        if (next !== undefined) update.run(JSON.stringify(next), row.k);
      }
    };
    convert('delivery_details', 'signature_result', 'delivery_id', signatureResultV2);
    convert('delivery_trust', 'signature_result', 'delivery_id', signatureResultV2);
    convert('delivery_details', 'inspection_report', 'delivery_id', inspectionReportV2);
    db.exec(`
      UPDATE deliveries SET unreadable_kind = 'unreadable'
        WHERE unreadable_reason IS NOT NULL
          AND (unreadable_kind IS NULL OR unreadable_kind = '' OR unreadable_kind GLOB '*[^a-z0-9-]*' OR unreadable_kind GLOB '-*' OR length(unreadable_kind) > 64);
      UPDATE deliveries SET unreadable_reason = unreadable_kind WHERE unreadable_reason IS NOT NULL;
    `);
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The English sentences of the reasons version 1 stored, by code (core/pki/trust.ts and the fetch engine's note, frozen). */
const REASON_CODES: Readonly<Record<string, string>> = {
  "The issuer's signature over the certificate is invalid (certificate altered or wrong issuer).": 'bad-signature',
  'The certificate had expired at the time checked.': 'expired',
  'The certificate was not yet valid at the time checked.': 'not-yet-valid',
  'The issuer is not a certification authority.': 'issuer-not-ca',
  'According to its certificate the issuer may not sign certificates.': 'issuer-not-allowed-to-sign',
  'The certificate chain is longer than allowed.': 'path-too-long',
  'The certificate contains an extension marked critical that cannot be checked.': 'unsupported-critical-extension',
  'The issuer is not a certification authority configured as trusted.': 'issuer-not-found',
  'The chain ends at a certification authority that is not configured as trusted.': 'untrusted-root',
  'At least one attachment does not match this signature; it is marked on its own and is not covered.': 'attachment-not-covered',
};

/** The recommended minimum key lengths of the certificate facts (core/pki/certificate-facts.ts, frozen). */
const MIN_RSA_BITS = 3000;
const MIN_EC_BITS = 256;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function warningV2(warning: unknown, signer: Record<string, unknown>, checkedAt: string | undefined): Record<string, unknown> | undefined {
  if (!isRecord(warning) || typeof warning['code'] !== 'string') return undefined;
  const code = warning['code'];
  const at = checkedAt === undefined ? Number.NaN : Date.parse(checkedAt);
  const validTo = Date.parse(text(signer['validTo']) ?? '');
  switch (code) {
    case 'expired':
      return { code, ...(Number.isFinite(at) && Number.isFinite(validTo) ? { days: Math.floor((at - validTo) / DAY_MS) } : {}) };
    case 'expires-soon':
      return { code, ...(Number.isFinite(at) && Number.isFinite(validTo) ? { days: Math.ceil((validTo - at) / DAY_MS) } : {}) };
    case 'not-yet-valid':
      return { code };
    case 'wrong-key-usage':
      return { code, role: /encryption/.test(text(warning['en']) ?? '') ? 'cipher' : 'signature' };
    case 'weak-key': {
      const algorithm = text(signer['keyAlgorithm']) ?? '';
      const bits = typeof signer['keyBits'] === 'number' ? signer['keyBits'] : undefined;
      return { code, ...(bits === undefined ? {} : { bits }), minimum: algorithm === 'EC' ? MIN_EC_BITS : MIN_RSA_BITS };
    }
    case 'weak-signature-algorithm': {
      const named = /\(([^()]*)\)\.?$/.exec(text(warning['en']) ?? '');
      return { code, ...(named?.[1] ? { algorithm: named[1].slice(0, 200) } : {}) };
    }
    default:
      return undefined;
  }
}

function checkV2(check: unknown): unknown {
  if (!isRecord(check)) return check;
  const { words: _words, reasons, signer, ...rest } = check;
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const reason of Array.isArray(reasons) ? reasons : []) {
    const en = isRecord(reason) ? text(reason['en']) : undefined;
    const code = en === undefined ? undefined : REASON_CODES[en];
    if (code !== undefined) codes.push(code);
    else if (en !== undefined) unknown.push(en);
  }
  const technical = text(rest['technical']) ?? '';
  const next: Record<string, unknown> = {
    ...rest,
    reasons: codes,
    technical: (unknown.length === 0 ? technical : `${technical}; reason: ${unknown.join('; reason: ')}`).slice(0, 4000),
  };
  if (isRecord(signer)) {
    const warnings = (Array.isArray(signer['warnings']) ? signer['warnings'] : [])
      .map((w) => warningV2(w, signer, text(check['checkedAt'])))
      .filter((w): w is Record<string, unknown> => w !== undefined);
    next['signer'] = { ...signer, warnings };
  }
  return next;
}

function signatureResultV2(value: Record<string, unknown>): Record<string, unknown> | undefined {
  if (value['version'] !== 1 || !Array.isArray(value['checks'])) return undefined;
  return { ...value, version: 2, checks: value['checks'].map(checkV2) };
}

function inspectionReportV2(value: Record<string, unknown>): Record<string, unknown> | undefined {
  if (value['version'] !== 1 || !Array.isArray(value['inspections'])) return undefined;
  const inspections = value['inspections'].map((entry: unknown) => {
    if (!isRecord(entry)) return entry;
    const { words: _words, ...rest } = entry;
    return rest['subject'] === 'unbekannt' ? { ...rest, subject: '' } : rest;
  });
  return { ...value, version: 2, inspections };
}
