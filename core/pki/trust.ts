/**
 * Trust of a certificate (DESIGN.md "Policies" → Trust): does it chain to a CA that local IT configured as
 * trusted, at a given time (for a delivery: its Creation time)? Result `trusted` ("vertrauenswürdig"),
 * `unknown-issuer` ("unbekannter Aussteller") or `invalid` ("ungültig"), with reasons.
 *
 * Path building: from the certificate, issuers are looked for among the trust anchors and the intermediates
 * (from the message or the p12) by name and, where both carry them, by authority/subject key identifier; every
 * candidate path is checked (signature, validity at the time, issuer is a CA allowed to sign certificates, path
 * length, no unknown critical extension) and the best one is reported. Validity is checked for every certificate
 * at the one given time (shell model). A problem found on the way (a bad signature, an expired certificate) makes
 * the result `invalid` even when no trusted issuer is found. Revocation (OCSP/CRL) is not checked:
 * `revocation: 'not-checked'`.
 */
import type { X509Certificate } from 'node:crypto';
import { sameName } from './distinguished-name.js';
import { EXTENSION } from './oids.js';
import { x509Fields } from './x509-fields.js';

export type TrustStatus = 'trusted' | 'unknown-issuer' | 'invalid';

export type TrustReasonCode =
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issuer-not-ca'
  | 'issuer-not-allowed-to-sign'
  | 'path-too-long'
  | 'unsupported-critical-extension'
  | 'issuer-not-found'
  | 'untrusted-root';

/** Why a certificate is not trusted, as a code (its words: core/domain/words `signatureReason`). */
export interface TrustReason {
  readonly code: TrustReasonCode;
  /** Position in `chain` of the certificate the reason is about (0 = the checked certificate). */
  readonly position: number;
}

export interface TrustResult {
  readonly status: TrustStatus;
  /** Empty when trusted. */
  readonly reasons: readonly TrustReason[];
  /** The checked certificate first, then its issuers as far as found (ending at the anchor when trusted). */
  readonly chain: readonly X509Certificate[];
  readonly revocation: 'not-checked';
  /** ISO 8601: the time the validity was evaluated at. */
  readonly checkedAt: string;
}

export interface ChainOptions {
  /** CA (or end-entity) certificates local IT configured as trusted. */
  readonly trustAnchors: readonly X509Certificate[];
  /** Further certificates that may complete the chain (from the message, the p12); not trusted themselves. */
  readonly intermediates?: readonly X509Certificate[];
  /** Evaluate validity at this time (default: now). */
  readonly at?: Date;
}

const MAX_DEPTH = 8;

/** Critical extensions this check understands (RFC 5280 requires rejecting any other critical extension). */
const UNDERSTOOD_CRITICAL = new Set<string>([
  EXTENSION.keyUsage,
  EXTENSION.basicConstraints,
  EXTENSION.extKeyUsage,
  EXTENSION.subjectAltName,
  EXTENSION.issuerAltName,
  EXTENSION.subjectKeyIdentifier,
  EXTENSION.authorityKeyIdentifier,
  EXTENSION.certificatePolicies,
]);

function reason(code: TrustReasonCode, position: number): TrustReason {
  return { code, position };
}

function couldHaveIssued(issuer: X509Certificate, child: X509Certificate): boolean {
  const i = x509Fields(issuer);
  const c = x509Fields(child);
  if (!sameName({ der: i.subjectDer, name: i.subject }, { der: c.issuerDer, name: c.issuer })) return false;
  // same CA name, other key (CA key rollover): the key identifiers tell them apart where both are present
  return c.authorityKeyId === undefined || i.subjectKeyId === undefined || c.authorityKeyId === i.subjectKeyId;
}

function verifies(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function timeReasons(cert: X509Certificate, position: number, at: Date): TrustReason[] {
  const { notBefore, notAfter } = x509Fields(cert);
  if (at.getTime() > notAfter.getTime()) return [reason('expired', position)];
  if (at.getTime() < notBefore.getTime()) return [reason('not-yet-valid', position)];
  return [];
}

function extensionReasons(cert: X509Certificate, position: number): TrustReason[] {
  const unknown = x509Fields(cert).extensions.some((e) => e.critical && !UNDERSTOOD_CRITICAL.has(e.oid));
  return unknown ? [reason('unsupported-critical-extension', position)] : [];
}

/** Checks that `issuer` (at `position` in the chain) may sign and did sign `child`. */
function linkReasons(child: X509Certificate, issuer: X509Certificate, position: number, caBelow: number): TrustReason[] {
  const fields = x509Fields(issuer);
  const reasons: TrustReason[] = [];
  const isV1Root = fields.extensions.length === 0 && fields.subjectDer.equals(fields.issuerDer);
  if (fields.basicConstraints?.ca !== true && !isV1Root) reasons.push(reason('issuer-not-ca', position));
  if (fields.keyUsage !== null && !fields.keyUsage.includes('keyCertSign')) reasons.push(reason('issuer-not-allowed-to-sign', position));
  const pathLength = fields.basicConstraints?.pathLength;
  if (pathLength !== undefined && caBelow > pathLength) reasons.push(reason('path-too-long', position));
  if (!verifies(child, issuer)) reasons.push(reason('bad-signature', position - 1));
  return reasons;
}

interface Candidate {
  readonly chain: X509Certificate[];
  readonly anchored: boolean;
  readonly reasons: TrustReason[];
}

function score(c: Candidate): number {
  // prefer complete paths without problems, then complete paths, then the longest partial path with fewest problems
  return (c.anchored ? 0 : 1000) + c.reasons.length * 10 - c.chain.length;
}

/** Validates `cert` against the trust anchors at `options.at`. */
export function validateChain(cert: X509Certificate, options: ChainOptions): TrustResult {
  const at = options.at ?? new Date();
  const anchors = options.trustAnchors;
  const pool = [...anchors, ...(options.intermediates ?? [])];
  const isAnchor = (c: X509Certificate): boolean => anchors.some((a) => a.raw.equals(c.raw));
  const candidates: Candidate[] = [];

  const walk = (chain: X509Certificate[], reasons: TrustReason[]): void => {
    const last = chain[chain.length - 1] as X509Certificate;
    const position = chain.length - 1;
    if (isAnchor(last)) {
      candidates.push({ chain, anchored: true, reasons });
      return;
    }
    const issuers = pool.filter((p) => !chain.some((c) => c.raw.equals(p.raw)) && couldHaveIssued(p, last));
    if (issuers.length === 0 || chain.length >= MAX_DEPTH) {
      const selfIssued = x509Fields(last).subjectDer.equals(x509Fields(last).issuerDer);
      const selfSigned = selfIssued && verifies(last, last);
      const ending: TrustReason[] = [];
      if (selfSigned && position > 0) ending.push(reason('untrusted-root', position));
      else ending.push(reason('issuer-not-found', position));
      // claims to be self-signed, but its signature fails
      if (selfIssued && !selfSigned) ending.push(reason('bad-signature', position));
      candidates.push({ chain, anchored: false, reasons: [...reasons, ...ending] });
      return;
    }
    for (const issuer of issuers) {
      const next = chain.length;
      // CA certificates below this issuer in the path (the end-entity does not count, RFC 5280 §4.2.1.9)
      const caBelow = Math.max(0, next - 1);
      walk([...chain, issuer], [...reasons, ...linkReasons(last, issuer, next, caBelow), ...timeReasons(issuer, next, at), ...extensionReasons(issuer, next)]);
    }
  };
  walk([cert], [...timeReasons(cert, 0, at), ...extensionReasons(cert, 0)]);

  const best = candidates.reduce((a, b) => (score(b) < score(a) ? b : a));
  const hardReasons = best.reasons.filter((r) => r.code !== 'issuer-not-found' && r.code !== 'untrusted-root');
  const status: TrustStatus = hardReasons.length > 0 ? 'invalid' : best.anchored ? 'trusted' : 'unknown-issuer';
  return {
    status,
    reasons: best.reasons,
    chain: best.chain,
    revocation: 'not-checked',
    checkedAt: at.toISOString(),
  };
}

/**
 * The pin check for the intermediary's SupplierSignature (PROTOCOL.md §13.1): the signer certificate equals one
 * of the pinned certificates byte for byte, or chains to one of them (a pinned CA) at time `at`.
 */
export function matchesPinnedSigner(cert: X509Certificate, pins: readonly X509Certificate[], intermediates: readonly X509Certificate[] = [], at: Date = new Date()): boolean {
  if (pins.some((p) => p.raw.equals(cert.raw))) return true;
  return validateChain(cert, { trustAnchors: pins, intermediates, at }).status === 'trusted';
}

/** JSON form of a trust result: codes, certificates as subject + fingerprint (words are said where it is shown). */
export function trustResultJson(result: TrustResult): {
  status: TrustStatus;
  reasons: { code: TrustReasonCode; position: number }[];
  chain: { subject: string; fingerprintSha256: string }[];
  revocation: 'not-checked';
  checkedAt: string;
} {
  return {
    status: result.status,
    reasons: result.reasons.map((r) => ({ code: r.code, position: r.position })),
    chain: result.chain.map((c) => ({ subject: x509Fields(c).subject.rfc2253, fingerprintSha256: c.fingerprint256 })),
    revocation: result.revocation,
    checkedAt: result.checkedAt,
  };
}
