/**
 * `inspect`: decodes one OSCI message file (an HTTP body as sent or received, or an unencrypted inner message)
 * with whichever of the given keys fits each layer, and reports everything as one JSON-serialisable object
 * (DESIGN.md "inspect --json"): messageType, ok, error {kind, osciCode?, message}, signature {valid, signer,
 * pinned}, contents and attachments with SHA-256, plus control block, algorithms, process cards and feedback.
 *
 * `ok` is false at the first failure, in this order: MIME/XML (malformed, hostile-xml), transport decryption,
 * SOAP fault, message signature (signature-invalid, digest-mismatch, signature-incomplete; with trusted signers
 * given: signature-missing when the message carries no ClientSignature/SupplierSignature, signer-untrusted),
 * 9xxx feedback (osci-error), content decryption / content signatures, then content coverage: a Content of a
 * signed container that no signature of it covers is `signature-incomplete` unless `allowUncoveredContent` (the
 * `coverage` list reports every content's status either way, core/osci/content/coverage.ts). The error kinds are
 * those of core/osci/errors.ts.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { KeyEntry } from '../pki/pkcs12.js';
import type { ByteSource } from '../io/byte-source.js';
import { PostfachError, toPostfachError } from '../errors.js';
import { contentCoverage, type CoverageStatus } from './content/coverage.js';
import { decodeContent, type ContainerResult, type ContentResult } from './content/decode.js';
import { decodeMessage, type DecodedMessage } from './decode.js';
import { osciError } from './errors.js';
import { feedbackText, isErrorCode } from './messages/feedback-codes.js';
import type { Timestamp } from './messages/model.js';
import { subjectName } from './signature/cert-names.js';
import type { TrustAnchors } from './signature/trust.js';

export interface InspectOptions {
  readonly keys: readonly KeyEntry[];
  /** Signers to pin the message signature against; without, `pinned` is false and does not fail the result. */
  readonly trustedSigners?: TrustAnchors;
  /** CAs for author signatures (content). */
  readonly authorAnchors?: TrustAnchors;
  /** Report a Content its container's signature does not cover without failing (`ok` stays true; `coverage` says it). */
  readonly allowUncoveredContent?: boolean;
}

export interface InspectReport {
  messageType: string | null;
  ok: boolean;
  error?: { kind: string; osciCode?: string; message: string; messageEn: string; detail: string };
  size: number;
  sha256: string;
  transport: null | {
    encrypted: true;
    decryptedWith: string;
    symmetric: string;
    ivLength: number;
    ivLengthElement: number | null;
    keyTransport: string;
    oaepDigest: string | null;
    mgf: string | null;
    partEncoding: string;
    weak: boolean;
    innerLength: number;
    innerSha256: string;
  };
  schemaLocation?: string | null;
  headerBlocks?: string[];
  controlBlock?: { conversationId: string | null; sequenceNumber: number | null; response: string | null; challenge: string | null } | null;
  desiredLanguages?: string | null;
  messageId?: string | null;
  subject?: string | null;
  selectionRule?: unknown;
  chunkInformation?: unknown;
  signature: {
    present: boolean;
    wrapper: string | null;
    valid: boolean;
    allPartsSigned: boolean;
    signer: string | null;
    signerSha256: string | null;
    pinned: boolean;
    algorithm: string | null;
    references: Array<{ uri: string; digestMethod: string; ok: boolean }>;
    uncovered: string[];
    weak: boolean;
  };
  certificates?: Array<{ role: string; id: string | null; subject: string; sha256: string }>;
  feedback?: Array<{ code: string; lang: string | null; text: string; meaning: string }>;
  fault?: { faultCode: string; faultString: string; osciCode: string | null } | null;
  processCards?: Array<{
    messageId: string;
    recentModification: string | null;
    creation: string | null;
    forwarding: string | null;
    reception: string | null;
    subject: string | null;
    inspections: number;
  }>;
  containers: Array<{
    path: string;
    id: string | null;
    origin: string;
    encryptedDataId: string | null;
    encryption: unknown;
    plaintextLength: number | null;
    plaintextSha256: string | null;
    signatures: Array<{ valid: boolean; signer: string | null; trust: string; algorithm: string; references: string[]; failure: string | null }>;
    error: { kind: string; detail: string } | null;
  }>;
  contents: Array<{ container: string; containerId: string | null; id: string | null; kind: string; length: number; sha256: string }>;
  /**
   * What the author signatures cover, per content (nested containers listed by their contents): `covered`,
   * `not-covered` (its container is signed, no signature covers it), `unsigned`, `digest-mismatch`,
   * `signature-invalid`, `undecryptable` (an attachment its container's key does not open).
   */
  coverage: Array<{ container: string; id: string | null; kind: string; contentId: string | null; status: CoverageStatus; signedBy: Array<string | null> }>;
  attachments: Array<{
    contentId: string;
    container: string | null;
    contentItemId: string | null;
    encrypted: boolean;
    transferEncoding: string | null;
    transportedLength: number;
    transportedSha256: string;
    length: number | null;
    sha256: string | null;
  }>;
  weakAlgorithms: boolean;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function sha256Source(src: ByteSource): Promise<string> {
  const h = createHash('sha256');
  for await (const c of src.stream()) h.update(c);
  return h.digest('hex');
}

function ts(t: Timestamp | undefined): string | null {
  return t ? (t.plain ?? (t.cryptographic ? `cryptographic:${t.cryptographic.value.slice(0, 16)}…` : null)) : null;
}

function errorJson(e: PostfachError): NonNullable<InspectReport['error']> {
  return { kind: e.kind, ...(e.osciCode ? { osciCode: e.osciCode } : {}), message: e.text.de, messageEn: e.text.en, detail: e.detail };
}

export async function inspectMessage(body: ByteSource, options: InspectOptions): Promise<InspectReport> {
  const whole = await sha256Source(body);
  const report: InspectReport = {
    messageType: null,
    ok: true,
    error: undefined,
    size: body.size,
    sha256: whole,
    transport: null,
    signature: {
      present: false,
      wrapper: null,
      valid: false,
      allPartsSigned: false,
      signer: null,
      signerSha256: null,
      pinned: false,
      algorithm: null,
      references: [],
      uncovered: [],
      weak: false,
    },
    containers: [],
    contents: [],
    coverage: [],
    attachments: [],
    weakAlgorithms: false,
  };
  const fail = (e: PostfachError) => {
    if (report.ok) {
      report.ok = false;
      report.error = errorJson(e);
    }
  };
  let decoded: DecodedMessage | undefined;
  try {
    decoded = await decodeMessage(body, { keys: options.keys, ...(options.trustedSigners ? { anchors: options.trustedSigners } : {}) });
  } catch (error) {
    fail(toPostfachError(error));
    return report;
  }
  try {
    await fillReport(report, decoded, options, fail);
  } catch (error) {
    fail(toPostfachError(error));
  } finally {
    await decoded.release();
  }
  return report;
}

async function fillReport(report: InspectReport, decoded: DecodedMessage, options: InspectOptions, fail: (e: PostfachError) => void): Promise<void> {
  const m = decoded.message;
  report.messageType = m.type;
  if (decoded.transport) {
    const t = decoded.transport;
    report.transport = {
      encrypted: true,
      decryptedWith: subjectName(t.key.certificate),
      symmetric: t.algorithms.symmetric,
      ivLength: t.algorithms.ivLength,
      ivLengthElement: t.algorithms.ivLengthElement ?? null,
      keyTransport: t.algorithms.keyTransport,
      oaepDigest: t.algorithms.oaepDigest ?? null,
      mgf: t.algorithms.mgf ?? null,
      partEncoding: t.algorithms.partEncoding,
      weak: t.algorithms.weak,
      innerLength: decoded.inner.size,
      innerSha256: await sha256Source(decoded.inner),
    };
    report.weakAlgorithms ||= t.algorithms.weak;
  }
  if (m.type === 'SOAPFault') {
    report.fault = { faultCode: m.fault!.faultCode, faultString: m.fault!.faultString, osciCode: m.fault!.osciCode ?? null };
    fail(
      osciError('fault', `SOAP fault ${m.fault!.faultCode} ${m.fault!.osciCode ?? ''}`.trim(), {
        ...(m.fault!.osciCode ? { osciCode: m.fault!.osciCode } : {}),
        text: {
          de: `Der Intermediär hat mit einer Fehlermeldung geantwortet: ${feedbackText(m.fault!.osciCode ?? '9000', 'de')}`,
          en: `The intermediary answered with an error message: ${feedbackText(m.fault!.osciCode ?? '9000', 'en')}`,
        },
      }),
    );
    return;
  }
  report.schemaLocation = m.schemaLocation ?? null;
  report.headerBlocks = m.headerBlocks.map((b) => `${b.localName}${b.id !== undefined ? `#${b.id}` : ''}`);
  report.controlBlock = m.controlBlock
    ? {
        conversationId: m.controlBlock.conversationId ?? null,
        sequenceNumber: m.controlBlock.sequenceNumber ?? null,
        response: m.controlBlock.response ?? null,
        challenge: m.controlBlock.challenge ?? null,
      }
    : null;
  report.desiredLanguages = m.desiredLanguages ?? null;
  report.messageId = m.order.messageId ?? null;
  report.subject = m.order.subject ?? null;
  if (m.order.selectionRule || m.order.selectionRuleEcho) report.selectionRule = m.order.selectionRule ?? m.order.selectionRuleEcho;
  if (m.order.chunkInformation) report.chunkInformation = m.order.chunkInformation;
  report.certificates = [...m.nonIntermediaryCertificates, ...m.intermediaryCertificates].map((c) => ({
    role: c.role,
    id: c.id ?? null,
    subject: subjectName(c.certificate),
    sha256: sha256(c.certificate.raw),
  }));
  report.feedback = m.feedback.map((f) => ({ code: f.code, lang: f.lang ?? null, text: f.text, meaning: feedbackText(f.code, 'de') }));
  report.processCards = m.processCards.map((p) => ({
    messageId: p.messageId,
    recentModification: p.processCard?.recentModification ?? null,
    creation: ts(p.processCard?.creation),
    forwarding: ts(p.processCard?.forwarding),
    reception: ts(p.processCard?.reception),
    subject: p.processCard?.subject ?? null,
    inspections: p.inspections.length,
  }));

  const s = decoded.signature;
  const signer: X509Certificate | undefined = s.signer;
  report.signature = {
    present: s.present,
    wrapper: s.wrapper ?? null,
    valid: s.valid,
    allPartsSigned: s.allPartsSigned,
    signer: signer ? subjectName(signer) : null,
    signerSha256: signer ? sha256(signer.raw) : null,
    pinned: s.trust !== 'untrusted',
    algorithm: s.signatureMethod ?? null,
    references: s.references.map((r) => ({ uri: r.uri, digestMethod: r.digestMethod, ok: r.ok })),
    uncovered: [...s.uncovered],
    weak: s.weak,
  };
  report.weakAlgorithms ||= s.weak;
  if (s.present && s.failure) fail(osciError(s.failure.kind, s.failure.detail, { osciCode: s.failure.kind === 'signature-incomplete' ? '9602' : '9601' }));
  // a signer to trust was named: a message without any signature cannot come from it (a stripped signature)
  if (!s.present && options.trustedSigners) fail(osciError('signature-missing', `${m.type}: no ClientSignature or SupplierSignature, but trusted signers were given`));
  if (s.present && !s.failure && options.trustedSigners && s.trust === 'untrusted') {
    fail(osciError('signer-untrusted', 'message signer is not among the trusted signers'));
  }
  const firstFeedback = m.feedback[0];
  if (firstFeedback && isErrorCode(firstFeedback.code) && firstFeedback.code !== '9803') {
    fail(osciError('osci-error', `feedback ${firstFeedback.code}`, { osciCode: firstFeedback.code }));
  }

  // attachments as transported
  for (const [cid, part] of m.attachments) {
    const data = await part.decoded();
    report.attachments.push({
      contentId: cid,
      container: null,
      contentItemId: null,
      encrypted: false,
      transferEncoding: part.transferEncoding ?? null,
      transportedLength: data.size,
      transportedSha256: await sha256Source(data),
      length: null,
      sha256: null,
    });
  }

  let content: ContentResult;
  try {
    content = await decodeContent(m, { keys: options.keys, scope: decoded.scope, ...(options.authorAnchors ? { authorAnchors: options.authorAnchors } : {}) });
  } catch (error) {
    fail(toPostfachError(error));
    return;
  }
  const walk = async (c: ContainerResult | undefined, path: string, encryptedDataId: string | null, error: PostfachError | undefined): Promise<void> => {
    report.containers.push({
      path,
      id: c?.id ?? null,
      origin: c?.origin ?? 'encrypted',
      encryptedDataId,
      encryption: c?.encryption ?? null,
      plaintextLength: c?.plaintext ? c.plaintext.size : null,
      plaintextSha256: c?.plaintext ? await sha256Source(c.plaintext) : null,
      signatures: (c?.signatures ?? []).map((sig) => ({
        valid: sig.valid,
        signer: sig.signerSubject ?? null,
        trust: sig.trust,
        algorithm: sig.signatureMethod,
        references: sig.references.map((r) => r.uri),
        failure: sig.failure ? `${sig.failure.kind}: ${sig.failure.detail}` : null,
      })),
      error: error ? { kind: error.kind, detail: error.detail } : null,
    });
    if (!c) return;
    report.weakAlgorithms ||= (c.encryption?.weak ?? false) || c.signatures.some((x) => x.weak);
    for (const item of c.contents) {
      if (item.kind === 'nested-container') {
        await walk(item.container, `${path}/${item.container.id ?? item.id ?? '?'}`, null, undefined);
        continue;
      }
      report.contents.push({ container: path, containerId: c.id ?? null, id: item.id ?? null, kind: item.kind, length: item.length, sha256: item.sha256 });
      if (item.kind === 'attachment') {
        const a = report.attachments.find((x) => x.contentId === item.contentId);
        if (a) {
          a.container = path;
          a.contentItemId = item.id ?? null;
          a.encrypted = item.encrypted;
          a.length = item.length;
          a.sha256 = item.sha256;
        }
      }
    }
    for (const n of c.nestedEncrypted) await walk(n.container, `${path}/${n.container?.id ?? n.encryptedDataId ?? '?'}`, n.encryptedDataId ?? null, n.error);
  };
  for (const item of content.items) {
    if (item.kind === 'plain') await walk(item.container, item.container.id ?? '?', null, undefined);
    else await walk(item.container, item.container?.id ?? item.encryptedDataId ?? '?', item.encryptedDataId ?? null, item.error);
  }
  if (content.firstError) {
    fail(content.firstError);
  }
  const coverage = contentCoverage(content);
  report.coverage = coverage.items.map((c) => ({
    container: c.path,
    id: c.item.id ?? null,
    kind: c.item.kind,
    contentId: c.item.kind === 'attachment' ? c.item.contentId : null,
    status: c.status,
    signedBy: c.coveredBy.map((sig) => sig.signerSubject ?? null),
  }));
  const uncovered = coverage.items.find((c) => c.status === 'not-covered');
  if (uncovered && !options.allowUncoveredContent) {
    fail(
      osciError(
        'signature-incomplete',
        `content ${(uncovered.item.id ?? uncovered.item.kind).slice(0, 80)} in container ${uncovered.path.slice(0, 120)} is not covered by the container's signature`,
        {
          text: {
            de: 'Die Signatur eines Inhaltscontainers deckt nicht alle seine Inhalte ab.',
            en: 'The signature of a content container does not cover all of its contents.',
          },
        },
      ),
    );
  }
}
