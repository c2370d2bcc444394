/**
 * The reference implementation's requests (../shared/osci/vectors) sent to our intermediary, which runs with the
 * vectors' osci_manager keys:
 *  - storedelivery/sd01–sd12 are accepted (every algorithm variant, ECDSA/PSS/SHA-512 signatures, two readers,
 *    nested containers) and answered like the recorded intermediary answered exchange step 02; neg05 (a signed
 *    header changed) is refused with 9601 and stores nothing; bob then fetches all twelve through our client with
 *    every content and author signature intact;
 *  - the recorded exchange (exchange/01–13) is replayed request by request: with ConversationIds and Challenges
 *    taken from the recording (the requests' Response values), our answers match the recorded answers in type,
 *    ControlBlock, feedback, message id and process cards, and the fetched contents hash as the manifest says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { decodeContent } from '../../core/osci/content/decode.js';
import { decodeMessage, type DecodedMessage } from '../../core/osci/decode.js';
import { ExplicitDialog } from '../../core/osci/client/dialog.js';
import { withContent, type DeliveryWithContent, type TestClientOptions } from '../helpers/dialog-loop.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import type { IntermediaryKeys } from '../../intermediary/supplier.js';
import { vectorCertificate, vectorKey } from '../helpers/vector-keys.js';
import { manifest, readVector, type Json } from '../osci/manifest.js';
import { post, startTestIntermediary, type TestIntermediary } from './helpers.js';

const managerKeys = (): IntermediaryKeys => ({
  cipher: vectorKey('osci_manager_cipher_4096'),
  signature: vectorKey('osci_manager_signature_4096'),
  cas: [vectorCertificate('governikus_ca_8_pn'), vectorCertificate('governikus_root_ca_3_pn')],
});

async function decodeAnswer(answer: Buffer, key: KeyEntry): Promise<DecodedMessage> {
  return decodeMessage(bufferSource(answer), {
    keys: [key],
    anchors: { pinned: [vectorCertificate('osci_manager_signature_4096')] },
    requireEncryption: true,
    scope: new SpoolScope(),
  });
}

/** Every content hash the manifest names for a message (containers, nested containers). */
function manifestContentHashes(entry: Json): string[] {
  const out: string[] = [];
  const collect = (c: Json) => {
    for (const i of c.contents ?? []) {
      if (i.kind === 'nested-container') collect(i.container);
      else out.push(i.sha256);
    }
    for (const n of c.nested_encrypted_data ?? []) collect(n.container);
  };
  for (const e of entry.encrypted_data ?? []) collect(e.container);
  for (const p of entry.plain_containers ?? []) collect(p);
  return out;
}

function contentHashes(content: DeliveryWithContent['content']): Set<string> {
  return new Set((content?.allContainers ?? []).flatMap((c) => c.contents.map((i) => ('sha256' in i ? i.sha256 : ''))));
}

describe('StoreDelivery vectors sd01–sd12 and neg05', () => {
  const entries: Json[] = manifest.vectors.filter((v: Json) => v.file.startsWith('storedelivery/'));
  let im: TestIntermediary;
  beforeAll(async () => {
    im = await startTestIntermediary({ preIssuedMessageIds: entries.map((e) => e.message_id) }, undefined, managerKeys());
  });
  afterAll(() => im.dispose());

  it('neg05 (signed header changed after signing) is refused with 9601 and stores nothing', async () => {
    const answer = await decodeAnswer(await post(im.url, readVector('negative/neg05-signed-header-subject.request.http-body')), vectorKey('alice_cipher_4096'));
    expect(answer.message.type).toBe('ResponseToStoreDelivery');
    expect(answer.signature).toMatchObject({ valid: true, trust: 'pinned' });
    expect(answer.message.feedback.map((f) => f.code)).toEqual(['9601']);
    expect(answer.message.processCards).toEqual([]);
  });

  it('accepts every variant and answers as the recorded intermediary (0800, process card with Creation, inspections)', async () => {
    expect(entries).toHaveLength(12);
    for (const entry of entries) {
      const body = readVector(entry.file);
      const answer = await decodeAnswer(await post(im.url, body), vectorKey('alice_cipher_4096'));
      const m = answer.message;
      expect(m.type, entry.file).toBe('ResponseToStoreDelivery');
      expect(answer.signature, entry.file).toMatchObject({ valid: true, allPartsSigned: true, trust: 'pinned' });
      expect(
        m.feedback.map((f) => f.code),
        entry.file,
      ).toEqual(['0800']);
      expect(m.controlBlock?.response).toBe(entry.control_block.Challenge);
      expect(m.controlBlock?.sequenceNumber).toBe(0);
      expect(m.controlBlock?.challenge).toBeUndefined();
      const card = m.processCards[0]!;
      expect(card.messageId).toBe(entry.message_id);
      expect(card.processCard?.subject).toBe(entry.subject);
      expect(card.processCard?.creation?.plain).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(card.processCard?.forwarding).toBeUndefined();
      // the intermediary's own check of the sender's certificates: Governikus test certificates chain to the CA
      const alice = card.inspections.find((i) => i.subjectName?.endsWith('CN=Alice Signature 4096'));
      if (entry.id !== 'sd09') expect(alice).toMatchObject({ mathResult: 'ok', offlineResult: 'valid', certType: 'advanced' });
      else {
        // sd09's ECDSA key is self-signed, outside the CA: no statement possible
        const ec = card.inspections.find((i) => i.subjectName?.includes('ECDSA'));
        expect(ec).toMatchObject({ mathResult: 'indeterminate', offlineResult: 'indeterminate', certType: 'unknown' });
      }
      // the same request again: its message id is used up now
      const again = await decodeAnswer(await post(im.url, body), vectorKey('alice_cipher_4096'));
      expect(again.message.feedback.map((f) => f.code)).toEqual(['9801']);
    }
  });

  it('bob fetches all twelve with our client: contents byte-exact, author signatures valid', async () => {
    const client: TestClientOptions = {
      post: httpTransport({ url: im.url, proxy: { mode: 'direct' } }),
      cipherKey: vectorKey('bob_cipher_4096'),
      signatureKey: vectorKey('bob_signature_4096'),
      intermediaryCertificate: vectorCertificate('osci_manager_cipher_4096'),
      intermediarySigner: { pinned: [vectorCertificate('osci_manager_signature_4096')] },
      authorAnchors: { cas: [vectorCertificate('governikus_ca_8_pn')], intermediates: [vectorCertificate('governikus_root_ca_3_pn')] },
    };
    const dialog = await ExplicitDialog.open(client);
    const seen: string[] = [];
    for (;;) {
      const fetchedDelivery = await dialog.fetchDelivery();
      if (!fetchedDelivery) break;
      const d = await withContent(fetchedDelivery, client);
      const entry = entries.find((e) => e.message_id === d.messageId)!;
      expect(entry, d.messageId).toBeDefined();
      expect(d.content?.firstError, entry.id).toBeUndefined();
      const signatures = d.content.allContainers.flatMap((c) => c.signatures);
      expect(signatures.length, entry.id).toBeGreaterThan(0);
      expect(
        signatures.every((s) => s.valid),
        entry.id,
      ).toBe(true);
      const hashes = contentHashes(d.content);
      for (const h of manifestContentHashes(entry)) expect(hashes.has(h), `${entry.id} ${h}`).toBe(true);
      expect(d.moreWaiting).toBe(seen.length < entries.length - 1);
      seen.push(entry.id);
      dialog.confirmPersisted();
      await dialog.release();
    }
    await dialog.exit();
    await dialog.release();
    // oldest first: in the order they were stored
    expect(seen).toEqual(entries.map((e) => e.id));
  });
});

/**
 * The local intermediary answering a recorded exchange as the recorded one did: the recorded message ids, conversation
 * ids counted from `firstConversation`, and as challenges the Response values of the requests that follow them
 * (`controlBlocks`: ConversationId, SequenceNumber and Response of each recorded request).
 */
function replayingIntermediary(controlBlocks: Json[], firstConversation: number, preIssuedMessageIds: string[]): Promise<TestIntermediary> {
  let conversation = firstConversation;
  const challenges = new Map<string, string>();
  for (const cb of controlBlocks) {
    if (cb.ConversationId === null || cb.Response === null) continue;
    const seq = Number(cb.SequenceNumber);
    challenges.set(`${cb.ConversationId}/${seq === 0 ? 'init' : seq - 1}`, cb.Response);
  }
  return startTestIntermediary(
    {
      preIssuedMessageIds,
      newConversationId: () => String(conversation++),
      newChallenge: ({ conversationId, sequenceNumber }) => challenges.get(`${conversationId}/${sequenceNumber ?? 'init'}`) ?? `unused-${conversationId}-${sequenceNumber ?? 'i'}`,
    },
    undefined,
    managerKeys(),
  );
}

describe('the recorded exchange, replayed', () => {
  const steps: Json[] = manifest.dialogs.A.messages.concat(manifest.dialogs.B.messages, manifest.dialogs.C.messages);
  const requests = steps.filter((s) => s.file.includes('.request.'));
  const responseOf = (step: number) => steps.find((s) => s.step === step && s.file.includes('.response.'));
  const entryOf = (file: string): Json => manifest.vectors.find((v: Json) => v.file === file);
  let im: TestIntermediary;

  beforeAll(async () => {
    // the recorded intermediary numbered its conversations from 1001 on
    im = await replayingIntermediary(requests, 1001, ['testvektor-msg-0001', 'testvektor-msg-0002']);
  });
  afterAll(() => im.dispose());

  it('answers every recorded request as the recorded intermediary did', async () => {
    expect(requests).toHaveLength(13);
    for (const req of requests) {
      const recorded = responseOf(req.step);
      const recordedEntry = entryOf(recorded.file);
      const key = vectorKey(recordedEntry.outer.decrypt_with.replace(/^certs\/(.+)\.p12$/, '$1'));
      const answer = await decodeAnswer(await post(im.url, readVector(req.file)), key);
      const m = answer.message;
      const what = `step ${req.step} ${req.type}`;
      expect(m.type, what).toBe(recorded.type);
      expect(answer.signature, what).toMatchObject({ valid: true, allPartsSigned: true, trust: 'pinned' });
      expect(
        m.feedback.map((f) => f.code),
        what,
      ).toEqual(recorded.feedback);
      expect(m.controlBlock?.conversationId, what).toBe(recorded.ConversationId ?? undefined);
      expect(m.controlBlock?.sequenceNumber, what).toBe(recorded.SequenceNumber === null ? undefined : Number(recorded.SequenceNumber));
      expect(m.controlBlock?.response, what).toBe(recorded.Response);
      if (recorded.type !== 'ResponseToGetMessageId') expect(m.controlBlock?.challenge ?? null, what).toBe(recorded.Challenge);
      if (recorded.type === 'ResponseToGetMessageId') {
        // our own id (the recorded one was issued by the recorded intermediary and is used by the next step)
        expect(m.order.messageId).toMatch(/^[0-9a-f-]{36}$/);
      } else if (recordedEntry.message_id) {
        expect(m.order.messageId, what).toBe(recordedEntry.message_id);
      }
      if (recorded.type === 'ResponseToFetchDelivery' && recordedEntry.message_id) {
        const card = m.processCards[0]!;
        expect(card.processCard?.creation?.plain).toBeDefined();
        expect(card.processCard?.forwarding?.plain).toBeDefined();
        const content = await decodeContent(m, { keys: [vectorKey('bob_cipher_4096')], scope: answer.scope });
        expect(content.firstError, what).toBeUndefined();
        expect(content.allContainers.flatMap((c) => c.signatures).every((s) => s.valid)).toBe(true);
        const hashes = contentHashes(content);
        for (const h of manifestContentHashes(recordedEntry)) expect(hashes.has(h), `${what} ${h}`).toBe(true);
        // the delivery's own certificates, with their Ids (targets of the content RetrievalMethods)
        expect(m.nonIntermediaryCertificates.map((c) => c.id)).toEqual(recordedEntry.non_intermediary_certificates.map((c: Json) => c.Id));
      }
      if (recorded.type === 'ResponseToFetchProcessCard') {
        expect(m.processCards.map((c) => c.messageId)).toEqual(recordedEntry.process_cards.map((c: Json) => c.message_id));
        for (const card of m.processCards) {
          expect(card.processCard?.creation?.plain).toBeDefined();
          expect(card.processCard?.forwarding?.plain).toBeDefined();
          expect(card.processCard?.reception?.plain).toBeDefined();
        }
      }
      await answer.release();
    }
  });
});

describe('the recorded chunked exchange (EFFI), replayed', () => {
  const chunked = manifest.chunked;
  const requests: Json[] = chunked.messages.filter((s: Json) => s.file.includes('.request.'));
  const responseFor = (req: Json): Json => chunked.messages.find((s: Json) => s.file === req.file.replace('.request.', '.response.'));
  let im: TestIntermediary;

  beforeAll(async () => {
    im = await replayingIntermediary(
      requests.map((r) => r.control_block),
      2001,
      ['testvektor-effi-0001'],
    );
  });
  afterAll(() => im.dispose());

  it('accepts the chunked upload, hands the delivery out in chunks and whole, as recorded', async () => {
    expect(requests).toHaveLength(14);
    const fetchedChunks: Buffer[] = [];
    for (const req of requests) {
      const recorded = responseFor(req);
      const key = vectorKey(recorded.outer.decrypt_with.replace(/^certs\/(.+)\.p12$/, '$1'));
      const answer = await decodeAnswer(await post(im.url, readVector(req.file)), key);
      const m = answer.message;
      const what = req.file;
      expect(m.type, what).toBe(recorded.message_type);
      expect(answer.signature, what).toMatchObject({ valid: true, allPartsSigned: true, trust: 'pinned' });
      expect(
        m.feedback.map((f) => f.code),
        what,
      ).toEqual(recorded.feedback.map((f: Json) => f.code));
      const cb = recorded.control_block;
      expect(m.controlBlock?.conversationId, what).toBe(cb.ConversationId ?? undefined);
      expect(m.controlBlock?.response, what).toBe(cb.Response);
      expect(m.controlBlock?.challenge ?? null, what).toBe(cb.Challenge);
      const effi = recorded.effi;
      if (m.type === 'ResponseToPartialStoreDelivery') {
        const info = m.order.chunkInformation!;
        expect(info.chunkNumber, what).toBe(Number(effi.ChunkInformation.ChunkNumber));
        expect(info.totalChunkNumbers, what).toBe(Number(effi.ChunkInformation.TotalChunkNumbers));
        expect(info.receivedChunks?.join(' '), what).toBe(effi.ChunkInformation.ReceivedChunks);
        if (effi.InsideFeedback) {
          expect(m.order.insideFeedback?.map((f) => f.code)).toEqual(effi.InsideFeedback.map((f: Json) => f.code));
          expect(m.processCards[0]?.messageId).toBe('testvektor-effi-0001');
          expect(m.processCards[0]?.processCard?.creation?.plain).toBeDefined();
        }
      }
      if (m.type === 'ResponseToPartialFetchDelivery') {
        const info = m.order.chunkInformation!;
        expect(info.chunkNumber, what).toBe(Number(effi.ChunkInformation.ChunkNumber));
        expect(info.totalChunkNumbers, what).toBe(Number(effi.ChunkInformation.TotalChunkNumbers));
        expect(m.order.messageId).toBe('testvektor-effi-0001');
        fetchedChunks.push(Buffer.from(await readAll(await m.attachments.get('ChunkBlobStoreDelivery')!.decoded(), 1e6)));
      }
      if (m.type === 'ResponseToFetchDelivery') {
        expect(m.order.messageId).toBe('testvektor-effi-0001');
        const content = await decodeContent(m, { keys: [vectorKey('bob_cipher_4096')], scope: answer.scope });
        expect(content.firstError).toBeUndefined();
        const reassembledEntry = chunked.reassembled.find((e: Json) => e.id === 'fetch-reassembled');
        const hashes = contentHashes(content);
        for (const h of manifestContentHashes(reassembledEntry)) expect(hashes.has(h), h).toBe(true);
      }
      await answer.release();
    }
    // our chunks make one unencrypted, signed ResponseToFetchDelivery with the delivery intact
    expect(fetchedChunks).toHaveLength(3);
    const whole = await decodeMessage(bufferSource(Buffer.concat(fetchedChunks)), {
      keys: [],
      anchors: { pinned: [vectorCertificate('osci_manager_signature_4096')] },
      scope: new SpoolScope(),
    });
    expect(whole.message.type).toBe('ResponseToFetchDelivery');
    expect(whole.signature).toMatchObject({ valid: true, allPartsSigned: true, trust: 'pinned' });
    const content = await decodeContent(whole.message, { keys: [vectorKey('bob_cipher_4096')], scope: whole.scope });
    expect(content.firstError).toBeUndefined();
    expect(content.allContainers.flatMap((c) => c.signatures).every((s) => s.valid)).toBe(true);
    await whole.release();
  });
});
