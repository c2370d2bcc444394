/**
 * The mailbox identity: the mailbox's keys (cipher key = identity, signature key, may be the same) and the
 * connection to its intermediary (URL, the intermediary's encryption certificate, who must sign its responses,
 * extra TLS CAs, options). Which CAs are trusted for author signatures is the store's list and IT's settings
 * (trusted-cas.ts); the service puts them into `connection.trustedCas` of the identity it uses.
 *
 * Set up once from files (the p12 password is asked once and never kept): the keys go into the store as PKCS#8,
 * sealed there (core/store/mailbox-identity.ts). The command line may instead use files for one run
 * (`fetch --p12 ...`), without storing anything.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PostfachError } from '../errors.js';
import { EXPIRY_WARNING_DAYS, suitsRole } from '../pki/certificate-facts.js';
import { resolveMailboxKeys } from '../pki/key-selection.js';
import { loadCertificates, loadPkcs12, type KeyEntry, type Pkcs12Contents } from '../pki/pkcs12.js';
import type { JsonValue, MailboxIdentityRecord } from '../store/index.js';
import { DEFAULT_OFFICE_TIME_ZONE, officeTime } from '../time/office-time.js';
import { plural } from '../words/plural.js';
import { certificateSummary, type CertificateSummary } from './certificates.js';
import { mailboxError } from './errors.js';

/** The connection settings that can change without importing the key again (the contract's `connectionFields`). */
export interface ConnectionUpdate {
  intermediaryUrl?: string | undefined;
  intermediaryCertificateFile?: string | undefined;
  intermediarySignerFiles?: string[] | undefined;
  tlsCaFiles?: string[] | undefined;
  partialFetchKb?: number | null | undefined;
  timeoutSeconds?: number | undefined;
}

/** A set-up of the mailbox identity from key files (the contract's `identitySetupSchema`). */
export interface IdentitySetup extends ConnectionUpdate {
  keyFile: string;
  password: string;
  signatureKeyFile?: string | undefined;
  signaturePassword?: string | undefined;
  cipherKeyFingerprint?: string | undefined;
  signatureKeyFingerprint?: string | undefined;
  intermediaryUrl: string;
  intermediaryCertificateFile: string;
  trustedCaFiles?: string[] | undefined;
}

interface KeyCandidateDto {
  alias: string | null;
  fingerprintSha256: string;
  certificate: CertificateSummary;
  suitableFor: { cipher: boolean; signature: boolean };
}

/** The mailbox key's expiry (the earlier of cipher and signature certificate) with its words. */
export interface KeyExpiry {
  status: 'ok' | 'expires-soon' | 'expired';
  /** Whole days until it expires (negative: expired that many days ago). */
  daysLeft: number;
  validTo: string;
  text: { de: string; en: string };
}

/** The mailbox identity as the UI shows it (the contract's `identitySchema`). */
export interface MailboxIdentityDto {
  cipherCertificate: CertificateSummary;
  signatureCertificate: CertificateSummary;
  sameKey: boolean;
  intermediaryUrl: string;
  intermediaryCertificate: CertificateSummary;
  intermediarySigners: CertificateSummary[];
  trustedCas: CertificateSummary[];
  tlsCas: CertificateSummary[];
  partialFetchKb: number | null;
  timeoutSeconds: number;
  expiry: KeyExpiry;
  configuredAt: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

/** The identity ready to use (keys loaded). */
export interface MailboxIdentity {
  readonly cipherKey: KeyEntry;
  readonly signatureKey: KeyEntry;
  /** Chain certificates from the key files (help to build author and signer chains). */
  readonly chain: readonly X509Certificate[];
  readonly connection: Connection;
  readonly configuredAt: string;
  /** Cipher keys of earlier certificates (kept after a rotation): content still encrypted for them stays readable. */
  readonly previousCipherKeys?: readonly KeyEntry[];
}

export interface Connection {
  readonly intermediaryUrl: string;
  readonly intermediaryCertificate: X509Certificate;
  readonly intermediarySigners: readonly X509Certificate[];
  readonly trustedCas: readonly X509Certificate[];
  readonly tlsCas: readonly X509Certificate[];
  readonly partialFetchKb: number | null;
  readonly timeoutSeconds: number;
}

function readInput(file: string, role: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw mailboxError('input-file', `${role}: ${code}`, { cause: error });
  }
}

function certificatesFrom(files: readonly string[], role: string): X509Certificate[] {
  return files.flatMap((file) => loadCertificates(readInput(file, role)));
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw mailboxError('identity-invalid', 'intermediary URL is not a URL', {
      text: { de: 'Die Adresse des Intermediärs ist keine gültige URL.', en: 'The intermediary address is not a valid URL.' },
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw mailboxError('identity-invalid', `intermediary URL scheme ${parsed.protocol}`, {
      text: { de: 'Die Adresse des Intermediärs muss mit https:// (oder http://) beginnen.', en: 'The intermediary address must start with https:// (or http://).' },
    });
  }
  return parsed.toString();
}

/** Reads the connection part of a set-up (certificate files) into a Connection. */
export function connectionFromFiles(
  input: Omit<ConnectionUpdate, 'intermediaryUrl' | 'intermediaryCertificateFile'> & {
    intermediaryUrl: string;
    intermediaryCertificateFile: string;
    trustedCaFiles?: readonly string[] | undefined;
  },
): Connection {
  const intermediaryCertificate = certificatesFrom([input.intermediaryCertificateFile], 'intermediary certificate')[0] as X509Certificate;
  const signers =
    input.intermediarySignerFiles && input.intermediarySignerFiles.length > 0 ? certificatesFrom(input.intermediarySignerFiles, 'intermediary signer') : [intermediaryCertificate];
  return {
    intermediaryUrl: checkUrl(input.intermediaryUrl),
    intermediaryCertificate,
    intermediarySigners: signers,
    trustedCas: certificatesFrom(input.trustedCaFiles ?? [], 'trusted CA'),
    tlsCas: certificatesFrom(input.tlsCaFiles ?? [], 'TLS CA'),
    partialFetchKb: input.partialFetchKb ?? null,
    timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  };
}

/** The keys of a set-up from its key file(s): cipher key, signature key (may be the same), chain certificates. */
export function keysFromFiles(
  input: Pick<IdentitySetup, 'keyFile' | 'password' | 'signatureKeyFile' | 'signaturePassword' | 'cipherKeyFingerprint' | 'signatureKeyFingerprint'>,
): Pick<MailboxIdentity, 'cipherKey' | 'signatureKey' | 'chain'> {
  const primary = loadPkcs12(readInput(input.keyFile, 'key file'), input.password);
  let signatureFile: Pkcs12Contents | undefined;
  if (input.signatureKeyFile !== undefined) {
    signatureFile = loadPkcs12(readInput(input.signatureKeyFile, 'signature key file'), input.signaturePassword ?? input.password);
  }
  const keys = resolveMailboxKeys({
    primary,
    ...(signatureFile ? { signature: signatureFile } : {}),
    select: {
      ...(input.cipherKeyFingerprint ? { cipher: { fingerprintSha256: input.cipherKeyFingerprint } } : {}),
      ...(input.signatureKeyFingerprint ? { signature: { fingerprintSha256: input.signatureKeyFingerprint } } : {}),
    },
  });
  return { cipherKey: keys.cipher, signatureKey: keys.signature, chain: [...primary.otherCertificates, ...(signatureFile?.otherCertificates ?? [])] };
}

/** Loads the keys and connection of a set-up from files (nothing is stored). */
export function identityFromFiles(input: IdentitySetup): MailboxIdentity {
  return { ...keysFromFiles(input), connection: connectionFromFiles(input), configuredAt: new Date().toISOString() };
}

/** The keys of a .p12 file, to choose from. */
export function keyCandidates(keyFile: string, password: string): KeyCandidateDto[] {
  const contents = loadPkcs12(readInput(keyFile, 'key file'), password);
  return contents.keys.map((k) => ({
    alias: k.alias ?? null,
    fingerprintSha256: k.certificate.fingerprint256,
    certificate: certificateSummary(k.certificate),
    suitableFor: { cipher: suitsRole(k.certificate, 'cipher'), signature: suitsRole(k.certificate, 'signature') },
  }));
}

// ---- to and from the store ----

const b64 = (cert: X509Certificate): string => cert.raw.toString('base64');

function connectionJson(c: Connection): JsonValue {
  return {
    intermediaryUrl: c.intermediaryUrl,
    intermediaryCertificate: b64(c.intermediaryCertificate),
    intermediarySigners: c.intermediarySigners.map(b64),
    // the trusted sender CAs are kept in the store's own list (core/store/trusted-cas.ts), not in the connection
    tlsCas: c.tlsCas.map(b64),
    partialFetchKb: c.partialFetchKb,
    timeoutSeconds: c.timeoutSeconds,
  };
}

function connectionFromJson(json: JsonValue): Connection {
  try {
    const o = json as Record<string, JsonValue>;
    const cert = (v: JsonValue): X509Certificate => new X509Certificate(Buffer.from(v as string, 'base64'));
    const list = (v: JsonValue | undefined): X509Certificate[] => ((v ?? []) as JsonValue[]).map(cert);
    return {
      intermediaryUrl: o.intermediaryUrl as string,
      intermediaryCertificate: cert(o.intermediaryCertificate as string),
      intermediarySigners: list(o.intermediarySigners),
      // filled in by the service from the store's list and IT's settings (core/mailbox/trusted-cas.ts)
      trustedCas: [],
      tlsCas: list(o.tlsCas),
      partialFetchKb: typeof o.partialFetchKb === 'number' ? o.partialFetchKb : null,
      timeoutSeconds: typeof o.timeoutSeconds === 'number' ? o.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS,
    };
  } catch (error) {
    throw new PostfachError(
      'store-corrupt',
      {
        de: 'Die gespeicherte Einrichtung des Postfachs ist beschädigt. Bitte das Postfach neu einrichten.',
        en: 'The stored mailbox set-up is damaged. Please set the mailbox up again.',
      },
      `mailbox connection JSON unreadable: ${error instanceof Error ? error.name : 'error'}`,
    );
  }
}

function pkcs8(key: KeyEntry): Buffer {
  return key.privateKey.export({ format: 'der', type: 'pkcs8' });
}

export function identityRecord(identity: MailboxIdentity): MailboxIdentityRecord {
  const same = identity.signatureKey === identity.cipherKey || identity.signatureKey.certificateDer.equals(identity.cipherKey.certificateDer);
  return {
    cipherKeyPkcs8: pkcs8(identity.cipherKey),
    cipherCertificate: identity.cipherKey.certificateDer,
    signatureKeyPkcs8: same ? null : pkcs8(identity.signatureKey),
    signatureCertificate: same ? null : identity.signatureKey.certificateDer,
    chainCertificates: identity.chain.map((c) => c.raw),
    connection: connectionJson(identity.connection),
  };
}

export function connectionRecord(connection: Connection): JsonValue {
  return connectionJson(connection);
}

function keyEntry(pkcs8Der: Buffer, certificateDer: Buffer): KeyEntry {
  const certificate = new X509Certificate(certificateDer);
  return { privateKey: createPrivateKey({ key: pkcs8Der, format: 'der', type: 'pkcs8' }), certificate, certificateDer: certificate.raw, alias: undefined };
}

/** A retired key (core/store key rotation) as a KeyEntry. */
export function retiredKeyEntry(key: { cipherKeyPkcs8: Buffer; cipherCertificate: Buffer }): KeyEntry {
  return keyEntry(key.cipherKeyPkcs8, key.cipherCertificate);
}

export function identityFromRecord(record: MailboxIdentityRecord): MailboxIdentity {
  const cipherKey = keyEntry(record.cipherKeyPkcs8, record.cipherCertificate);
  const signatureKey = record.signatureKeyPkcs8 !== null && record.signatureCertificate !== null ? keyEntry(record.signatureKeyPkcs8, record.signatureCertificate) : cipherKey;
  return {
    cipherKey,
    signatureKey,
    chain: record.chainCertificates.map((der) => new X509Certificate(der)),
    connection: connectionFromJson(record.connection),
    configuredAt: record.configuredAt ?? new Date(0).toISOString(),
  };
}

/** A changed connection: the files given replace their part, the rest stays. */
export function updatedConnection(current: Connection, update: ConnectionUpdate): Connection {
  const intermediaryCertificate = update.intermediaryCertificateFile
    ? (certificatesFrom([update.intermediaryCertificateFile], 'intermediary certificate')[0] as X509Certificate)
    : current.intermediaryCertificate;
  return {
    intermediaryUrl: update.intermediaryUrl !== undefined ? checkUrl(update.intermediaryUrl) : current.intermediaryUrl,
    intermediaryCertificate,
    intermediarySigners: update.intermediarySignerFiles
      ? update.intermediarySignerFiles.length > 0
        ? certificatesFrom(update.intermediarySignerFiles, 'intermediary signer')
        : [intermediaryCertificate]
      : current.intermediarySigners,
    trustedCas: current.trustedCas,
    tlsCas: update.tlsCaFiles ? certificatesFrom(update.tlsCaFiles, 'TLS CA') : current.tlsCas,
    partialFetchKb: update.partialFetchKb !== undefined ? update.partialFetchKb : current.partialFetchKb,
    timeoutSeconds: update.timeoutSeconds ?? current.timeoutSeconds,
  };
}

// ---- for the UI ----

const DAY_MS = 24 * 60 * 60 * 1000;

/** Expiry of the mailbox key: the earlier of the cipher and the signature certificate. */
export function keyExpiry(identity: MailboxIdentity, now = new Date(), timeZone: string = DEFAULT_OFFICE_TIME_ZONE): KeyExpiry {
  const validTo = [identity.cipherKey.certificate, identity.signatureKey.certificate].map((c) => new Date(c.validTo)).reduce((a, b) => (a < b ? a : b));
  // days begun, as the certificate's own warnings count them (certificate-facts.ts): 44.2 days left are "in 45 Tagen";
  // once expired, negative (3.2 days ago: -4)
  const remaining = (validTo.getTime() - now.getTime()) / DAY_MS;
  const daysLeft = remaining > 0 ? Math.ceil(remaining) : Math.floor(remaining);
  // the office's calendar day (core/time): a certificate ending at 23:30 UTC ends on the next day in Germany
  const office = officeTime(timeZone);
  const date = office.day(validTo) ?? validTo.toISOString().slice(0, 10);
  const dateDe = office.date(validTo);
  if (validTo.getTime() <= now.getTime()) {
    return {
      status: 'expired',
      daysLeft,
      validTo: validTo.toISOString(),
      text: {
        de: `Das Zertifikat des Postfachs ist am ${dateDe} abgelaufen. Abrufen geht noch (der Intermediär warnt nur, OSCI-Code 3500), aber Absender verschlüsseln keine neuen Anträge mehr für dieses Zertifikat. Bitte sofort das neue Zertifikat einrichten (Einstellungen → Betrieb → Zertifikat wechseln).`,
        en: `The mailbox certificate expired on ${date}. Fetching still works (the intermediary only warns, OSCI code 3500), but senders no longer encrypt new applications for this certificate. Please set up the new certificate now (Settings → Operation → Change certificate).`,
      },
    };
  }
  if (daysLeft <= EXPIRY_WARNING_DAYS) {
    return {
      status: 'expires-soon',
      daysLeft,
      validTo: validTo.toISOString(),
      text: {
        de: `Das Zertifikat des Postfachs läuft in ${daysLeft} ${plural('de', daysLeft, 'Tag', 'Tagen')} ab (am ${dateDe}). Bitte rechtzeitig ein neues beantragen und einrichten.`,
        en: `The mailbox certificate expires in ${daysLeft} ${plural('en', daysLeft, 'day', 'days')} (on ${date}). Please request and set up a new one in time.`,
      },
    };
  }
  return {
    status: 'ok',
    daysLeft,
    validTo: validTo.toISOString(),
    text: { de: `Das Zertifikat des Postfachs ist gültig bis ${dateDe}.`, en: `The mailbox certificate is valid until ${date}.` },
  };
}

export function identityDto(identity: MailboxIdentity, now = new Date(), timeZone: string = DEFAULT_OFFICE_TIME_ZONE): MailboxIdentityDto {
  const c = identity.connection;
  const at = { at: now, timeZone };
  const sameKey = identity.signatureKey.certificateDer.equals(identity.cipherKey.certificateDer);
  return {
    cipherCertificate: certificateSummary(identity.cipherKey.certificate, { ...at, roles: ['cipher'] }),
    signatureCertificate: certificateSummary(identity.signatureKey.certificate, { ...at, roles: ['signature'] }),
    sameKey,
    intermediaryUrl: c.intermediaryUrl,
    intermediaryCertificate: certificateSummary(c.intermediaryCertificate, at),
    intermediarySigners: c.intermediarySigners.map((s) => certificateSummary(s, at)),
    trustedCas: c.trustedCas.map((s) => certificateSummary(s, at)),
    tlsCas: c.tlsCas.map((s) => certificateSummary(s, at)),
    partialFetchKb: c.partialFetchKb,
    timeoutSeconds: c.timeoutSeconds,
    expiry: keyExpiry(identity, now, timeZone),
    configuredAt: identity.configuredAt,
  };
}
