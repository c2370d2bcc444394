/**
 * Every fault and order-level error of PROTOCOL.md §8.3 triggered by a crafted request, at the place the protocol
 * puts it: SOAP faults (unencrypted, unsigned, HTTP 200) for 9100, 9200, 9202, 9300, 9400, 9500, 9802 and 9904;
 * Feedback inside a normal, signed response encrypted for the client for 9600, 9601, 9602, 9800, 9801, 9803 and
 * 9804. After all of it the intermediary still answers a valid request.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { ExplicitDialog } from '../../core/osci/client/dialog.js';
import { buildRequest, buildResponse, newChallenge, type RequestSpec } from '../../core/osci/messages/build.js';
import { feedbackEntry } from '../../core/osci/messages/feedback-codes.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { buildApplicationContent } from '../../intermediary/sender/content.js';
import {
  craftRequest,
  decodeAnswer,
  fixturePki,
  fixtureSenderSetup,
  municipalityCertificates,
  municipalityClient,
  municipalitySigner,
  post,
  startTestIntermediary,
  type TestIntermediary,
} from './helpers.js';

let im: TestIntermediary;
let strict: TestIntermediary;
beforeAll(async () => {
  im = await startTestIntermediary({ maxRequestBytes: 2 * 1024 * 1024 });
  strict = await startTestIntermediary({ requireClientSignature: true });
});
afterAll(async () => {
  await im.dispose();
  await strict.dispose();
});

const implicit = () => ({ conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: newChallenge() });
const sender = () => fixtureSenderSetup().sender;
const senderSigner = () => ({ privateKey: sender().privateKey, certificate: sender().certificate });

async function faultOf(url: string, body: Buffer): Promise<{ code: string | undefined; faultCode: string; raw: Buffer }> {
  const raw = await post(url, body);
  const d = await decodeAnswer(raw, fixturePki().municipality);
  expect(d.message.type).toBe('SOAPFault');
  expect(d.transport).toBeUndefined(); // faults travel unencrypted
  expect(d.signature.present).toBe(false);
  return { code: d.message.fault?.osciCode, faultCode: d.message.fault!.faultCode, raw };
}

async function getMessageId(url: string): Promise<string> {
  const body = await craftRequest({
    type: 'GetMessageId',
    controlBlock: implicit(),
    nonIntermediaryCertificates: [
      { role: 'CipherCertificateOriginator', certificate: sender().certificate },
      { role: 'SignatureCertificateOriginator', certificate: sender().certificate },
    ],
    signer: senderSigner(),
  });
  const d = await decodeAnswer(await post(url, body), sender());
  expect(d.message.feedback[0]?.code).toBe('0800');
  return d.message.order.messageId!;
}

async function storeSpec(messageId: string): Promise<RequestSpec> {
  const s = fixtureSenderSetup();
  const content = await buildApplicationContent({ document: Buffer.from('<antrag>Test</antrag>'), attachments: [], sender: s.sender, recipient: s.recipient });
  return {
    type: 'StoreDelivery',
    controlBlock: implicit(),
    messageId,
    subject: 'Fehlertest',
    contentPackageXml: content.contentPackageXml,
    attachments: content.attachments,
    nonIntermediaryCertificates: content.certificates,
    signer: senderSigner(),
  };
}

async function storeFeedback(url: string, body: Buffer): Promise<string[]> {
  const d = await decodeAnswer(await post(url, body), sender());
  expect(d.message.type).toBe('ResponseToStoreDelivery');
  expect(d.signature).toMatchObject({ valid: true, trust: 'pinned' });
  return d.message.feedback.map((f) => f.code);
}

async function cardsOfMailbox(url: string): Promise<string[]> {
  const dialog = await ExplicitDialog.open(municipalityClient(url));
  const { cards } = await dialog.fetchProcessCards();
  await dialog.exit();
  await dialog.release();
  return cards.map((c) => c.messageId);
}

describe('SOAP faults (message level)', () => {
  it('9100: not an OSCI message (garbage, truncated MIME, DOCTYPE in the wrapper, unencrypted request)', async () => {
    expect((await faultOf(im.url, Buffer.from('Hallo, ist da jemand?'))).code).toBe('9100');
    const valid = await craftRequest({
      type: 'InitDialog',
      controlBlock: { ...implicit(), sequenceNumber: undefined },
      nonIntermediaryCertificates: municipalityCertificates(true),
    });
    expect((await faultOf(im.url, valid.subarray(0, Math.floor(valid.length / 2)))).code).toBe('9100');
    const text = valid.toString('latin1');
    const withDoctype = text.replace('<soap:Envelope', '<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><soap:Envelope');
    const f = await faultOf(im.url, Buffer.from(withDoctype, 'latin1'));
    expect(f.code).toBe('9100');
    expect(f.faultCode).toBe('soap:Client');
    const built = await buildRequest({
      type: 'InitDialog',
      controlBlock: { ...implicit(), sequenceNumber: undefined },
      nonIntermediaryCertificates: municipalityCertificates(true),
    });
    expect((await faultOf(im.url, await readAll(built.mime, 1e7))).code).toBe('9100');
    // inside the encrypted message: an entity bomb, and a duplicate Id (signature wrapping)
    const spec: RequestSpec = { type: 'GetMessageId', controlBlock: implicit(), nonIntermediaryCertificates: municipalityCertificates(true), signer: municipalitySigner() };
    const bomb = await craftRequest(spec, {
      changeInner: (t) => t.replace('<soap:Envelope', '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><soap:Envelope'),
    });
    expect((await faultOf(im.url, bomb)).code).toBe('9100');
    const wrapped = await craftRequest({ ...spec, controlBlock: implicit() }, { changeInner: (t) => t.replace('Id="desiredlanguages"', 'Id="controlblock"') });
    expect((await faultOf(im.url, wrapped)).code).toBe('9100');
  });

  it('9200: encrypted for a certificate the intermediary holds no key for; 9202: ciphertext damaged', async () => {
    const spec: RequestSpec = { type: 'InitDialog', controlBlock: { ...implicit(), sequenceNumber: undefined }, nonIntermediaryCertificates: municipalityCertificates(true) };
    expect((await faultOf(im.url, await craftRequest(spec, { recipient: fixturePki().municipality.certificate }))).code).toBe('9200');
    const body = await craftRequest(spec);
    const at = body.lastIndexOf(Buffer.from('--MIME_boundary')) - 40; // inside the ciphertext part, before the tag
    body[at] = body[at]! ^ 0x01;
    expect((await faultOf(im.url, body)).code).toBe('9202');
  });

  it('9300: a valid OSCI message that is no order (a response sent as a request)', async () => {
    const p = fixturePki();
    const built = await buildResponse({
      type: 'ResponseToInitDialog',
      controlBlock: { conversationId: '1', sequenceNumber: undefined, response: 'x', challenge: 'y' },
      feedback: [feedbackEntry('0801')],
    });
    const body = await readAll(encryptTransport(built.mime, p.intermediary.certificate), 1e7);
    expect((await faultOf(im.url, body)).code).toBe('9300');
  });

  it('9400: ConversationId unknown, Response wrong, SequenceNumber wrong — the dialog itself stays usable', async () => {
    const fetch = (cb: RequestSpec['controlBlock']) =>
      craftRequest({ type: 'FetchDelivery', controlBlock: cb, nonIntermediaryCertificates: municipalityCertificates(false), signer: municipalitySigner() });
    expect((await faultOf(im.url, await fetch({ conversationId: '42', sequenceNumber: 0, response: 'abc', challenge: newChallenge() }))).code).toBe('9400');
    const dialog = await ExplicitDialog.open(municipalityClient(im.url));
    const id = dialog.id!;
    expect((await faultOf(im.url, await fetch({ conversationId: id, sequenceNumber: 0, response: 'falsch', challenge: newChallenge() }))).code).toBe('9400');
    expect((await faultOf(im.url, await fetch({ conversationId: id, sequenceNumber: 5, response: 'falsch', challenge: newChallenge() }))).code).toBe('9400');
    // InitDialog must not carry a ConversationId
    const init = await craftRequest({
      type: 'InitDialog',
      controlBlock: { conversationId: id, sequenceNumber: undefined, response: undefined, challenge: newChallenge() },
      nonIntermediaryCertificates: municipalityCertificates(true),
    });
    expect((await faultOf(im.url, init)).code).toBe('9400');
    expect(await dialog.fetchDelivery()).toBeUndefined(); // 9803: the chain was not disturbed
    await dialog.exit();
    await dialog.release();
  });

  it('9802: FetchDelivery, FetchProcessCard and ExitDialog outside an explicit dialog', async () => {
    for (const type of ['FetchDelivery', 'FetchProcessCard', 'ExitDialog'] as const) {
      const body = await craftRequest({ type, controlBlock: implicit(), nonIntermediaryCertificates: municipalityCertificates(true), signer: municipalitySigner() });
      expect((await faultOf(im.url, body)).code, type).toBe('9802');
    }
  });

  it('9500: no cipher certificate to answer to', async () => {
    const body = await craftRequest({ type: 'GetMessageId', controlBlock: implicit(), nonIntermediaryCertificates: municipalityCertificates(false), signer: municipalitySigner() });
    expect((await faultOf(im.url, body)).code).toBe('9500');
  });

  it('9904: a request above the size limit is refused without being read whole', async () => {
    const f = await faultOf(im.url, Buffer.alloc(3 * 1024 * 1024, 0x41));
    expect(f.code).toBe('9904');
  });
});

describe('order-level errors in the Feedback of a signed, encrypted response', () => {
  it('9600: unsigned requests when signatures are required (and accepted otherwise)', async () => {
    const spec: RequestSpec = { type: 'GetMessageId', controlBlock: implicit(), nonIntermediaryCertificates: municipalityCertificates(true) };
    const refused = await decodeAnswer(await post(strict.url, await craftRequest(spec)), fixturePki().municipality);
    expect(refused.message.type).toBe('ResponseToGetMessageId');
    expect(refused.signature).toMatchObject({ valid: true, trust: 'pinned' });
    expect(refused.message.feedback.map((f) => f.code)).toEqual(['9600']);
    expect(refused.message.order.messageId).toBeUndefined();
    const accepted = await decodeAnswer(await post(im.url, await craftRequest({ ...spec, controlBlock: implicit() })), fixturePki().municipality);
    expect(accepted.message.feedback.map((f) => f.code)).toEqual(['0800']);
    // a signed request passes the strict intermediary
    const signed = await decodeAnswer(await post(strict.url, await craftRequest({ ...spec, controlBlock: implicit(), signer: municipalitySigner() })), fixturePki().municipality);
    expect(signed.message.feedback.map((f) => f.code)).toEqual(['0800']);
  });

  it('9601: a signed header changed after signing; nothing is stored and the id stays usable', async () => {
    const id = await getMessageId(im.url);
    const spec = await storeSpec(id);
    const tampered = await craftRequest(spec, { changeInner: (t) => t.replace('<osci:Subject>Fehlertest</osci:Subject>', '<osci:Subject>Fehlertext</osci:Subject>') });
    expect(await storeFeedback(im.url, tampered)).toEqual(['9601']);
    expect(await cardsOfMailbox(im.url)).not.toContain(id);
    expect(await storeFeedback(im.url, await craftRequest({ ...spec, controlBlock: implicit() }))).toEqual(['0800']);
    expect(await cardsOfMailbox(im.url)).toContain(id);
  });

  it('9602: a header block the signature does not cover', async () => {
    const id = await getMessageId(im.url);
    const spec = await storeSpec(id);
    const extra =
      '<x:Zusatz xmlns:x="urn:example:zusatz" Id="zusatz" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" soap:actor="http://schemas.xmlsoap.org/soap/actor/next">unsigniert</x:Zusatz>';
    const body = await craftRequest(spec, { changeInner: (t) => t.replace('</soap:Header>', `${extra}</soap:Header>`) });
    expect(await storeFeedback(im.url, body)).toEqual(['9602']);
  });

  it('9800 (no message id) and 9801 (an id not issued here, or already used)', async () => {
    expect(await storeFeedback(im.url, await craftRequest(await storeSpec('')))).toEqual(['9800']);
    expect(await storeFeedback(im.url, await craftRequest(await storeSpec('nicht-vergeben-4711')))).toEqual(['9801']);
    const id = await getMessageId(im.url);
    expect(await storeFeedback(im.url, await craftRequest(await storeSpec(id)))).toEqual(['0800']);
    expect(await storeFeedback(im.url, await craftRequest(await storeSpec(id)))).toEqual(['9801']);
    // replaying another intermediary's requests: ids it issued are accepted once
    const open = await startTestIntermediary({ acceptUnissuedMessageIds: true });
    try {
      expect(await storeFeedback(open.url, await craftRequest(await storeSpec('fremd-vergeben-1')))).toEqual(['0800']);
      expect(await storeFeedback(open.url, await craftRequest(await storeSpec('fremd-vergeben-1')))).toEqual(['9801']);
    } finally {
      await open.dispose();
    }
  });

  it('9803 (no delivery) and 9804 (no process card) for an empty mailbox', async () => {
    const empty = await startTestIntermediary();
    try {
      const dialog = await ExplicitDialog.open(municipalityClient(empty.url));
      expect(await dialog.fetchDelivery()).toBeUndefined();
      expect(await dialog.fetchProcessCards()).toEqual({ cards: [], more: false });
      expect(await dialog.fetchDelivery({ messageIds: ['gibt-es-nicht'] })).toBeUndefined();
      await dialog.exit();
      await dialog.release();
    } finally {
      await empty.dispose();
    }
  });
});

describe('PartialStoreDelivery (chunked upload)', () => {
  it('collects chunks (9900 twice, 9901 beyond the total, 9905 inconsistent) and stores the reassembled delivery', async () => {
    const id = await getMessageId(im.url);
    const spec = await storeSpec(id);
    // the complete StoreDelivery, unsigned and unencrypted, as the reference implementation reassembles it
    const { signer: _unsigned, ...unsignedSpec } = spec;
    const whole = await readAll((await buildRequest(unsignedSpec)).mime, 1e7);
    const half = Math.ceil(whole.length / 2);
    const part = async (n: number, total: number, blob: Buffer) => {
      const body = await craftRequest({
        type: 'PartialStoreDelivery',
        controlBlock: implicit(),
        messageId: `${id}_Partial`,
        chunk: { chunkNumber: n, chunkSize: Math.ceil(half / 1024), totalChunkNumbers: total, totalMessageSize: Math.floor(whole.length / 1024) },
        chunkBlob: bufferSource(blob),
        nonIntermediaryCertificates: (spec as { nonIntermediaryCertificates: RequestSpec['nonIntermediaryCertificates'] }).nonIntermediaryCertificates,
        signer: senderSigner(),
      });
      const d = await decodeAnswer(await post(im.url, body), sender());
      expect(d.message.type).toBe('ResponseToPartialStoreDelivery');
      expect(d.signature).toMatchObject({ valid: true, trust: 'pinned' });
      return d.message;
    };
    const first = await part(1, 2, whole.subarray(0, half));
    expect(first.feedback.map((f) => f.code)).toEqual(['0800']);
    expect(first.order.chunkInformation).toMatchObject({ chunkNumber: 1, totalChunkNumbers: 2, receivedChunks: [1] });
    expect((await part(1, 2, whole.subarray(0, half))).feedback.map((f) => f.code)).toEqual(['9900']);
    expect((await part(3, 2, Buffer.from('x'))).feedback.map((f) => f.code)).toEqual(['9901']);
    expect((await part(2, 3, whole.subarray(half))).feedback.map((f) => f.code)).toEqual(['9905']);
    const last = await part(2, 2, whole.subarray(half));
    expect(last.feedback.map((f) => f.code)).toEqual(['0800']);
    expect(last.order.insideFeedback?.map((f) => f.code)).toEqual(['0800']);
    expect(last.order.chunkInformation).toMatchObject({ chunkNumber: 2, totalChunkNumbers: 2, receivedChunks: [1, 2] });
    expect(last.processCards[0]?.messageId).toBe(id);
    expect(await cardsOfMailbox(im.url)).toContain(id);
  });
});

describe('robustness', () => {
  it('HTTP: only POST /osci; other methods and paths get a plain answer', async () => {
    const base = im.url.replace(/\/osci$/, '');
    const get = await fetch(im.url);
    expect(get.status).toBe(405);
    expect((await fetch(`${base}/anders`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('a client that goes away in the middle of a large request does not disturb the intermediary', async () => {
    const { port } = new URL(im.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /osci HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 1500000\r\n\r\n`);
        socket.write(Buffer.alloc(200_000, 0x2d), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', () => resolve());
    });
    expect(await getMessageId(im.url)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('still answers valid requests after all of the above, and concurrently', async () => {
    const ids = await Promise.all([getMessageId(im.url), getMessageId(im.url), getMessageId(im.url)]);
    expect(new Set(ids).size).toBe(3);
    const body = bufferSource(Buffer.from('kaputt'));
    expect((await faultOf(im.url, await readAll(body, 100))).code).toBe('9100');
  });
});
