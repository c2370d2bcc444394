/**
 * The Sozialplattform-like sender (`postfach send`): builds synthetic XSozial-basis applications with the
 * generator (deterministic for a seed) or takes a file's bytes unchanged, signs the content container with the
 * sender key, encrypts it for the municipality, adds evidence files as content-encrypted OSCI attachments
 * (produced as streams: 200 MB never sit in memory), and stores each with GetMessageId + StoreDelivery in an
 * implicit dialog, as PROTOCOL.md §2.1 describes.
 */
import { createHash, randomBytes, type X509Certificate } from 'node:crypto';
import path from 'node:path';
import { transformedSource, type ByteSource } from '../../core/io/byte-source.js';
import { PostfachError } from '../../core/errors.js';
import { readGivenFile } from '../../core/io/given-file.js';
import { ImplicitSender, type PostFunction } from '../../core/osci/client/dialog.js';
import { httpPost } from './http-post.js';
import type { TrustAnchors } from '../../core/osci/signature/trust.js';
import { loadCertificate, loadPkcs12, type KeyEntry } from '../../core/pki/pkcs12.js';
import { resolveMailboxKeys } from '../../core/pki/key-selection.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { generateApplication, SERVICES, type Service } from '../generator/application.js';
import { EVIDENCE_EXTENSION, evidencePlan, type EvidenceKind } from '../generator/evidence.js';
import { DEFAULT_SEND_ALGORITHMS, signatureMethodFor, type SendAlgorithms } from './algorithms.js';
import { buildApplicationContent } from './content.js';

/** Keys and certificates of a sending session. */
export interface SenderSetup {
  /** The sender's key: content signature, ClientSignature, and its certificate as the originator's cipher certificate. */
  readonly sender: KeyEntry;
  /** The municipality's cipher certificate: the mailbox the deliveries go to. */
  readonly recipient: X509Certificate;
  /** The intermediary's cipher certificate (requests are encrypted for it). */
  readonly intermediaryCertificate: X509Certificate;
  /** Who must have signed the intermediary's responses. */
  readonly intermediarySigner: TrustAnchors;
  /** A separate signature key (ClientSignature and author signature), e.g. an EC key for ECDSA; default `sender`. */
  readonly signatureKey?: KeyEntry;
}

export interface SenderSetupFiles {
  /** Folder of a test PKI (`postfach pki init --dir`). */
  readonly pkiDir: string;
  /** Another mailbox than the test PKI's municipality (a .cer file). */
  readonly recipientCertificate?: string;
  /** Another intermediary cipher certificate than DIR/intermediary.cer. */
  readonly intermediaryCertificate?: string;
  /** Another certificate or CA for the intermediary's responses than DIR/intermediary.cer and DIR/ca.cer. */
  readonly intermediarySigner?: string;
}

export interface SendOptions {
  readonly intermediaryUrl: string;
  readonly setup: SenderSetup;
  /** Number of applications (default 1). */
  readonly count?: number;
  readonly service?: Service;
  /** Seed of the generator (default random); application i of several uses `${seed}-${i}`. */
  readonly seed?: string;
  /** Mark the applications as Testantrag (root @test="true"). */
  readonly test?: boolean;
  /** The moment each application counts as sent, its dates lying before it (default: the clock when it is built). */
  readonly sentAt?: Date;
  /** Evidence files added as OSCI attachments: how many and how large (bytes). */
  readonly attachments?: number;
  readonly attachmentSize?: number;
  /** Send these bytes unchanged as the content instead of a generated application. */
  readonly content?: Buffer;
  /** Encrypt the content for this certificate instead of the recipient's (poison test). */
  readonly contentCertificate?: X509Certificate;
  /** Break the author signature (poison test). */
  readonly tamperSignature?: boolean;
  /** Subject (Betreff) of the process card; default names the service and case, never persons. */
  readonly subject?: string;
  /** Algorithms of both layers (algorithms.ts; default: PROTOCOL.md §7.5). */
  readonly algorithms?: SendAlgorithms;
  /** Transport (default: HTTP POST to intermediaryUrl). */
  readonly post?: PostFunction;
  /** Called after each stored delivery. */
  readonly onSent?: (sent: SentApplication) => void;
  /**
   * A message id this intermediary issued before (GetMessageId), used instead of asking for a new one (count 1):
   * a sender that records the id before it sends can ask for the delivery's process card by it after a crash and
   * send again under the same id, which the intermediary accepts once only (9801).
   */
  readonly messageId?: string;
}

export interface SentApplication {
  /** 1-based position in this run. */
  readonly index: number;
  /** The OSCI message id the intermediary issued. */
  readonly messageId: string;
  readonly subject: string;
  readonly service: Service | undefined;
  readonly seed: string | undefined;
  /** The moment the generated application counts as sent (ISO; its dates lie before it): seed and moment make it again. */
  readonly sentAt: string | undefined;
  readonly test: boolean;
  /** The content (application XML or the file) as sent: length and SHA-256 of the plaintext. */
  readonly content: { readonly length: number; readonly sha256: string };
  readonly attachments: ReadonlyArray<{ readonly contentId: string; readonly length: number; readonly sha256: string }>;
  /** Creation timestamp of the intermediary's process card ("Eingang"). */
  readonly creation: string | undefined;
  readonly feedback: readonly string[];
}

/** Loads the sender's key and the certificates it needs from a test PKI folder (and optional overrides). */
export function loadSenderSetup(files: SenderSetupFiles): SenderSetup {
  const f = testPkiFiles(path.resolve(files.pkiDir));
  const password = readGivenFile(f.password)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  const contents = loadPkcs12(readGivenFile(f.sender.p12), password);
  const { cipher } = resolveMailboxKeys({ primary: contents });
  const signerFile = files.intermediarySigner;
  const intermediaryCertificate = loadCertificate(readGivenFile(files.intermediaryCertificate ?? f.intermediary.cer));
  return {
    sender: cipher,
    recipient: loadCertificate(readGivenFile(files.recipientCertificate ?? f.municipality.cer)),
    intermediaryCertificate,
    intermediarySigner: signerFile
      ? { pinned: [loadCertificate(readGivenFile(signerFile))], cas: [loadCertificate(readGivenFile(signerFile))] }
      : { pinned: [loadCertificate(readGivenFile(f.intermediary.cer))], cas: [loadCertificate(readGivenFile(f.ca))] },
  };
}

const KINDS: readonly EvidenceKind[] = ['pdf', 'jpeg', 'png'];

/** An evidence file as a re-readable source: produced again from the seed on every read, never held whole. */
function evidenceSource(seed: string, index: number, size: number): { contentId: string; data: ByteSource } {
  const kind = KINDS[index % KINDS.length]!;
  const plan = evidencePlan({ seed, index, size, kind });
  return {
    contentId: `anlage-${index + 1}.${EVIDENCE_EXTENSION[kind]}`,
    data: transformedSource(plan.size, async function* () {
      yield* plan.chunks();
    }),
  };
}

async function sha256Of(source: ByteSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.stream()) hash.update(chunk);
  return hash.digest('hex');
}

function usage(detail: string): PostfachError {
  return new PostfachError('invalid-argument', { de: 'Ungültige Angabe für den Versand.', en: 'Invalid option for sending.' }, detail);
}

/** Sends the applications one after the other; returns what was stored. Stops at the first failure. */
export async function sendApplications(options: SendOptions): Promise<SentApplication[]> {
  const count = options.count ?? 1;
  const attachmentCount = options.attachments ?? 0;
  const attachmentSize = options.attachmentSize ?? 100_000;
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw usage(`count ${count}: 1 to 10000`);
  if (options.messageId !== undefined && count !== 1) throw usage(`a given message id for ${count} applications: 1 only`);
  if (!Number.isInteger(attachmentCount) || attachmentCount < 0 || attachmentCount > 100) throw usage(`attachments ${attachmentCount}: 0 to 100`);
  if (!Number.isInteger(attachmentSize) || attachmentSize < 1 || attachmentSize > 4 * 1024 ** 3) throw usage(`attachment size ${attachmentSize}`);
  const service = options.service ?? 'hzl';
  if (!(service in SERVICES)) throw usage(`service ${String(service).slice(0, 20)}`);
  const baseSeed = options.seed ?? randomBytes(6).toString('hex');
  const setup = options.setup;
  const algorithms = options.algorithms ?? DEFAULT_SEND_ALGORITHMS;
  const signatureKey = setup.signatureKey ?? setup.sender;
  // the signature method must fit the key (checked before anything is sent)
  const signatureMethod = signatureMethodFor(algorithms, signatureKey.privateKey);
  const sender = new ImplicitSender({
    post: options.post ?? httpPost(options.intermediaryUrl),
    cipherKey: setup.sender,
    signatureKey,
    intermediaryCertificate: setup.intermediaryCertificate,
    intermediarySigner: setup.intermediarySigner,
    transport: { symmetric: algorithms.symmetric, ivLength: algorithms.ivLength, keyTransport: algorithms.keyTransport, base64: algorithms.transportBase64 },
    signatureAlgorithms: { signatureMethod, digestMethod: algorithms.digestMethod },
  });
  const results: SentApplication[] = [];
  for (let i = 1; i <= count; i++) {
    const seed = count > 1 ? `${baseSeed}-${i}` : baseSeed;
    let document: Buffer;
    let subject: string;
    const sentAt = options.sentAt ?? new Date();
    if (options.content) {
      document = options.content;
      subject = options.subject ?? (count > 1 ? `Testnachricht ${i}` : 'Testnachricht');
    } else {
      const application = await generateApplication({ service, seed, sentAt, ...(options.test ? { test: true } : {}) });
      document = application.bytes();
      const label = `${options.test ? 'Testantrag' : 'Antrag'} ${SERVICES[service].product} – Vorgang ${application.facts.caseId.slice(0, 8)}`;
      subject = options.subject ?? label;
    }
    const attachments = Array.from({ length: attachmentCount }, (_, j) => evidenceSource(seed, j, attachmentSize));
    const content = await buildApplicationContent({
      document,
      attachments,
      sender: setup.sender,
      ...(setup.signatureKey ? { signatureKey: setup.signatureKey } : {}),
      algorithms,
      recipient: setup.recipient,
      ...(options.contentCertificate ? { contentCertificate: options.contentCertificate } : {}),
      ...(options.tamperSignature ? { tamperSignature: true } : {}),
    });
    const messageId = options.messageId ?? (await sender.getMessageId());
    const stored = await sender.storeDelivery({
      messageId,
      subject,
      contentPackageXml: content.contentPackageXml,
      attachments: content.attachments,
      nonIntermediaryCertificates: content.certificates,
    });
    const attachmentFacts = [];
    for (const a of attachments) attachmentFacts.push({ contentId: a.contentId, length: a.data.size, sha256: await sha256Of(a.data) });
    const sent: SentApplication = {
      index: i,
      messageId,
      subject,
      service: options.content ? undefined : service,
      seed: options.content ? undefined : seed,
      sentAt: options.content ? undefined : sentAt.toISOString(),
      test: options.test === true,
      content: { length: document.length, sha256: createHash('sha256').update(document).digest('hex') },
      attachments: attachmentFacts,
      creation: stored.processCard?.processCard?.creation?.plain,
      feedback: stored.feedback.map((f) => f.code),
    };
    results.push(sent);
    options.onSent?.(sent);
  }
  await sender.release();
  return results;
}
