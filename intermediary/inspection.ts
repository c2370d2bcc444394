/**
 * The intermediary's own statement about the sender's certificates (process card InspectionReport, PROTOCOL.md
 * §10.1): for every certificate of a StoreDelivery's NonIntermediaryCertificates, the issuer signature
 * (MathResult) and validity with the chain to a configured CA at the time of receipt (OfflineResult). Revocation
 * is not checked (no OnlineResult). This is a statement for the process card, not a proof (PROTOCOL.md §13.8).
 */
import type { X509Certificate } from 'node:crypto';
import { validateChain } from '../core/pki/trust.js';
import { issuerName, serialDecimal, subjectName } from '../core/osci/signature/cert-names.js';
import type { Inspection } from '../core/osci/messages/model.js';
import { osciTime } from './time.js';

export interface InspectionAnchors {
  /** CAs the intermediary trusts (the test PKI's CA, or the CAs given on the command line). */
  readonly cas: readonly X509Certificate[];
  /** Chain certificates that may complete a path (e.g. from the intermediary's p12). */
  readonly intermediates?: readonly X509Certificate[];
}

export function inspectCertificate(cert: X509Certificate, anchors: InspectionAnchors, at: Date): Inspection {
  const result = validateChain(cert, { trustAnchors: anchors.cas, intermediates: anchors.intermediates ?? [], at });
  const badSignature = result.reasons.some((r) => r.code === 'bad-signature');
  const issuerFound = result.chain.length > 1 || result.status === 'trusted';
  return {
    timestamp: { plain: osciTime(at) },
    subjectName: subjectName(cert),
    issuerName: issuerName(cert),
    serialNumber: serialDecimal(cert),
    certType: result.status === 'trusted' ? 'advanced' : 'unknown',
    mathResult: badSignature ? 'corrupted' : issuerFound ? 'ok' : 'indeterminate',
    offlineResult: result.status === 'trusted' ? 'valid' : result.status === 'invalid' ? 'invalid' : 'indeterminate',
    onlineResult: undefined,
  };
}

/** One inspection per distinct certificate, in the order given. */
export function inspectCertificates(certs: readonly X509Certificate[], anchors: InspectionAnchors, at: Date): Inspection[] {
  const seen: Buffer[] = [];
  const out: Inspection[] = [];
  for (const cert of certs) {
    if (seen.some((d) => d.equals(cert.raw))) continue;
    seen.push(cert.raw);
    out.push(inspectCertificate(cert, anchors, at));
  }
  return out;
}
