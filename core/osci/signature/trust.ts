/**
 * Signer pinning (DESIGN.md "Policies"): a signature counts only if its certificate equals a configured
 * certificate (DER byte for byte) or chains to a configured CA certificate.
 */
import type { X509Certificate } from 'node:crypto';

export interface TrustAnchors {
  /** Certificates that are trusted as they are (e.g. the intermediary's signature certificate). */
  readonly pinned?: readonly X509Certificate[];
  /** CA certificates: a signer issued (directly or through `intermediates`) by one of them is trusted. */
  readonly cas?: readonly X509Certificate[];
  /** Chain certificates that may sit between a signer and a CA (e.g. from a .p12). */
  readonly intermediates?: readonly X509Certificate[];
}

export type TrustResult = 'pinned' | 'chained' | 'untrusted';

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function evaluateTrust(signer: X509Certificate, anchors: TrustAnchors | undefined, at = new Date()): TrustResult {
  if (!anchors) return 'untrusted';
  if ((anchors.pinned ?? []).some((p) => p.raw.equals(signer.raw))) return 'pinned';
  const cas = anchors.cas ?? [];
  if (cas.length === 0) return 'untrusted';
  const validAt = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
  if (!validAt(signer)) return 'untrusted';
  let current = signer;
  for (let depth = 0; depth < 6; depth++) {
    if (cas.some((ca) => ca.raw.equals(current.raw) || issuedBy(current, ca))) return 'chained';
    const next = (anchors.intermediates ?? []).find((i) => !i.raw.equals(current.raw) && issuedBy(current, i));
    if (!next) break;
    current = next;
  }
  return 'untrusted';
}
