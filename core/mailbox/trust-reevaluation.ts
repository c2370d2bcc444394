/**
 * A stored delivery's author-signature trust, judged again under another set of trusted CAs — the ONE place that
 * knows how to do it, so that a change of the stored signature format is merged here and nowhere else.
 *
 * What is judged again: only whether each author signer's certificate chains to a trusted CA (`certificate`,
 * its reasons), at the time the stored check was judged at (`checkedAt`: the Eingang then), from the
 * signer's certificate kept beside the checks (`evidence`, message-dto.ts) or — for deliveries stored before that
 * was kept — the sender certificate of the message where it is the signer (same SHA-256 fingerprint). Whether the
 * signature is mathematically valid, and what it covers, was decided at the fetch and stays. A check whose signer
 * certificate is not at hand stays as it was. The list status follows from the checks of the signatures that cover
 * the application (listStatusOf over statusChecks). The time judged at is the stored `checkedAt`, which
 * accept-delivery.ts set by the rule of legal-time.ts (the Eingang only when plausible); `expiredSince` stays.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateTrust, SignatureCheckFacts, TrustReasonCode } from '../domain/evidence.js';
import { validateChain } from '../pki/trust.js';
import { x509Fields } from '../pki/x509-fields.js';
import { caSetDigest, type JsonValue, type StoredTrustRow, type TrustEvaluation, type TrustUpdate } from '../store/index.js';
import { ATTACHMENT_NOT_COVERED } from './accept-delivery.js';
import { coverageOf, listStatusOf, storedSignaturesSchema } from './message-dto.js';

/**
 * The checks the list status is made of: for a readable delivery only those of the signatures that cover the
 * application shown (README "Welcher Inhalt ist der Antrag?"), as accept-delivery.ts does; all of them for an
 * unreadable one and for a delivery stored before coverage was recorded (then the status was made of all of them).
 */
function statusChecks(checks: readonly SignatureCheckFacts[], row: StoredTrustRow): readonly SignatureCheckFacts[] {
  if (row.unreadable) return checks;
  const coverage = coverageOf(row.contentCoverage);
  if (coverage.status === 'before-coverage') return checks;
  return coverage.signatures.map((i) => checks[i]).filter((c): c is SignatureCheckFacts => c !== undefined);
}

/** The stored signature result as far as re-evaluation reads it (message-dto.ts); other keys are kept as they are. */
const storedSignatures = storedSignaturesSchema;

export interface TrustContext {
  /** The CAs trusted now (office and IT, in force). */
  readonly anchors: readonly X509Certificate[];
  /** Further certificates that may complete a chain (from the mailbox's key files). */
  readonly intermediates: readonly X509Certificate[];
}

type Judgement = { readonly status: CertificateTrust; readonly reasons: readonly TrustReasonCode[] };

/**
 * What one run over many stored deliveries keeps: certificates already parsed (most deliveries share a handful of
 * sender certificates), and judgements already made. A chain's judgement depends on the time only through which of
 * the certificates involved are valid at that time, so it is reused for every time with the same validity of each.
 */
export class JudgementCache {
  private readonly certificates = new Map<string, X509Certificate | null>();
  private readonly judgements = new Map<string, Judgement>();

  certificate(base64: string | null | undefined): X509Certificate | undefined {
    if (!base64) return undefined;
    let cert = this.certificates.get(base64);
    if (cert === undefined) {
      try {
        cert = new X509Certificate(Buffer.from(base64, 'base64'));
      } catch {
        cert = null;
      }
      if (this.certificates.size < 10_000) this.certificates.set(base64, cert);
    }
    return cert ?? undefined;
  }

  judge(signer: X509Certificate, anchors: readonly X509Certificate[], intermediates: readonly X509Certificate[], at: Date): Judgement {
    const t = at.getTime();
    // the same comparisons as validateChain makes (x509Fields' notBefore/notAfter, both ends inclusive)
    const validity = [signer, ...anchors, ...intermediates].map((c) => {
      const { notBefore, notAfter } = x509Fields(c);
      return t < notBefore.getTime() ? 'b' : t > notAfter.getTime() ? 'a' : 'v';
    });
    const key = [signer, ...anchors, ...intermediates].map((c) => c.fingerprint256).join(',') + `|${validity.join('')}|${Number.isNaN(t) ? 'nan' : ''}`;
    let judged = this.judgements.get(key);
    if (judged === undefined) {
      const result = validateChain(signer, { trustAnchors: anchors, intermediates, at });
      judged = { status: result.status, reasons: result.reasons.map((r) => r.code) };
      if (this.judgements.size < 10_000) this.judgements.set(key, judged);
    }
    return judged;
  }
}

/** The new signature result and list status of one stored delivery, or undefined when nothing changes. */
export function reevaluatedSignatures(row: StoredTrustRow, trust: TrustContext, cache = new JudgementCache()): TrustUpdate | undefined {
  const parsed = storedSignatures.safeParse(row.signatureResult);
  if (!parsed.success) return undefined;
  const stored = parsed.data;
  const sender = row.senderCertificate ? cache.certificate(row.senderCertificate.toString('base64')) : undefined;
  const carried = (stored.evidence?.intermediates ?? []).map((c) => cache.certificate(c)).filter((c): c is X509Certificate => c !== undefined);
  let changed = false;
  const checks = stored.checks.map((check, index): SignatureCheckFacts => {
    if (check.role !== 'author' || check.signer === undefined || check.checkedAt === undefined) return check;
    const signer = cache.certificate(stored.evidence?.signers[index]) ?? (sender?.fingerprint256 === check.signer.fingerprintSha256 ? sender : undefined);
    if (signer === undefined || signer.fingerprint256 !== check.signer.fingerprintSha256) return check;
    let judged: Judgement;
    try {
      judged = cache.judge(signer, trust.anchors, [...carried, ...trust.intermediates], new Date(check.checkedAt));
    } catch {
      // a certificate that cannot be taken apart: the check stays as the fetch made it
      return check;
    }
    const { status } = judged;
    // what the fetch said beside the chain (an attachment its digest does not match) is no matter of trust: kept
    const reasons = [...judged.reasons, ...check.reasons.filter((r) => r === ATTACHMENT_NOT_COVERED)];
    if (status === check.certificate && JSON.stringify(reasons) === JSON.stringify(check.reasons)) return check;
    changed = true;
    return { ...check, certificate: status, reasons };
  });
  if (!changed) return undefined;
  return {
    signatureResult: { ...(row.signatureResult as Record<string, JsonValue>), checks: checks as unknown as JsonValue[] },
    signatureStatus: listStatusOf(statusChecks(checks, row), row.unreadable),
  };
}

/** The judgement under a set of CAs as the store runs it over its deliveries (core/store trusted-cas.ts). */
export function trustEvaluation(trust: TrustContext): TrustEvaluation {
  const cache = new JudgementCache();
  return { digest: caSetDigest(trust.anchors.map((c) => c.fingerprint256)), evaluate: (row) => reevaluatedSignatures(row, trust, cache) };
}
