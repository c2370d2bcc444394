/**
 * The intermediary's keys: from the test PKI of `postfach pki init` (DIR/intermediary.p12 holds one key for
 * encryption and signature, DIR/ca.cer is the CA it trusts), or from separate .p12 files (e.g. the reference
 * vectors' osci_manager_cipher_4096 / osci_manager_signature_4096). Chain certificates found in the .p12 files
 * help complete the sender's certificate chains for the InspectionReport.
 */
import path from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { PostfachError } from '../core/errors.js';
import { readGivenFile } from '../core/io/given-file.js';
import { resolveMailboxKeys } from '../core/pki/key-selection.js';
import { loadCertificate, loadCertificates, loadPkcs12, type Pkcs12Contents } from '../core/pki/pkcs12.js';
import { testPkiFiles } from '../core/pki/test-pki.js';
import type { IntermediaryKeys } from './supplier.js';

export interface IntermediaryKeyFiles {
  /** Folder of a test PKI (`postfach pki init --dir`). */
  readonly pkiDir?: string;
  /** A .p12 with the cipher key (decrypts requests); overrides the test PKI's key. */
  readonly cipherP12?: string;
  /** A .p12 with the signature key (SupplierSignature); default: the cipher .p12. */
  readonly signatureP12?: string;
  /** Password of the .p12 files given above. */
  readonly password?: string;
  /** Further CA certificates (files, DER or PEM) trusted for the InspectionReport. */
  readonly caFiles?: readonly string[];
}

function missing(detail: string): PostfachError {
  return new PostfachError(
    'invalid-argument',
    { de: 'Für den Intermediär fehlen Schlüssel: --pki oder --cipher-p12 angeben.', en: 'Keys for the intermediary are missing: give --pki or --cipher-p12.' },
    detail,
  );
}

export function loadIntermediaryKeys(files: IntermediaryKeyFiles): IntermediaryKeys {
  const cas: X509Certificate[] = [];
  const intermediates: X509Certificate[] = [];
  let primary: Pkcs12Contents | undefined;
  let signature: Pkcs12Contents | undefined;
  if (files.pkiDir) {
    const f = testPkiFiles(path.resolve(files.pkiDir));
    cas.push(loadCertificate(readGivenFile(f.ca)));
    if (!files.cipherP12) {
      const password = readGivenFile(f.password)
        .toString('utf8')
        .replace(/\r?\n$/, '');
      primary = loadPkcs12(readGivenFile(f.intermediary.p12), password);
    }
  }
  if (files.cipherP12) {
    if (files.password === undefined) throw missing('a .p12 needs its password (--password-env)');
    primary = loadPkcs12(readGivenFile(files.cipherP12), files.password);
    if (files.signatureP12) signature = loadPkcs12(readGivenFile(files.signatureP12), files.password);
  }
  if (!primary) throw missing('neither a test PKI folder nor a cipher .p12 given');
  for (const c of [primary, signature]) if (c) intermediates.push(...c.otherCertificates);
  for (const file of files.caFiles ?? []) cas.push(...loadCertificates(readGivenFile(file)));
  const keys = resolveMailboxKeys({ primary, ...(signature ? { signature } : {}) });
  return { cipher: keys.cipher, signature: keys.signature, cas, intermediates };
}
