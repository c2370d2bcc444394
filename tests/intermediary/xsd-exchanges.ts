/**
 * Recording OSCI exchanges on the wire and validating every recorded message against the OSCI schemas (shared by
 * the XSD test and the algorithm-variant test): each body as it travels (the transport wrapper), its decrypted
 * inner SOAP part, the decrypted content containers, and the messages reassembled from chunks.
 */
import { expect } from 'vitest';
import { bufferSource, concatSources, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import type { PostFunction } from '../../core/osci/client/dialog.js';
import { httpPost } from '../../intermediary/sender/http-post.js';
import { decodeContent } from '../../core/osci/content/decode.js';
import { decodeMessage } from '../../core/osci/decode.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import { validateContainerPlaintext, validateOsciEntity } from '../helpers/osci-xsd.js';
import { fixturePki } from './helpers.js';

export interface Exchange {
  readonly request: Buffer;
  readonly response: Buffer;
  /** Opens the response's transport layer. */
  readonly requester: KeyEntry;
}

/** A transport that records every request and response body. */
export function recording(url: string, requester: KeyEntry, log: Exchange[]): PostFunction {
  const send = httpPost(url);
  return async (body: ByteSource) => {
    const request = await readAll(body, 512 * 1024 * 1024);
    const chunks: Buffer[] = [];
    for await (const c of await send(bufferSource(request))) chunks.push(Buffer.from(c));
    const response = Buffer.concat(chunks);
    log.push({ request, response, requester });
    return (async function* () {
      yield response;
    })();
  };
}

export interface Finding {
  readonly what: string;
  readonly schema: string;
  readonly errors: readonly string[];
}

/** Validates one body as it travels: the wrapper, the inner SOAP part, the decrypted content containers. */
async function validateBody(
  body: Buffer,
  key: KeyEntry,
  what: string,
  contentKeys: readonly KeyEntry[],
): Promise<{ findings: Finding[]; type: string; decoded?: Awaited<ReturnType<typeof decodeMessage>> }> {
  const findings: Finding[] = [];
  const outer = await validateOsciEntity(body);
  findings.push({ what: `${what} (${outer.type})`, schema: outer.schema, errors: outer.errors });
  if (outer.type !== 'MessageEncrypted') return { findings, type: outer.type };
  const decoded = await decodeMessage(bufferSource(body), { keys: [key], scope: new SpoolScope() });
  const inner = await validateOsciEntity(decoded.inner);
  findings.push({ what: `${what} inner`, schema: inner.schema, errors: inner.errors });
  expect(inner.type, `${what}: schemaLocation names the message's own type`).toBe(decoded.message.type);
  if (decoded.message.contentPackage && contentKeys.length) {
    const content = await decodeContent(decoded.message, { keys: contentKeys, scope: decoded.scope });
    for (const c of content.allContainers) {
      if (!c.plaintext) continue;
      const r = validateContainerPlaintext(await readAll(c.plaintext, 64 * 1024 * 1024));
      findings.push({ what: `${what} container ${c.id ?? ''}`, schema: r.schema, errors: r.errors });
    }
  }
  return { findings, type: inner.type, decoded };
}

/** Validates every recorded exchange (requests opened with the intermediary key, responses with the requester's). */
export async function validateExchanges(log: readonly Exchange[], contentKeys: readonly KeyEntry[]): Promise<{ findings: Finding[]; types: Set<string> }> {
  const pki = fixturePki();
  const findings: Finding[] = [];
  const types = new Set<string>();
  // chunks of ResponseToPartialFetchDelivery, per message id, reassembled below
  const chunks = new Map<string, ByteSource[]>();
  for (const [i, x] of log.entries()) {
    const req = await validateBody(x.request, pki.intermediary, `#${i} request`, contentKeys);
    findings.push(...req.findings);
    types.add(req.type);
    const res = await validateBody(x.response, x.requester, `#${i} response to ${req.type}`, contentKeys);
    findings.push(...res.findings);
    types.add(res.type);
    const m = res.decoded?.message;
    if (m?.type === 'ResponseToPartialFetchDelivery' && m.order.messageId) {
      const blob = m.attachments.get('ChunkBlobStoreDelivery');
      if (blob && m.order.chunkInformation?.totalChunkNumbers) {
        const list = chunks.get(m.order.messageId) ?? [];
        list.push(await blob.decoded());
        chunks.set(m.order.messageId, list);
        if (list.length === m.order.chunkInformation.totalChunkNumbers) {
          const whole = await readAll(concatSources(list), 512 * 1024 * 1024);
          const r = await validateOsciEntity(whole);
          findings.push({ what: `reassembled ${m.order.messageId}`, schema: r.schema, errors: r.errors });
          types.add(`reassembled ${r.type}`);
        }
      }
    }
  }
  return { findings, types };
}

export const invalid = (findings: readonly Finding[]) => findings.filter((f) => f.errors.length > 0);
