/**
 * A stored delivery's author-signature trust, judged again under another set of trusted CAs — the ONE place that
 * knows how to do it, so that a change of the stored signature format is merged here and nowhere else.
 *
 * What is judged again: only whether each author signer's certificate chains to a trusted CA (`certificate`,
 * its reasons and the words), at the time the stored check was judged at (`checkedAt`: the Eingang then), from the
 * signer's certificate kept beside the checks (`evidence`, message-dto.ts) or — for deliveries stored before that
 * was kept — the sender certificate of the message where it is the signer (same SHA-256 fingerprint). Whether the
 * signature is mathematically valid, and what it covers, was decided at the fetch and stays. A check whose signer
 * certificate is not at hand stays as it was. The list status follows from the checks (listStatusOf).
 */
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { signatureCheckSchema, type SignatureCheck } from '../api/contract/mailbox.js';
import { validateChain } from '../pki/trust.js';
import { caSetDigest, type JsonValue, type StoredTrustRow, type TrustEvaluation, type TrustUpdate } from '../store/index.js';
import { words } from './accept-delivery.js';
import { listStatusOf } from './message-dto.js';

/** The stored signature result as far as re-evaluation reads it; other keys are kept as they are. */
const storedSignatures = z.looseObject({
  version: z.literal(1),
  checks: z.array(signatureCheckSchema),
  evidence: z.object({ signers: z.array(z.string().nullable()), intermediates: z.array(z.string()) }).optional(),
});

function certificateFrom(base64: string | null | undefined): X509Certificate | undefined {
  if (!base64) return undefined;
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
}

export interface TrustContext {
  /** The CAs trusted now (office and IT, in force). */
  readonly anchors: readonly X509Certificate[];
  /** Further certificates that may complete a chain (from the mailbox's key files). */
  readonly intermediates: readonly X509Certificate[];
}

/** The new signature result and list status of one stored delivery, or undefined when nothing changes. */
export function reevaluatedSignatures(row: StoredTrustRow, trust: TrustContext): TrustUpdate | undefined {
  const parsed = storedSignatures.safeParse(row.signatureResult);
  if (!parsed.success) return undefined;
  const stored = parsed.data;
  const sender = row.senderCertificate ? certificateFrom(row.senderCertificate.toString('base64')) : undefined;
  const carried = (stored.evidence?.intermediates ?? []).map(certificateFrom).filter((c): c is X509Certificate => c !== undefined);
  let changed = false;
  const checks = stored.checks.map((check, index): SignatureCheck => {
    if (check.role !== 'author' || check.signer === undefined || check.checkedAt === undefined) return check;
    const signer = certificateFrom(stored.evidence?.signers[index]) ?? (sender?.fingerprint256 === check.signer.fingerprintSha256 ? sender : undefined);
    if (signer === undefined || signer.fingerprint256 !== check.signer.fingerprintSha256) return check;
    const judged = validateChain(signer, { trustAnchors: trust.anchors, intermediates: [...carried, ...trust.intermediates], at: new Date(check.checkedAt) });
    const reasons = judged.reasons.map((r) => ({ de: r.de, en: r.en }));
    if (judged.status === check.certificate && JSON.stringify(reasons) === JSON.stringify(check.reasons)) return check;
    changed = true;
    return { ...check, certificate: judged.status, reasons, words: words(check.result, judged.status) };
  });
  if (!changed) return undefined;
  return { signatureResult: { ...(row.signatureResult as Record<string, JsonValue>), checks: checks as unknown as JsonValue[] }, signatureStatus: listStatusOf(checks, row.unreadable) };
}

/** The judgement under a set of CAs as the store runs it over its deliveries (core/store trusted-cas.ts). */
export function trustEvaluation(trust: TrustContext): TrustEvaluation {
  return { digest: caSetDigest(trust.anchors.map((c) => c.fingerprint256)), evaluate: (row) => reevaluatedSignatures(row, trust) };
}
