/**
 * core/pki: keys and certificates. PKCS#12 loading, certificate facts and warnings, chain validation and
 * signer pinning, mailbox key selection, and the test PKI. See each module for details.
 */
export { type KeyEntry, type Pkcs12Contents, loadPkcs12, loadCertificate, loadCertificates, publicKeyOf } from './pkcs12.js';
export {
  type CertificateFacts,
  type CertificateWarning,
  type CertificateWarningCode,
  type DescribeOptions,
  type KeyFacts,
  type KeyRole,
  describeCertificate,
  keyFacts,
  suitsRole,
  EXPIRY_WARNING_DAYS,
  MIN_EC_BITS,
  MIN_RSA_BITS,
} from './certificate-facts.js';
export { type DistinguishedName, type NameAttribute } from './distinguished-name.js';
export { type KeyUsage, type X509Fields, x509Fields } from './x509-fields.js';
export { type ChainOptions, type TrustReason, type TrustReasonCode, type TrustResult, type TrustStatus, matchesPinnedSigner, trustResultJson, validateChain } from './trust.js';
export { AmbiguousKeyError, type KeyCandidate, type KeySelector, type MailboxKeyFiles, type MailboxKeys, resolveMailboxKeys } from './key-selection.js';
export { type CertificateRequest, type NameSpec, createPkcs12, issueCertificate } from './certificate-builder.js';
export {
  type CreatedTestPki,
  type TestPki,
  type TestPkiOptions,
  type TestPkiRole,
  createTestPki,
  loadTestPki,
  testPkiFiles,
  TEST_PKI_ROLES,
  TEST_PKI_SUBJECTS,
} from './test-pki.js';
export { type KeyFileFormat, type KeyFileReport, type KeyFileReportOptions, type ReportedCertificate, type ReportedKey, reportKeyFile, sniffKeyFileFormat } from './file-report.js';
