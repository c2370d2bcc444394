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
import type { PostfachStore } from '../store/index.js';
import { certificateSummary } from './certificates.js';
import { identityFromRecord, keysFromFiles, retiredKeyEntry, type IdentitySetup, type MailboxIdentity } from './identity.js';
import { checkKeyPolicy } from './key-policy.js';
import { mailboxError } from './errors.js';
import { suitsRole } from '../pki/certificate-facts.js';
import { X509Certificate } from 'node:crypto';

export type RotationStepId = 'import' | 'drain' | 'switch' | 'announce';

export interface RotationStep {
  readonly id: RotationStepId;
  readonly title: UserText;
  readonly explanation: UserText;
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
  /** What interrupted the last drain, in words (null with no `lastError`). */
  readonly lastErrorText: UserText | null;
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

const STEP_TEXTS: Record<RotationStepId, { title: UserText; explanation: UserText }> = {
  import: {
    title: { de: 'Neues Zertifikat einlesen', en: 'Import the new certificate' },
    explanation: {
      de: 'Die neue Schlüsseldatei (.p12) wird geprüft und verschlüsselt im Datenspeicher abgelegt. Das alte Zertifikat bleibt vorerst in Kraft.',
      en: 'The new key file (.p12) is checked and kept encrypted in the data store. The old certificate stays in force for now.',
    },
  },
  drain: {
    title: { de: 'Altes Postfach leeren', en: 'Empty the old mailbox' },
    explanation: {
      de: 'Alles, was beim Intermediär noch für das alte Zertifikat bereitliegt, wird mit dem alten Schlüssel abgerufen. Bricht der Abruf ab, wird dieser Schritt beim nächsten Mal fortgesetzt; nichts wird doppelt gespeichert.',
      en: 'Everything still waiting at the intermediary for the old certificate is fetched with the old key. If the fetch is interrupted, this step continues next time; nothing is stored twice.',
    },
  },
  switch: {
    title: { de: 'Auf das neue Zertifikat umschalten', en: 'Switch to the new certificate' },
    explanation: {
      de: 'Das neue Zertifikat wird zum Postfachschlüssel. Der alte Schlüssel bleibt verschlüsselt im Datenspeicher, damit Inhalte, die noch für das alte Zertifikat verschlüsselt sind, lesbar bleiben.',
      en: 'The new certificate becomes the mailbox key. The old key stays encrypted in the data store, so that content still encrypted for the old certificate remains readable.',
    },
  },
  announce: {
    title: { de: 'Neues Zertifikat bekannt geben', en: 'Announce the new certificate' },
    explanation: {
      de: 'Außerhalb des Programms: Das neue Zertifikat muss im DVDV (über die zuständige Pflegestelle) und beim Betreiber des Intermediärs hinterlegt sein, damit Absender dafür verschlüsseln.',
      en: 'Outside the program: the new certificate must be registered in the DVDV (through the responsible registration office) and with the intermediary’s operator, so that senders encrypt for it.',
    },
  },
};

/** What interrupted a drain, by the error kind the fetch reported (or its outcome), in plain words. */
const INTERRUPTIONS: Readonly<Record<string, UserText>> = {
  cancelled: { de: 'Der Abruf wurde abgebrochen.', en: 'The fetch was cancelled.' },
  failed: { de: 'Der Abruf ist fehlgeschlagen.', en: 'The fetch failed.' },
  network: { de: 'Der Intermediär war nicht erreichbar.', en: 'The intermediary could not be reached.' },
  'http-status': { de: 'Der Intermediär war gestört (HTTP-Fehler).', en: 'The intermediary was disrupted (HTTP error).' },
  fault: { de: 'Der Intermediär hat die Anfrage abgelehnt.', en: 'The intermediary refused the request.' },
  'osci-error': { de: 'Der Intermediär hat einen Fehler gemeldet.', en: 'The intermediary reported an error.' },
  'dialog-mismatch': { de: 'Die Verbindung zum Intermediär wurde unterbrochen.', en: 'The connection to the intermediary was interrupted.' },
  'dialog-closed': { de: 'Die Verbindung zum Intermediär wurde unterbrochen.', en: 'The connection to the intermediary was interrupted.' },
  'signer-untrusted': { de: 'Die Antwort war nicht vom eingestellten Intermediär signiert.', en: 'The answer was not signed by the configured intermediary.' },
  'transport-decryption': {
    de: 'Die Antwort des Intermediärs konnte mit dem alten Schlüssel nicht entschlüsselt werden.',
    en: 'The intermediary’s answer could not be decrypted with the old key.',
  },
  'no-matching-key': { de: 'Der alte Schlüssel passt nicht zur Antwort des Intermediärs.', en: 'The old key does not fit the intermediary’s answer.' },
  'proxy-auth': { de: 'Der Proxy hat die Anmeldung abgelehnt.', en: 'The proxy refused the sign-in.' },
  'tls-untrusted': { de: 'Dem Serverzertifikat des Intermediärs wird nicht vertraut.', en: 'The intermediary’s server certificate is not trusted.' },
  'tls-expired': { de: 'Das Serverzertifikat des Intermediärs ist abgelaufen.', en: 'The intermediary’s server certificate has expired.' },
  'tls-wrong-host': { de: 'Das Serverzertifikat passt nicht zur Adresse des Intermediärs.', en: 'The server certificate does not match the intermediary’s address.' },
  'store-full': { de: 'Der Speicherplatz war erschöpft.', en: 'The disk space was used up.' },
  'store-busy': { de: 'Der Datenspeicher war von einem anderen Programm belegt.', en: 'The data store was in use by another program.' },
  'fetch-running': { de: 'Es lief gerade ein anderer Abruf.', en: 'Another fetch was running.' },
};

/** The words for an interruption's error kind; an unknown kind is named as a technical detail. */
export function interruptionText(kind: string): UserText {
  return INTERRUPTIONS[kind] ?? { de: `Ein Fehler ist aufgetreten (technische Angabe: ${kind}).`, en: `An error occurred (technical detail: ${kind}).` };
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

export function rotationStatus(store: PostfachStore, now = new Date()): RotationStatus {
  const identity = store.readMailboxIdentity();
  const rotation = store.readKeyRotation();
  const retired = store.retiredKeys();
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
    lastErrorText: rotation?.lastError ? interruptionText(rotation.lastError) : null,
    steps: (['import', 'drain', 'switch', 'announce'] as const).map((id, i) => ({ id, ...STEP_TEXTS[id], done: state !== 'none' && i < reached })),
    retired: retired.map((k) => certificateSummary(k.cipherCertificate, { at: now })),
    lastCompleted: last ? { at: last.retiredAt, retired: certificateSummary(last.cipherCertificate, { at: now }) } : null,
  };
}

/** Step 1: reads and checks the new key file and stages it (replaces a staged, not yet switched one). */
export function stageRotation(
  store: PostfachStore,
  input: Pick<IdentitySetup, 'keyFile' | 'password' | 'signatureKeyFile' | 'signaturePassword' | 'cipherKeyFingerprint' | 'signatureKeyFingerprint'>,
  config?: ResolvedConfig,
): RotationStatus {
  const record = store.readMailboxIdentity();
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
  store.stageKeyRotation(
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
export function currentIdentity(store: PostfachStore): MailboxIdentity {
  const record = store.readMailboxIdentity();
  if (record === undefined) throw mailboxError('identity-missing', 'key rotation without a mailbox identity');
  const retired = store.retiredKeys().map(retiredKeyEntry);
  return { ...identityFromRecord(record), ...(retired.length > 0 ? { previousCipherKeys: retired } : {}) };
}

export interface RunRotationOptions {
  /** Fetches the mailbox of the given identity (the fetch engine with the program's transport and settings). */
  readonly fetch: (identity: MailboxIdentity) => Promise<FetchResult>;
  /** Adapts the identity before use (e.g. the machine settings' locked connection values). */
  readonly adapt?: (identity: MailboxIdentity) => MailboxIdentity;
}

/**
 * Steps 2 and 3, from wherever the rotation stands: drains the old mailbox (unless already drained), then switches.
 * A drain that does not complete (network, cancelled) leaves the rotation at "draining" with the error recorded;
 * calling again continues.
 */
export async function runRotation(store: PostfachStore, options: RunRotationOptions): Promise<{ status: RotationStatus; fetch?: FetchResult }> {
  const rotation = store.readKeyRotation();
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
    store.updateKeyRotation('draining', { lastError: rotation.lastError });
    const old = currentIdentity(store);
    fetch = await options.fetch(options.adapt ? options.adapt(old) : old);
    const complete = fetch.outcome === 'complete';
    store.updateKeyRotation(complete ? 'drained' : 'draining', { fetched: fetch.newMessages, lastError: complete ? null : (fetch.error?.kind ?? fetch.outcome) });
    if (!complete) return { status: rotationStatus(store), fetch };
  }
  store.completeKeyRotation();
  return { status: rotationStatus(store), ...(fetch ? { fetch } : {}) };
}

export function cancelRotation(store: PostfachStore): RotationStatus {
  store.cancelKeyRotation();
  return rotationStatus(store);
}

/** The certificate summary of a DER certificate (for callers that hold bytes). */
export function summaryOf(der: Buffer): CertificateSummary {
  return certificateSummary(new X509Certificate(der));
}
