/**
 * Every message our side builds validates against the OSCI 1.2 schemas with the 2017 EFFI extension
 * (../shared/osci/xsd, tests/helpers/osci-xsd.ts): the client's requests (InitDialog, FetchProcessCard,
 * FetchDelivery with and without SelectionRule, PartialFetchDelivery, ExitDialog), the sender's (GetMessageId,
 * StoreDelivery with its content), PartialStoreDelivery chunks, and every answer of the local intermediary
 * (ResponseTo… for each, with a delivery, with nothing (9803), with an order-level error code, chunked and
 * unchunked, the chunks' reassembled ResponseToFetchDelivery, SOAP faults), for each algorithm variant whose XML
 * differs (transport wrapper: GCM with and without IvLength, CBC, 3DES, OAEP with and without explicit digest and
 * MGF, RSA-1.5; content: the same for EncryptedKey and attachment EncryptedData; every signature and digest
 * method `postfach send` offers). Messages are recorded on the wire (a recording transport) and each MIME part
 * is validated by itself: the transport wrapper, the decrypted inner SOAP part, the decrypted content containers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { ExplicitDialog } from '../../core/osci/client/dialog.js';
import { buildRequest, newChallenge } from '../../core/osci/messages/build.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { sendApplications } from '../../intermediary/sender/send.js';
import { validateContainerPlaintext, validateOsciEntity, validateXml } from '../helpers/osci-xsd.js';
import { vectorsRoot } from '../helpers/shared.js';
import {
  fixturePki,
  fixtureSenderSetup,
  municipalityCertificates,
  municipalityClient,
  municipalitySigner,
  decodeAnswer,
  post,
  startTestIntermediary,
  type TestIntermediary,
} from './helpers.js';
import { invalid, recording, validateExchanges, type Exchange } from './xsd-exchanges.js';

describe('XSD validation of every message built (OSCI 1.2 + EFFI 2017)', () => {
  let im: TestIntermediary;
  beforeAll(async () => {
    im = await startTestIntermediary({ chunkSize: 1024 * 1024 });
  });
  afterAll(() => im.dispose());

  it("the harness is sound: the reference implementation's messages pass but for its known deviations, a changed one fails", async () => {
    // every inner message, reassembled message, fault and decrypted container of the vectors
    const results: Array<{ file: string; errors: readonly string[] }> = [];
    for (const dir of ['exchange', 'chunked', 'storedelivery', 'faults']) {
      for (const name of readdirSync(path.join(vectorsRoot, dir)).sort()) {
        const bytes = readFileSync(path.join(vectorsRoot, dir, name));
        if (name.endsWith('.container.xml')) results.push({ file: `${dir}/${name}`, errors: validateContainerPlaintext(bytes).errors });
        else if (name.endsWith('.inner.mime') || name.endsWith('-reassembled.mime') || dir === 'faults') {
          results.push({ file: `${dir}/${name}`, errors: (await validateOsciEntity(bytes)).errors });
        }
      }
    }
    expect(results.length).toBeGreaterThan(100);
    const failing = Object.fromEntries(results.filter((r) => r.errors.length).map((r) => [r.file, r.errors.map((e) => /Element '([^']+)'/.exec(e)?.[1] ?? e)]));
    // the deviations the schemas are not corrected for (tests/helpers/osci-xsd.ts): ours must not have them
    expect(failing).toEqual({
      'chunked/03-PartialStoreDelivery.response.inner.mime': ['{http://schemas.xmlsoap.org/soap/envelope/}Header'],
      'chunked/04-PartialStoreDelivery.response.inner.mime': ['{http://schemas.xmlsoap.org/soap/envelope/}Header'],
      'chunked/05-PartialStoreDelivery.response.inner.mime': ['{http://schemas.xmlsoap.org/soap/envelope/}Header'],
      'chunked/08-PartialFetchDelivery.response.inner.mime': ['{http://schemas.xmlsoap.org/soap/envelope/}Header'],
      'chunked/09-PartialFetchDelivery.response.inner.mime': ['{http://schemas.xmlsoap.org/soap/envelope/}Header'],
      'chunked/10-PartialFetchDelivery.response.inner.mime': ['{http://schemas.xmlsoap.org/soap/envelope/}Header'],
      'storedelivery/sd10-two-readers.request.inner.mime': ['{http://www.w3.org/2001/04/xmlenc#}EncryptedKey', '{http://www.w3.org/2001/04/xmlenc#}EncryptedKey'],
      'storedelivery/sd11-nested.request.inner.mime': ['{http://www.osci.de/2002/04/osci}ContentContainer'],
    });
    // and a change is noticed
    const sd01 = readFileSync(path.join(vectorsRoot, 'storedelivery/sd01-gcm12-oaep-binary.request.inner.mime'));
    const broken = Buffer.from(sd01.toString('latin1').replace('<osci:Subject>', '<osci:Betreff>').replace('</osci:Subject>', '</osci:Betreff>'), 'latin1');
    expect((await validateOsciEntity(broken)).errors.length).toBeGreaterThan(0);
    expect(validateXml('<x/>', 'soapStoreDelivery.xsd').errors.length).toBeGreaterThan(0);
  });

  it('a whole exchange in the default algorithms: sender, fetch dialog, chunked fetch, process cards, errors, faults', async () => {
    const pki = fixturePki();
    const log: Exchange[] = [];
    const setup = fixtureSenderSetup();
    const small = await sendApplications({
      intermediaryUrl: im.url,
      setup,
      count: 1,
      seed: 'xsd-small',
      attachments: 1,
      attachmentSize: 500,
      post: recording(im.url, setup.sender, log),
    });
    const large = await sendApplications({
      intermediaryUrl: im.url,
      setup,
      count: 1,
      seed: 'xsd-large',
      attachments: 1,
      attachmentSize: 2_500_000,
      post: recording(im.url, setup.sender, log),
    });
    const client = municipalityClient(im.url, { post: recording(im.url, pki.municipality, log) });
    const dialog = await ExplicitDialog.open(client);
    await dialog.fetchProcessCards();
    await dialog.fetchProcessCards({ messageIds: [small[0]!.messageId] }, 5);
    expect((await dialog.fetchDelivery({ messageIds: [small[0]!.messageId] }))?.messageId).toBe(small[0]!.messageId);
    dialog.confirmPersisted();
    // the same again by MessageId, now received: the process card has a Reception the response must not carry
    expect((await dialog.fetchDelivery({ messageIds: [small[0]!.messageId] }))?.messageId).toBe(small[0]!.messageId);
    dialog.confirmPersisted();
    const chunked = await dialog.partialFetchDelivery(1024);
    expect(chunked?.messageId).toBe(large[0]!.messageId);
    expect(chunked?.chunks).toBeGreaterThan(2);
    dialog.confirmPersisted();
    // small enough for one chunk: answered with a normal ResponseToFetchDelivery
    expect((await dialog.partialFetchDelivery(1024, { messageIds: [small[0]!.messageId] }))?.chunks).toBe(1);
    dialog.confirmPersisted();
    expect(await dialog.fetchDelivery()).toBeUndefined(); // 9803
    expect(await dialog.partialFetchDelivery(1024)).toBeUndefined(); // 9803
    await expect(dialog.fetchProcessCards({ messageIds: ['gibt-es-nicht'] })).resolves.toEqual({ cards: [], more: false }); // 9804
    await dialog.exit();
    await dialog.release();

    // PartialStoreDelivery chunks (our builder) and the intermediary's answers, the last with InsideFeedback; its
    // error answers (9900, 9901, 9905), the InfoOnly answer, and StoreDelivery refused (9801)
    await partialStore(log);
    // ResponseToPartialFetchDelivery without a transfer to describe (9901, 9905)
    await chunkErrors(im.url, log);
    // an order-level error in a normal response (9601: ClientSignature does not verify) and a SOAP fault (9400)
    await orderErrorAndFault(im.url, log);

    const { findings, types } = await validateExchanges(log, [pki.municipality]);
    expect(invalid(findings)).toEqual([]);
    expect([...types].sort()).toEqual(
      [
        'ExitDialog',
        'FetchDelivery',
        'FetchProcessCard',
        'GetMessageId',
        'InitDialog',
        'MessageFault',
        'PartialFetchDelivery',
        'PartialStoreDelivery',
        'ResponseToExitDialog',
        'ResponseToFetchDelivery',
        'ResponseToFetchProcessCard',
        'ResponseToGetMessageId',
        'ResponseToInitDialog',
        'ResponseToPartialFetchDelivery',
        'ResponseToPartialStoreDelivery',
        'ResponseToStoreDelivery',
        'StoreDelivery',
        'reassembled ResponseToFetchDelivery',
      ].sort(),
    );
  });

  async function partialStore(log: Exchange[]): Promise<void> {
    const pki = fixturePki();
    const setup = fixtureSenderSetup();
    const { ImplicitSender } = await import('../../core/osci/client/dialog.js');
    const sender = new ImplicitSender({
      post: recording(im.url, setup.sender, log),
      cipherKey: setup.sender,
      signatureKey: setup.sender,
      intermediaryCertificate: setup.intermediaryCertificate,
      intermediarySigner: setup.intermediarySigner,
    });
    const messageId = await sender.getMessageId();
    await sender.release();
    // the complete StoreDelivery (unencrypted inner entity), cut into three chunks
    const { buildApplicationContent } = await import('../../intermediary/sender/content.js');
    const content = await buildApplicationContent({
      document: Buffer.from('<antrag>Teilzustellung</antrag>'),
      attachments: [],
      sender: setup.sender,
      recipient: pki.municipality.certificate,
    });
    const whole = await buildRequest({
      type: 'StoreDelivery',
      controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: newChallenge() },
      messageId,
      subject: 'Teilzustellung',
      contentPackageXml: content.contentPackageXml,
      nonIntermediaryCertificates: content.certificates,
      signer: { privateKey: setup.sender.privateKey, certificate: setup.sender.certificate },
    });
    const bytes = await readAll(whole.mime, 64 * 1024 * 1024);
    const third = Math.ceil(bytes.length / 3);
    const pieces = [bytes.subarray(0, third), bytes.subarray(third, 2 * third), bytes.subarray(2 * third)];
    const certificates = [
      { role: 'CipherCertificateOriginator' as const, certificate: setup.sender.certificate },
      { role: 'CipherCertificateAddressee' as const, certificate: pki.municipality.certificate },
      { role: 'SignatureCertificateOriginator' as const, certificate: setup.sender.certificate },
    ];
    const send = async (chunkNumber: number, total: number, piece: Buffer, change?: (inner: string) => string) => {
      const request = await buildRequest({
        type: 'PartialStoreDelivery',
        controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: newChallenge() },
        messageId: `${messageId}_Partial`,
        subject: 'Teilzustellung',
        chunk: { chunkNumber, chunkSize: Math.ceil(third / 1024), totalChunkNumbers: total, totalMessageSize: Math.floor(bytes.length / 1024) },
        chunkBlob: bufferSource(piece),
        nonIntermediaryCertificates: certificates,
        // a changed request goes unsigned (the intermediary checks a ClientSignature only when present)
        ...(change ? {} : { signer: { privateKey: setup.sender.privateKey, certificate: setup.sender.certificate } }),
      });
      const inner = change ? bufferSource(Buffer.from(change((await readAll(request.mime, 1e8)).toString('latin1')), 'latin1')) : request.mime;
      const body = await readAll(encryptTransport(inner, setup.intermediaryCertificate), 64 * 1024 * 1024);
      const response = await post(im.url, body);
      log.push({ request: body, response, requester: setup.sender });
      const m = (await decodeAnswer(response, setup.sender)).message;
      return [...m.feedback, ...(m.order.insideFeedback ?? [])].map((f) => f.code).join('+');
    };
    const codes = [
      await send(1, 3, Buffer.from(pieces[0]!)),
      await send(1, 3, Buffer.from(pieces[0]!)), // duplicate
      await send(4, 3, Buffer.from('x')), // beyond the total
      await send(2, 4, Buffer.from(pieces[1]!)), // inconsistent
      // InfoOnly (the state of the upload) instead of ChunkInformation
      await send(1, 3, Buffer.alloc(0), (inner) => inner.replace(/<osci2017:ChunkInformation[^>]*><\/osci2017:ChunkInformation>/, '<osci2017:InfoOnly></osci2017:InfoOnly>')),
      await send(2, 3, Buffer.from(pieces[1]!)),
      await send(3, 3, Buffer.from(pieces[2]!)),
    ];
    expect(codes).toEqual(['0800', '9900', '9901', '9905', '0800', '0800', '0800+0800']);
    // a StoreDelivery with a message id this intermediary did not issue: 9801 in ResponseToStoreDelivery
    const refused = await buildRequest({
      type: 'StoreDelivery',
      controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: newChallenge() },
      messageId: 'nicht-vergeben-4711',
      contentPackageXml: content.contentPackageXml,
      nonIntermediaryCertificates: content.certificates,
      signer: { privateKey: setup.sender.privateKey, certificate: setup.sender.certificate },
    });
    const body = await readAll(encryptTransport(refused.mime, setup.intermediaryCertificate), 64 * 1024 * 1024);
    const response = await post(im.url, body);
    log.push({ request: body, response, requester: setup.sender });
    expect((await decodeAnswer(response, setup.sender)).message.feedback.map((f) => f.code)).toEqual(['9801']);
  }

  async function chunkErrors(url: string, log: Exchange[]): Promise<void> {
    const pki = fixturePki();
    const exchange = async (spec: Parameters<typeof buildRequest>[0]) => {
      const built = await buildRequest({ ...spec, signer: municipalitySigner() });
      const body = await readAll(encryptTransport(built.mime, pki.intermediary.certificate), 1e8);
      const response = await post(url, body);
      log.push({ request: body, response, requester: pki.municipality });
      return decodeAnswer(response, pki.municipality);
    };
    const init = await exchange({
      type: 'InitDialog',
      controlBlock: { conversationId: undefined, sequenceNumber: undefined, response: undefined, challenge: newChallenge() },
      nonIntermediaryCertificates: municipalityCertificates(true),
    });
    let cb = init.message.controlBlock!;
    let seq = 0;
    const next = () => ({ conversationId: cb.conversationId, sequenceNumber: seq++, response: cb.challenge, challenge: newChallenge() });
    for (const chunk of [
      { chunkNumber: 2, chunkSize: 4, receivedChunks: [] }, // no transfer in progress: 9901
      { chunkNumber: 1, chunkSize: 0, receivedChunks: [] }, // 9905
    ]) {
      const r = await exchange({ type: 'PartialFetchDelivery', controlBlock: next(), nonIntermediaryCertificates: municipalityCertificates(false), chunk });
      expect(r.message.type).toBe('ResponseToPartialFetchDelivery');
      expect(['9901', '9905']).toContain(r.message.feedback[0]?.code);
      cb = r.message.controlBlock!;
    }
    await exchange({ type: 'ExitDialog', controlBlock: next(), nonIntermediaryCertificates: municipalityCertificates(false) });
  }

  async function orderErrorAndFault(url: string, log: Exchange[]): Promise<void> {
    const pki = fixturePki();
    // GetMessageId whose ClientSignature is broken after signing: answered 9601 in a normal, signed response
    const request = await buildRequest({
      type: 'GetMessageId',
      controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: newChallenge() },
      nonIntermediaryCertificates: municipalityCertificates(true),
      signer: municipalitySigner(),
    });
    const text = (await readAll(request.mime, 1024 * 1024)).toString('latin1').replace('LanguagesList="de"', 'LanguagesList="en"');
    const tampered = await readAll(encryptTransport(bufferSource(Buffer.from(text, 'latin1')), pki.intermediary.certificate), 1024 * 1024);
    log.push({ request: tampered, response: await post(url, tampered), requester: pki.municipality });
    // ExitDialog in a dialog that does not exist: fault 9400
    const exit = await buildRequest({
      type: 'ExitDialog',
      controlBlock: { conversationId: '424242', sequenceNumber: 3, response: 'AAAA', challenge: newChallenge() },
      nonIntermediaryCertificates: municipalityCertificates(false),
      signer: municipalitySigner(),
    });
    const body = await readAll(encryptTransport(exit.mime, pki.intermediary.certificate), 1024 * 1024);
    log.push({ request: body, response: await post(url, body), requester: pki.municipality });
  }
});
