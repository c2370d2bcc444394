/**
 * The CAs whose certificates make a sender's (author) signature "vertrauenswürdig": the office's own, kept in the
 * store (imported in the set-up, in Settings or with `postfach trust add`), and IT's, from group policy or the
 * machine file (setting `trustedCaFiles`), which are read from there and cannot be removed here. Where IT fixed the
 * setting (policy, or the machine file's `settings`), IT's list alone is in force and the office's cannot change.
 *
 * Also: reading a CA file for import (.cer/.crt/.pem/.p7b; only CA certificates are taken), the anchors an identity
 * judges author signatures with, and the re-evaluation of the stored deliveries when the set in force changed
 * (trust-reevaluation.ts does the judging).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/load-config.js';
import { lockReason } from '../config/load-config.js';
import { PostfachError, type UserText } from '../errors.js';
import { loadCertificates } from '../pki/pkcs12.js';
import { caSetDigest, fingerprintOf, type ServiceStore, type ReevaluationCount, type TrustedCaOrigin, type TrustedCaRecord, type TrustEvaluation } from '../store/index.js';
import { mailboxError } from './errors.js';
import type { MailboxIdentity } from './identity.js';
import { trustEvaluation } from './trust-reevaluation.js';

/** Where an entry comes from: the office's origins (store codes), or IT's place. */
export type TrustedCaSource = TrustedCaOrigin | 'policy' | 'machine-file' | 'user-settings';

export interface TrustedCaEntry {
  readonly certificate: X509Certificate;
  /** SHA-256 of the DER, lower-case hex (as the store and the audit log name it). */
  readonly fingerprint: string;
  /** office: the store's, removable · it: from policy, the machine file (or the user's settings file). */
  readonly owner: 'office' | 'it';
  readonly source: TrustedCaSource;
  readonly addedAt: string | null;
  /** false: an office CA while IT fixed the list. */
  readonly inForce: boolean;
}

export interface TrustedCaList {
  readonly entries: readonly TrustedCaEntry[];
  /** IT fixed the list (policy or the machine file's `settings`): the office cannot add or remove. */
  readonly locked: boolean;
  readonly lockReason?: UserText;
}

/** The largest CA file taken (a bundle of a few dozen certificates is some 100 KB). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_CAS = 50;

function itCertificates(config: ResolvedConfig | undefined): { certificates: X509Certificate[]; source: TrustedCaSource } {
  const state = config?.state.trustedCaFiles;
  if (config === undefined || state === undefined || state.source === 'default' || state.source === 'none') return { certificates: [], source: 'policy' };
  const source: TrustedCaSource = state.source === 'policy' ? 'policy' : state.source === 'user' ? 'user-settings' : 'machine-file';
  // validated when the settings were loaded: a broken file is reported there (config problems) and skipped here
  const certificates = (config.values.trustedCaFiles ?? []).flatMap((file) => {
    try {
      return loadCertificates(readFileSync(file));
    } catch {
      return [];
    }
  });
  return { certificates, source };
}

/** The office's and IT's trusted CAs, each once (IT's entry wins where both name the same certificate). */
export function trustedCaList(office: readonly TrustedCaRecord[], config: ResolvedConfig | undefined): TrustedCaList {
  const locked = config?.state.trustedCaFiles.locked === true;
  const it = itCertificates(config);
  const entries: TrustedCaEntry[] = [];
  const seen = new Set<string>();
  for (const certificate of it.certificates) {
    const fingerprint = fingerprintOf(certificate.raw);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    entries.push({ certificate, fingerprint, owner: 'it', source: it.source, addedAt: null, inForce: true });
  }
  for (const record of office) {
    if (seen.has(record.fingerprint)) continue;
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(record.certificate);
    } catch {
      continue;
    }
    seen.add(record.fingerprint);
    entries.push({ certificate, fingerprint: record.fingerprint, owner: 'office', source: record.origin, addedAt: record.addedAt, inForce: !locked });
  }
  const reason = config && locked ? lockReason(config, 'trustedCaFiles') : undefined;
  return { entries, locked, ...(reason ? { lockReason: reason } : {}) };
}

/** The certificates in force: what author signatures are judged with. */
export function anchorsOf(list: TrustedCaList): X509Certificate[] {
  return list.entries.filter((e) => e.inForce).map((e) => e.certificate);
}

/** The identity with the trusted CAs in force (and, where IT did not fix the list, those it brought itself). */
export function withTrustAnchors(identity: MailboxIdentity, list: TrustedCaList): MailboxIdentity {
  const anchors = anchorsOf(list);
  const known = new Set(anchors.map((c) => c.fingerprint256));
  const own = list.locked ? [] : identity.connection.trustedCas.filter((c) => !known.has(c.fingerprint256));
  return { ...identity, connection: { ...identity.connection, trustedCas: [...anchors, ...own] } };
}

export const notCaError = (detail: string): PostfachError =>
  new PostfachError(
    'trusted-ca-not-ca',
    {
      de: 'Die Datei enthält kein CA-Zertifikat. Vertrauenswürdig gemacht werden nur Zertifizierungsstellen (CA), keine einzelnen Absender-Zertifikate. Bitte das CA-Zertifikat (.cer, .pem oder .p7b) von der IT oder der Zertifizierungsstelle geben lassen.',
      en: 'The file holds no CA certificate. Only certification authorities (CAs) can be trusted, not single sender certificates. Please get the CA certificate (.cer, .pem or .p7b) from IT or the certification authority.',
    },
    detail,
  );

/**
 * The CA certificates of a file to import (.cer/.crt DER or PEM, PEM chains, .p7b bundles). Certificates that are no
 * CA (basicConstraints cA) are left out and counted; a file without any CA is refused (`trusted-ca-not-ca`), a file
 * that is no certificate with the German message of core/pki (`certificate-unreadable`, `certificate-is-pkcs12`).
 */
export function readCaFile(file: string): { cas: X509Certificate[]; skipped: number } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw mailboxError('input-file', `trusted CA file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
  if (bytes.length > MAX_FILE_BYTES) {
    throw new PostfachError(
      'certificate-unreadable',
      { de: 'Die Datei ist zu groß für eine Zertifikatsdatei.', en: 'The file is too large for a certificate file.' },
      `trusted CA file of ${bytes.length} bytes, at most ${MAX_FILE_BYTES}`,
    );
  }
  const all = loadCertificates(bytes);
  const cas = all.filter((c) => c.ca);
  if (cas.length === 0) throw notCaError(`${all.length} certificate(s), none with basicConstraints cA=true`);
  if (cas.length > MAX_CAS) throw notCaError(`${cas.length} CA certificates in one file, at most ${MAX_CAS}`);
  return { cas, skipped: all.length - cas.length };
}

/** Whether the office may change its list now; refused with the lock reason while IT fixed it. */
export function assertOfficeListOpen(list: TrustedCaList): void {
  if (!list.locked) return;
  const reason = list.lockReason ?? { de: 'von Ihrer IT festgelegt', en: 'set by your IT' };
  throw new PostfachError(
    'setting-locked',
    {
      de: `Die vertrauenswürdigen Absender-CAs sind ${reason.de} und können hier nicht geändert werden.`,
      en: `The trusted sender CAs are ${reason.en} and cannot be changed here.`,
    },
    'trustedCaFiles locked',
  );
}

/**
 * The stored deliveries judged again when the CAs in force are not those they were last judged with (IT changed
 * its list, or the store comes from an older version, or an earlier run was cut short); undefined when nothing was
 * to do.
 */
export async function reevaluateIfChanged(
  // either backend (ServiceStore), or the SQLite store itself (it answers the digest at once)
  store: Pick<ServiceStore, 'reevaluateTrust'> & { trustEvaluatedWith(): string | null | Promise<string | null> },
  list: TrustedCaList,
  intermediates: readonly X509Certificate[],
): Promise<ReevaluationCount | undefined> {
  const anchors = anchorsOf(list);
  if ((await store.trustEvaluatedWith()) === caSetDigest(anchors.map((c) => c.fingerprint256))) return undefined;
  return store.reevaluateTrust(trustEvaluation({ anchors, intermediates }), 'ca-set-changed');
}

/** The judgement under the office's list (as it is now in the store) and IT's, for the store to run after a change. */
export function evaluationFor(office: readonly TrustedCaRecord[], config: ResolvedConfig | undefined, intermediates: readonly X509Certificate[]): TrustEvaluation {
  return trustEvaluation({ anchors: anchorsOf(trustedCaList(office, config)), intermediates });
}
