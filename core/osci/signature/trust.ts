/**
 * Signer trust for OSCI signatures (DESIGN.md "Policies"), on top of core/pki's chain validation (path building,
 * CA flags, key usage, path length, validity at the given time):
 *  - message signatures: the signer equals a configured certificate (DER byte for byte) or chains to a configured CA;
 *  - author signatures: `trusted` / `unknown-issuer` / `invalid` against the CAs local IT configured as trusted.
 */
import type { X509Certificate } from 'node:crypto';
import { validateChain, type TrustStatus } from '../../pki/trust.js';

export interface TrustAnchors {
  /** Certificates that are trusted as they are (e.g. the intermediary's signature certificate). */
  readonly pinned?: readonly X509Certificate[];
  /** CA certificates: a signer issued (directly or through `intermediates`) by one of them is trusted. */
  readonly cas?: readonly X509Certificate[];
  /** Chain certificates that may sit between a signer and a CA (e.g. from a .p12 or the message). */
  readonly intermediates?: readonly X509Certificate[];
}

export type TrustResult = 'pinned' | 'chained' | 'untrusted';

export function evaluateTrust(signer: X509Certificate, anchors: TrustAnchors | undefined, at = new Date()): TrustResult {
  if (!anchors) return 'untrusted';
  if ((anchors.pinned ?? []).some((p) => p.raw.equals(signer.raw))) return 'pinned';
  const cas = anchors.cas ?? [];
  if (cas.length === 0) return 'untrusted';
  const chain = validateChain(signer, { trustAnchors: cas, intermediates: anchors.intermediates ?? [], at });
  return chain.status === 'trusted' ? 'chained' : 'untrusted';
}

/** Trust of an author (content) signer in the three words the caseworker sees. */
export function authorTrustStatus(signer: X509Certificate, anchors: TrustAnchors | undefined, at = new Date()): TrustStatus {
  const trustAnchors = [...(anchors?.pinned ?? []), ...(anchors?.cas ?? [])];
  return validateChain(signer, { trustAnchors, intermediates: anchors?.intermediates ?? [], at }).status;
}
