/**
 * Decoding one OSCI message as it travels (an HTTP body): MIME split → SOAP fault detection → transport decryption
 * (if encrypted) with whichever key fits → inner MIME → message model → message signature (+ pinning). The
 * content layer is a separate step (content/decode.ts) so that callers decide what to open.
 *
 * Large data never sits in memory more than once: the body may be a spool, the decrypted inner message goes to
 * an encrypted spool beyond a threshold, MIME parts stay ranges of it. `release()` deletes the spools.
 */
import type { KeyEntry } from '../pki/pkcs12.js';
import { readAll, type ByteSource } from '../io/byte-source.js';
import { SpoolScope } from '../io/sink.js';
import { osciError } from './errors.js';
import type { OsciMessage } from './messages/model.js';
import { parseMessage } from './messages/parse.js';
import { readMultipart, type MimeEntity } from './mime/reader.js';
import { verifyMessageSignature, type MessageSignatureResult } from './signature/message-signature.js';
import type { TrustAnchors } from './signature/trust.js';
import { readPlaintext } from './crypto/symmetric.js';
import { decryptTransport, isTransportEnvelope, parseRootPart, type TransportAlgorithms } from './transport-encryption.js';

export interface DecodeOptions {
  /** Cipher keys that may open the transport layer (client: own cipher key; intermediary: its cipher key). */
  readonly keys: readonly KeyEntry[];
  /** Who may sign (pinned certificates / CAs); without, `trust` is reported as untrusted. */
  readonly anchors?: TrustAnchors;
  /** Refuse unencrypted messages that are not SOAP faults (client policy for responses). */
  readonly requireEncryption?: boolean;
  /** Largest SOAP XML part accepted. */
  readonly maxXmlBytes?: number;
  readonly scope?: SpoolScope;
}

export interface DecodedMessage {
  readonly outer: MimeEntity;
  /** Transport layer facts; undefined when the message was not transport-encrypted. */
  readonly transport:
    | {
        readonly algorithms: TransportAlgorithms;
        readonly recipientCertificateDer: Buffer;
        readonly key: KeyEntry;
      }
    | undefined;
  /** The inner MIME entity bytes (the decrypted layer, or the body itself when unencrypted). */
  readonly inner: ByteSource;
  readonly message: OsciMessage;
  readonly signature: MessageSignatureResult;
  readonly scope: SpoolScope;
  release(): Promise<void>;
}

export async function decodeMessage(body: ByteSource, options: DecodeOptions): Promise<DecodedMessage> {
  const scope = options.scope ?? new SpoolScope();
  try {
    const outer = await readMultipart(body);
    const outerXml = await parseRootPart(outer, 'message', options.maxXmlBytes);
    let transport: DecodedMessage['transport'];
    let inner: ByteSource = body;
    let entity = outer;
    let xml = outerXml;
    if (isTransportEnvelope(outerXml)) {
      const t = await decryptTransport(outer, outerXml, options.keys, scope);
      transport = { algorithms: t.algorithms, recipientCertificateDer: t.recipientCertificateDer, key: t.key };
      inner = t.inner;
      // an unreadable CBC plaintext is the same failure as a bad padding (no oracle, crypto/symmetric.ts)
      const read = await readPlaintext(t.algorithms.symmetric, 'transport-decryption', 'transport layer', async () => {
        const e = await readMultipart(t.inner);
        return { e, x: await parseRootPart(e, 'inner message', options.maxXmlBytes) };
      });
      entity = read.e;
      xml = read.x;
    }
    const message = parseMessage(entity, xml);
    if (!transport && options.requireEncryption && message.type !== 'SOAPFault') {
      throw osciError('malformed', 'unencrypted response to an encrypted request (only SOAP faults may be unencrypted)');
    }
    const signature = await verifyMessageSignature(message, options.anchors);
    return { outer, transport, inner, message, signature, scope, release: () => scope.release() };
  } catch (error) {
    await scope.release();
    throw error;
  }
}

/** Reads the whole inner message into memory (small messages, tests). */
export async function innerBytes(decoded: DecodedMessage, max = 64 * 1024 * 1024): Promise<Buffer> {
  return readAll(decoded.inner, max);
}
