/**
 * Distinguished names as the reference implementation prints them (X509SubjectName in process cards, signer
 * subjects in the vectors): the RDNs in certificate (DER) order joined by commas, e.g.
 * `C=de,O=Governikus KG,OU=Testcertificate Governikus,CN=Alice Signature 4096`. Node prints the reverse order.
 */
import type { X509Certificate } from 'node:crypto';

function derOrder(name: string): string {
  return name
    .split('\n')
    .filter((l) => l !== '')
    .reverse()
    .join(',');
}

export function subjectName(cert: X509Certificate): string {
  return derOrder(cert.subject);
}

export function issuerName(cert: X509Certificate): string {
  return derOrder(cert.issuer);
}

/** Decimal serial number (process-card form). */
export function serialDecimal(cert: X509Certificate): string {
  return BigInt(`0x${cert.serialNumber}`).toString(10);
}
