/**
 * Reading a request as the supplier does (PROTOCOL.md §8.3), step by step so that each failure gets the OSCI
 * code of its step: MIME and XML of the transport wrapper (9100), transport decryption (9200 no key for the
 * certificate the request was encrypted for, 9202 cannot be decrypted), MIME and XML of the inner message
 * (9100), the message model (9300: an OSCI message, but not a valid order). Unencrypted requests are refused
 * (9100): every answer must be encrypted for the client, and the dialog's authentication rests on it.
 */
import type { KeyEntry } from '../core/pki/pkcs12.js';
import type { ByteSource } from '../core/io/byte-source.js';
import type { SpoolScope } from '../core/io/sink.js';
import { PostfachError } from '../core/errors.js';
import { authenticated } from '../core/osci/crypto/symmetric.js';
import { readMultipart } from '../core/osci/mime/reader.js';
import { parseMessage } from '../core/osci/messages/parse.js';
import type { OsciMessage } from '../core/osci/messages/model.js';
import { decryptTransport, isTransportEnvelope, parseRootPart, type TransportAlgorithms } from '../core/osci/transport-encryption.js';

/** A request the supplier refuses with a SOAP fault (message level, unencrypted, unsigned). */
export class SupplierFault extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`OSCI ${code}: ${detail}`);
    this.name = 'SupplierFault';
  }
}

function describe(error: unknown): string {
  if (error instanceof PostfachError) return `${error.kind}: ${error.detail}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs one step; expected failures (PostfachError, size limits) become a fault with the step's code. */
async function step<T>(code: string | ((e: PostfachError) => string), run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PostfachError) throw new SupplierFault(typeof code === 'string' ? code : code(error), describe(error));
    if (error instanceof RangeError) throw new SupplierFault(typeof code === 'string' ? code : '9100', describe(error));
    throw error;
  }
}

export interface DecodedRequest {
  readonly message: OsciMessage;
  readonly transport: TransportAlgorithms;
}

/** An unencrypted inner message (a StoreDelivery reassembled from chunks): 9100 / 9300 as for requests. */
export async function decodeInnerMessage(body: ByteSource): Promise<OsciMessage> {
  const entity = await step('9100', () => readMultipart(body));
  const xml = await step('9100', () => parseRootPart(entity, 'reassembled message'));
  return step('9300', () => parseMessage(entity, xml));
}

export async function decodeRequest(body: ByteSource, cipherKey: KeyEntry, scope: SpoolScope): Promise<DecodedRequest> {
  const outer = await step('9100', () => readMultipart(body));
  const outerXml = await step('9100', () => parseRootPart(outer, 'request'));
  if (!isTransportEnvelope(outerXml)) throw new SupplierFault('9100', 'request is not transport-encrypted (refused by this intermediary)');
  const transport = await step(
    (e) => (e.kind === 'no-matching-key' ? '9200' : e.kind === 'malformed' || e.kind === 'hostile-xml' ? '9100' : '9202'),
    () => decryptTransport(outer, outerXml, [cipherKey], scope),
  );
  // CBC has no integrity: an unreadable plaintext is a decryption failure (9202) like a bad padding, not 9100
  const unreadable = authenticated(transport.algorithms.symmetric) ? '9100' : '9202';
  const entity = await step(unreadable, () => readMultipart(transport.inner));
  const xml = await step(unreadable, () => parseRootPart(entity, 'inner request'));
  const message = await step('9300', () => parseMessage(entity, xml));
  return { message, transport: transport.algorithms };
}
