/**
 * Certificate header blocks (NonIntermediaryCertificates / IntermediaryCertificates) as the library writes them:
 * each certificate element's Id is `<role>_<cipher|signature>_<hex SHA-256 of the DER>` — the targets of every
 * ds:RetrievalMethod in signatures and EncryptedKeys.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { base64Wrapped } from '../mime/base64-stream.js';
import { el } from '../xml/write.js';
import type { CertificateRole } from './model.js';

const NON_INTERMEDIARY_ORDER: readonly CertificateRole[] = [
  'CipherCertificateOriginator',
  'CipherCertificateOtherAuthor',
  'CipherCertificateAddressee',
  'CipherCertificateOtherReader',
  'SignatureCertificateOriginator',
  'SignatureCertificateOtherAuthor',
  'SignatureCertificateAddressee',
];
const INTERMEDIARY_ORDER: readonly CertificateRole[] = ['CipherCertificateIntermediary', 'SignatureCertificateIntermediary'];

export interface CertificateInput {
  readonly role: CertificateRole;
  readonly certificate: X509Certificate;
  /** Override the Id (e.g. to keep the Ids of a stored delivery). */
  readonly id?: string;
}

function rolePrefix(role: CertificateRole, index: number): string {
  const usage = role.startsWith('Cipher') ? 'cipher' : 'signature';
  if (role.endsWith('Originator')) return `originator_${usage}`;
  if (role.endsWith('Addressee')) return `addressee_${usage}`;
  if (role.endsWith('OtherAuthor')) return `author${index}_${usage}`;
  if (role.endsWith('OtherReader')) return `reader${index}_${usage}`;
  return `intermed_${usage}`;
}

/** The library's Id for a certificate element. */
export function certificateElementId(role: CertificateRole, certificate: X509Certificate, index = 0): string {
  return `${rolePrefix(role, index)}_${createHash('sha256').update(certificate.raw).digest('hex')}`;
}

function certificateElements(certs: readonly CertificateInput[], order: readonly CertificateRole[]): { xml: string; ids: Map<CertificateInput, string> } {
  const ids = new Map<CertificateInput, string>();
  const used = new Set<string>();
  let xml = '';
  for (const role of order) {
    certs
      .filter((c) => c.role === role)
      .forEach((c, index) => {
        let id = c.id ?? certificateElementId(role, c.certificate, index);
        while (used.has(id)) id += '0';
        used.add(id);
        ids.set(c, id);
        xml += el(`osci:${role}`, [['Id', id]], el('ds:X509Data', [], el('ds:X509Certificate', [], base64Wrapped(c.certificate.raw))));
      });
  }
  return { xml, ids };
}

export function nonIntermediaryCertificatesContent(certs: readonly CertificateInput[]) {
  return certificateElements(certs, NON_INTERMEDIARY_ORDER);
}

export function intermediaryCertificatesContent(certs: readonly CertificateInput[]) {
  return certificateElements(certs, INTERMEDIARY_ORDER);
}
