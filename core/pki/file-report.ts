/**
 * What a key or certificate file holds, for local IT before set-up (`postfach pki show`, the set-up dialog):
 * each key with its certificate's facts, every other certificate, and — where trusted CAs are given — the trust
 * of each certificate. JSON-serialisable.
 */
import type { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import { type CertificateFacts, describeCertificate, type KeyRole } from './certificate-facts.js';
import { loadCertificates, loadPkcs12, looksLikePkcs12 } from './pkcs12.js';
import { trustResultJson, validateChain } from './trust.js';

export type KeyFileFormat = 'pkcs12' | 'certificate';

export interface ReportedCertificate {
  readonly certificate: CertificateFacts;
  /** Present when trusted CAs were given. */
  readonly trust?: ReturnType<typeof trustResultJson>;
}

export interface ReportedKey extends ReportedCertificate {
  readonly alias: string | null;
}

export interface KeyFileReport {
  readonly format: KeyFileFormat;
  readonly keys: readonly ReportedKey[];
  /** Certificates that belong to no key (chain, CA) or, for a certificate file, all of them. */
  readonly certificates: readonly ReportedCertificate[];
  /** ISO 8601: the time validity and warnings refer to. */
  readonly checkedAt: string;
}

export interface KeyFileReportOptions {
  /** Needed for PKCS#12 only. */
  readonly password?: string;
  /** CAs to evaluate trust against; without them no trust is reported. */
  readonly trustAnchors?: readonly X509Certificate[];
  /** Roles the keys are meant for (wrong key usage warnings). */
  readonly roles?: readonly KeyRole[];
  readonly at?: Date;
}

const PKCS12_EXTENSIONS = new Set(['.p12', '.pfx']);

/**
 * Decides by content, the file name only breaking ties: a certificate parses as X.509 (DER or PEM); a PKCS#12
 * PFX starts with SEQUENCE { INTEGER 3 } (checked on the first bytes, so a truncated file is still recognised).
 */
export function sniffKeyFileFormat(data: Uint8Array, fileName?: string): KeyFileFormat {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.subarray(0, 4096).toString('latin1').includes('-----BEGIN CERTIFICATE-----')) return 'certificate';
  if (looksLikePkcs12(bytes)) return 'pkcs12';
  if (fileName !== undefined && PKCS12_EXTENSIONS.has(path.extname(fileName).toLowerCase())) return 'pkcs12';
  return 'certificate';
}

function passwordMissing(): never {
  throw new PostfachError(
    'password-missing',
    {
      de: 'Die Datei ist eine Schlüsseldatei (PKCS#12); zum Öffnen wird ihr Passwort gebraucht.',
      en: 'The file is a key file (PKCS#12); its password is needed to open it.',
    },
    'PKCS#12 file given without a password',
  );
}

export function reportKeyFile(data: Uint8Array, options: KeyFileReportOptions = {}, fileName?: string): KeyFileReport {
  const at = options.at ?? new Date();
  const format = sniffKeyFileFormat(data, fileName);
  const describe = (cert: X509Certificate, intermediates: readonly X509Certificate[], roles?: readonly KeyRole[]): ReportedCertificate => ({
    certificate: describeCertificate(cert, { at, ...(roles ? { roles } : {}) }),
    ...(options.trustAnchors && options.trustAnchors.length > 0 ? { trust: trustResultJson(validateChain(cert, { trustAnchors: options.trustAnchors, intermediates, at })) } : {}),
  });
  if (format === 'certificate') {
    const certs = loadCertificates(data);
    return { format, keys: [], certificates: certs.map((c) => describe(c, certs)), checkedAt: at.toISOString() };
  }
  if (options.password === undefined) passwordMissing();
  const contents = loadPkcs12(data, options.password);
  const chain = contents.otherCertificates;
  return {
    format,
    keys: contents.keys.map((k) => ({ alias: k.alias ?? null, ...describe(k.certificate, chain, options.roles) })),
    certificates: chain.map((c) => describe(c, chain)),
    checkedAt: at.toISOString(),
  };
}
