/**
 * Changing the mailbox certificate (the old one expires): a wizard of explained, resumable steps.
 *
 *   1. import   the new .p12 is read and checked (valid now, key length and self-signed policy, fit for
 *               encryption, not the current certificate) and kept sealed in the store — the old key stays in force;
 *   2. drain    everything still waiting at the intermediary for the OLD certificate is fetched with the old key
 *               (the intermediary keys mailboxes by certificate); repeatable, nothing is fetched twice;
 *   3. switch   in one transaction the new key becomes the mailbox key and the old one is retired, kept sealed in the
 *               store, so that content still encrypted for the old certificate (a sender with an outdated
 *               directory entry) stays readable;
 *   4. announce outside the program: the new certificate must be published (DVDV registration, the intermediary's
 *               operator), so that senders encrypt for it.
 *
 * Every step is recorded in the store before the next begins: a rotation interrupted at any point (program closed,
 * intermediary down, PC switched off) continues where it stopped. Messages already stored are stored decrypted
 * inside the encrypted store and stay readable throughout.
 */
import type { FetchResult } from './fetch-engine.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { PostfachError, type ErrorKind, type UserText } from '../errors.js';
import type { CertificateSummary } from './certificates.js';
import { PostfachStore, SqliteMailboxStore } from '../store/index.js';
import type { KeyRotationStore } from '../store/key-rotation-store.js';
import { certificateSummary } from './certificates.js';
import { identityFromRecord, keysFromFiles, retiredKeyEntry, type IdentitySetup, type MailboxIdentity } from './identity.js';
import { checkKeyPolicy } from './key-policy.js';
import { mailboxError } from './errors.js';
import { suitsRole } from '../pki/certificate-facts.js';
import { X509Certificate } from 'node:crypto';

export type RotationStepId = 'import' | 'drain' | 'switch' | 'announce';

/** A step of the rotation; its title and explanation are said where shown (core/api/contract/rotation-words.ts). */
export interface RotationStep {
  readonly id: RotationStepId;
  readonly done: boolean;
}

export interface RotationStatus {
  /** none: no rotation in progress · staged: new key imported · draining: fetching for the old certificate (or interrupted there) · drained: ready to switch */
  readonly state: 'none' | 'staged' | 'draining' | 'drained';
  readonly current: CertificateSummary | null;
  readonly next: CertificateSummary | null;
  readonly startedAt: string | null;
  /** Deliveries fetched for the old certificate during this rotation. */
  readonly fetched: number;
  /** Error kind of the last, unfinished drain (e.g. network); the step is repeated on resume. */
  readonly lastError: string | null;
  readonly steps: readonly RotationStep[];
  /** Certificates retired by earlier rotations (their keys are kept for old content). */
  readonly retired: readonly CertificateSummary[];
  /** The last completed change (with no rotation in progress: what was done last), or null if there was none. */
  readonly lastCompleted: CompletedRotation | null;
}

export interface CompletedRotation {
  /** When the switch was made (ISO 8601). */
  readonly at: string;
  /** The certificate the switch retired. */
  readonly retired: CertificateSummary;
}

function rotationError(kind: ErrorKind, text: UserText, detail: string): PostfachError {
  return new PostfachError(kind, text, detail);
}

/**
 * The summary of a mailbox key's cipher certificate, with the warnings of the whole key pair: expiry, key length and
 * key usage for encryption — and for signing, by the same certificate or by the separate signature certificate.
 */
function keySummary(keys: { cipherCertificate: Buffer; signatureCertificate: Buffer | null }, at: Date): CertificateSummary {
  const separate = keys.signatureCertificate !== null && !keys.signatureCertificate.equals(keys.cipherCertificate);
  const summary = certificateSummary(keys.cipherCertificate, { at, roles: separate ? ['cipher'] : ['cipher', 'signature'] });
  if (!separate || keys.signatureCertificate === null) return summary;
  const signature = certificateSummary(keys.signatureCertificate, { at, roles: ['signature'] });
  // a warning the cipher certificate already gives in the same words (same code and facts, same dates) is said once
  const key = (w: CertificateSummary['warnings'][number]): string => JSON.stringify({ ...w, signatureCertificate: undefined });
  const seen = new Set(summary.warnings.map(key));
  const extra = signature.warnings.filter((w) => !seen.has(key(w))).map((w) => ({ ...w, signatureCertificate: true as const }));
  return { ...summary, warnings: [...summary.warnings, ...extra] };
}

/** Where a rotation's rows are kept: either backend (the embedded store is taken behind its adapter). */
export type RotationStoreInput = PostfachStore | KeyRotationStore;

function rotationStore(store: RotationStoreInput): KeyRotationStore {
  return store instanceof PostfachStore ? new SqliteMailboxStore(store) : store;
}

export async function rotationStatus(input: RotationStoreInput, now = new Date()): Promise<RotationStatus> {
  const store = rotationStore(input);
  const identity = await store.readMailboxIdentity();
  const rotation = await store.readKeyRotation();
  const retired = await store.retiredKeys();
  const last = retired[retired.length - 1];
  const state = rotation?.state ?? 'none';
  const order: Record<RotationStatus['state'], number> = { none: 0, staged: 1, draining: 1, drained: 2 };
  const reached = order[state];
  return {
    state,
    current: identity ? keySummary(identity, now) : null,
    next: rotation ? keySummary(rotation, now) : null,
    startedAt: rotation?.startedAt ?? null,
    fetched: rotation?.fetched ?? 0,
    lastError: rotation?.lastError ?? null,
    steps: (['import', 'drain', 'switch', 'announce'] as const).map((id, i) => ({ id, done: state !== 'none' && i < reached })),
    retired: retired.map((k) => certificateSummary(k.cipherCertificate, { at: now })),
    lastCompleted: last ? { at: last.retiredAt, retired: certificateSummary(last.cipherCertificate, { at: now }) } : null,
  };
}

/** Step 1: reads and checks the new key file and stages it (replaces a staged, not yet switched one). */
export async function stageRotation(
  where: RotationStoreInput,
  input: Pick<IdentitySetup, 'keyFile' | 'password' | 'signatureKeyFile' | 'signaturePassword' | 'cipherKeyFingerprint' | 'signatureKeyFingerprint'>,
  config?: ResolvedConfig,
): Promise<RotationStatus> {
  const store = rotationStore(where);
  const record = await store.readMailboxIdentity();
  if (record === undefined) throw mailboxError('identity-missing', 'key rotation without a mailbox identity');
  const current = identityFromRecord(record);
  const loaded = keysFromFiles(input);
  if (loaded.cipherKey.certificate.fingerprint256 === current.cipherKey.certificate.fingerprint256) {
    throw rotationError(
      'rotation-same-certificate',
      {
        de: 'Die Schlüsseldatei enthält das Zertifikat, das schon eingerichtet ist. Bitte die Datei mit dem neuen Zertifikat wählen.',
        en: 'The key file holds the certificate already set up. Please choose the file with the new certificate.',
      },
      `new cipher certificate equals the current one (sha256=${current.cipherKey.certificate.fingerprint256})`,
    );
  }
  if (!suitsRole(loaded.cipherKey.certificate, 'cipher')) {
    throw rotationError(
      'rotation-unsuitable',
      { de: 'Das neue Zertifikat ist nicht für die Verschlüsselung zugelassen (Schlüsselverwendung).', en: 'The new certificate is not allowed for encryption (key usage).' },
      'key usage lacks keyEncipherment',
    );
  }
  checkKeyPolicy(loaded, config, { requireValidNow: true });
  const same = loaded.signatureKey.certificateDer.equals(loaded.cipherKey.certificateDer);
  const pkcs8 = (k: MailboxIdentity['cipherKey']) => k.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;
  await store.stageKeyRotation(
    {
      cipherKeyPkcs8: pkcs8(loaded.cipherKey),
      cipherCertificate: loaded.cipherKey.certificateDer,
      signatureKeyPkcs8: same ? null : pkcs8(loaded.signatureKey),
      signatureCertificate: same ? null : loaded.signatureKey.certificateDer,
    },
    loaded.chain.map((c) => c.raw),
  );
  return rotationStatus(store);
}

/** The identity that still holds the OLD key (in force until the switch), with the retired keys of earlier rotations. */
export async function currentIdentity(input: RotationStoreInput): Promise<MailboxIdentity> {
  const store = rotationStore(input);
  const record = await store.readMailboxIdentity();
  if (record === undefined) throw mailboxError('identity-missing', 'key rotation without a mailbox identity');
  const retired = (await store.retiredKeys()).map(retiredKeyEntry);
  return { ...identityFromRecord(record), ...(retired.length > 0 ? { previousCipherKeys: retired } : {}) };
}

export interface RunRotationOptions {
  /** Fetches the mailbox of the given identity (the fetch engine with the program's transport and settings). */
  readonly fetch: (identity: MailboxIdentity) => Promise<FetchResult>;
  /** Adapts the identity before use (e.g. the machine settings' locked connection values). */
  readonly adapt?: (identity: MailboxIdentity) => MailboxIdentity | Promise<MailboxIdentity>;
}

/**
 * Steps 2 and 3, from wherever the rotation stands: drains the old mailbox (unless already drained), then switches.
 * A drain that does not complete (network, cancelled) leaves the rotation at "draining" with the error recorded;
 * calling again continues.
 */
export async function runRotation(input: RotationStoreInput, options: RunRotationOptions): Promise<{ status: RotationStatus; fetch?: FetchResult }> {
  const store = rotationStore(input);
  const rotation = await store.readKeyRotation();
  if (rotation === undefined) {
    throw rotationError(
      'rotation-none',
      {
        de: 'Es ist kein Zertifikatswechsel begonnen. Bitte zuerst das neue Zertifikat einlesen.',
        en: 'No certificate change has been started. Please import the new certificate first.',
      },
      'no staged key rotation',
    );
  }
  let fetch: FetchResult | undefined;
  if (rotation.state !== 'drained') {
    await store.updateKeyRotation('draining', { lastError: rotation.lastError });
    const old = await currentIdentity(store);
    fetch = await options.fetch(options.adapt ? await options.adapt(old) : old);
    const complete = fetch.outcome === 'complete';
    await store.updateKeyRotation(complete ? 'drained' : 'draining', { fetched: fetch.newMessages, lastError: complete ? null : (fetch.error?.kind ?? fetch.outcome) });
    if (!complete) return { status: await rotationStatus(store), fetch };
  }
  await store.completeKeyRotation();
  return { status: await rotationStatus(store), ...(fetch ? { fetch } : {}) };
}

export async function cancelRotation(input: RotationStoreInput): Promise<RotationStatus> {
  const store = rotationStore(input);
  await store.cancelKeyRotation();
  return rotationStatus(store);
}

/** The certificate summary of a DER certificate (for callers that hold bytes). */
export function summaryOf(der: Buffer): CertificateSummary {
  return certificateSummary(new X509Certificate(der));
}
