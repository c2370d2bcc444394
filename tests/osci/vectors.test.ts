/**
 * Every reference vector decodes, decrypts and verifies exactly as ../shared/osci/vectors/manifest.json says —
 * driven by the manifest: lengths and SHA-256 of inner MIME and containers, message type, control block, header
 * blocks, certificates, signature validity/signer/references, MIME attachments, content items equal to the files
 * in content/, encrypted attachments, content signatures, process cards, feedback, EFFI chunk information.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { decodeMessage, type DecodedMessage } from '../../core/osci/decode.js';
import { decodeContent, type ContainerResult, type ContentItem, type ContentResult } from '../../core/osci/content/decode.js';
import { subjectName } from '../../core/osci/signature/cert-names.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import { vectorCertificate } from '../helpers/vector-keys.js';
import { allCipherKeys, allMessageEntries, certDer, keyFor, readVector, sha256, type Json } from './manifest.js';

let keys: KeyEntry[];
beforeAll(() => {
  keys = allCipherKeys();
});

const anchors = () => ({ cas: [vectorCertificate('governikus_ca_8_pn')], pinned: [vectorCertificate('alice_signature_ec256')] });

async function decode(entry: Json): Promise<DecodedMessage> {
  return decodeMessage(bufferSource(readVector(entry.file)), { keys, anchors: anchors() });
}

function checkContentItems(container: ContainerResult, expected: Json[]): void {
  expect(container.contents.length).toBe(expected.length);
  for (const exp of expected) {
    const item = container.contents.find((c: ContentItem) => c.id === exp.Id);
    expect(item, `content ${exp.Id}`).toBeDefined();
    if (exp.kind === 'Base64Content') expect(item!.kind).toBe('Base64Content');
    if (exp.kind === 'attachment-reference') {
      expect(item!.kind).toBe('attachment');
      if (item!.kind === 'attachment') {
        expect(`cid:${item!.contentId}`).toBe(exp.href);
        expect(item!.encrypted).toBe(exp.attachment_encrypted);
      }
    }
    if (exp.kind === 'nested-container') {
      expect(item!.kind).toBe('nested-container');
      if (item!.kind === 'nested-container') checkContainer(item!.container, exp.container);
      continue;
    }
    if (item!.kind === 'nested-container') continue;
    expect(item!.length).toBe(exp.length);
    expect(item!.sha256).toBe(exp.sha256);
    if (exp.equals_file) expect(item!.sha256).toBe(sha256(readVector(exp.equals_file)));
  }
}

function checkSignature(container: ContainerResult, exp: Json): void {
  if (!exp.signed) {
    expect(container.signatures).toHaveLength(0);
    return;
  }
  expect(container.signatures).toHaveLength(1);
  const sig = container.signatures[0]!;
  expect(sig.valid).toBe(exp.signature.valid);
  expect(sig.signer!.raw.equals(certDer(exp.signature.signer_certificate))).toBe(true);
  expect(sig.signerSubject).toBe(exp.signature.signer_subject);
  expect(sig.signatureMethod).toBe(exp.signature.signature_method);
  expect(sig.references.map((r) => r.uri).sort()).toEqual(exp.signature.references.map((r: Json) => r.uri).sort());
  for (const r of exp.signature.references) {
    const got = sig.references.find((x) => x.uri === r.uri)!;
    expect(got.digestMethod).toBe(r.digest_method);
    expect(got.transforms).toEqual(r.transforms ?? []);
    expect(got.ok).toBe(true);
    if (r.digest_matches_inclusive_c14n_in_context === false) expect(got.quirk).toBe('Q10');
  }
}

function checkContainer(container: ContainerResult, exp: Json): void {
  expect(container.id).toBe(exp.container_Id);
  checkContentItems(container, exp.contents);
  checkSignature(container, exp);
  for (const att of exp.encrypted_attachments ?? []) {
    const item = container.contents.find((c) => c.kind === 'attachment' && c.contentId === att.cid);
    expect(item?.kind).toBe('attachment');
    if (item?.kind === 'attachment') {
      expect(item.encryption!.symmetric).toBe(att.symmetric_algorithm);
      expect(item.encryption!.ivLength).toBe(att.iv_length);
      expect(item.encryption!.ivLengthElement ?? null).toBe(att.iv_length_element);
      expect(item.length).toBe(att.plaintext_length);
      expect(item.sha256).toBe(att.plaintext_sha256);
    }
  }
}

async function checkEncrypted(result: { container: ContainerResult | undefined; error: unknown }, exp: Json): Promise<void> {
  expect(result.error).toBeUndefined();
  const c = result.container!;
  const plaintext = await readAll(c.plaintext!, 1e8);
  expect(plaintext.length).toBe(exp.decrypted_container_length);
  expect(sha256(plaintext)).toBe(exp.decrypted_container_sha256);
  expect(plaintext.equals(readVector(exp.decrypted_container_file))).toBe(true);
  expect(c.encryption!.symmetric).toBe(exp.symmetric.algorithm);
  expect(c.encryption!.ivLength).toBe(exp.symmetric.iv_length);
  expect(c.encryption!.ivLengthElement ?? null).toBe(exp.symmetric.iv_length_element);
  expect(c.encryption!.readers).toBe(exp.encrypted_keys.length);
  checkContainer(c, exp.container);
}

function encryptedById(content: ContentResult, id: string) {
  const top = content.items.find((i) => i.kind === 'encrypted' && i.encryptedDataId === id);
  if (top && top.kind === 'encrypted') return top;
  for (const c of content.allContainers) {
    const n = c.nestedEncrypted.find((x) => x.encryptedDataId === id);
    if (n) return n;
  }
  return undefined;
}

describe('reference vectors decode as the manifest says', () => {
  for (const entry of allMessageEntries()) {
    it(`${entry.id ?? entry.file} (${entry.message_type})`, async () => {
      const bytes = readVector(entry.file);
      expect(bytes.length).toBe(entry.length);
      expect(sha256(bytes)).toBe(entry.sha256);
      const d = await decode(entry);
      try {
        const m = d.message;
        expect(m.type).toBe(entry.message_type);
        if (entry.schema_location !== undefined) expect(m.schemaLocation).toBe(entry.schema_location);

        // transport layer
        if (entry.outer) {
          expect(d.transport).toBeDefined();
          expect(d.transport!.key.certificateDer.equals(certDer(entry.outer.encrypted_key_certificate))).toBe(true);
          expect(d.transport!.key).toBe(keyFor(entry.outer.decrypt_with));
          expect(d.transport!.algorithms.keyTransport).toBe(entry.outer.key_transport);
          expect(d.transport!.algorithms.symmetric).toBe(entry.outer.symmetric.algorithm);
          expect(d.transport!.algorithms.ivLength).toBe(entry.outer.symmetric.iv_length);
          expect(d.transport!.algorithms.ivLengthElement ?? null).toBe(entry.outer.symmetric.iv_length_element);
          if (entry.outer.oaep_digest) expect(d.transport!.algorithms.oaepDigest).toBe(entry.outer.oaep_digest);
          if (entry.outer.oaep_mgf) expect(d.transport!.algorithms.mgf).toBe(entry.outer.oaep_mgf);
          expect(d.transport!.algorithms.partEncoding).toBe(entry.outer.ciphertext_part.content_transfer_encoding);
          expect(d.outer.boundary).toBe(entry.outer.mime_boundary);
          const inner = await readAll(d.inner, 10_000_000);
          expect(inner.length).toBe(entry.inner.length);
          expect(sha256(inner)).toBe(entry.inner.sha256);
          expect(inner.equals(readVector(entry.inner.file))).toBe(true);
        } else {
          expect(d.transport).toBeUndefined();
        }

        // header blocks, control block
        if (entry.header_blocks) {
          expect(m.headerBlocks.map((b) => `${b.localName}#${b.id}`)).toEqual(entry.header_blocks);
        }
        if (entry.control_block) {
          expect(m.controlBlock?.conversationId ?? null).toBe(entry.control_block.ConversationId);
          expect(m.controlBlock?.sequenceNumber === undefined ? null : String(m.controlBlock.sequenceNumber)).toBe(entry.control_block.SequenceNumber);
          expect(m.controlBlock?.response ?? null).toBe(entry.control_block.Response);
          expect(m.controlBlock?.challenge ?? null).toBe(entry.control_block.Challenge);
        }
        if (entry.desired_languages) expect(m.desiredLanguages).toBe(entry.desired_languages);
        if (entry.quality_of_timestamp) expect(m.qualityOfTimestamp).toEqual(entry.quality_of_timestamp);
        if (entry.feature_description) {
          expect(m.featureDescription!.features.map((f) => `${f.key} ${f.version}`)).toEqual(entry.feature_description);
        }
        if (entry.message_id) {
          const id = entry.effi?.MessageId ?? entry.message_id;
          expect([m.order.messageId, m.processCards[0]?.messageId]).toContain(id);
        }
        if (entry.subject) expect(m.order.subject ?? m.processCards[0]?.processCard?.subject).toBe(entry.subject);

        // certificates
        for (const [list, got] of [
          [entry.non_intermediary_certificates ?? [], m.nonIntermediaryCertificates],
          [entry.intermediary_certificates ?? [], m.intermediaryCertificates],
        ] as const) {
          expect(got.map((c) => c.role)).toEqual(list.map((c: Json) => c.element));
          list.forEach((c: Json, i: number) => {
            expect(got[i]!.id).toBe(c.Id);
            expect(got[i]!.certificate.raw.equals(certDer(c.certificate))).toBe(true);
          });
        }

        // message signature
        const ms = entry.message_signature;
        if (ms) {
          expect(d.signature.present).toBe(true);
          expect(d.signature.wrapper).toBe(ms.wrapper);
          expect(d.signature.valid).toBe(ms.valid);
          expect(d.signature.allPartsSigned).toBe(ms.all_parts_signed);
          expect(d.signature.signer!.raw.equals(certDer(ms.signer_certificate))).toBe(true);
          expect(subjectName(d.signature.signer!)).toBe(ms.signer_subject);
          expect(d.signature.signatureMethod).toBe(ms.signature_method);
          expect(d.signature.references.map((r) => r.uri).sort()).toEqual([...ms.references].sort());
          expect([...new Set(d.signature.references.map((r) => r.digestMethod))]).toEqual(ms.digest_method);
          expect(d.signature.trust).not.toBe('untrusted');
        } else if (entry.message_signature === null) {
          expect(d.signature.present).toBe(false);
        }

        // MIME attachments as transported
        for (const a of entry.mime_attachments ?? []) {
          const part = m.attachments.get(a.content_id)!;
          expect(part, a.content_id).toBeDefined();
          expect(part.transferEncoding).toBe(a.content_transfer_encoding);
          expect(part.raw.size).toBe(a.transported_length);
          expect(Number(part.headers.get('content-length'))).toBe(a.content_length_header);
          const decoded = await readAll(await part.decoded(), 10_000_000);
          expect(decoded.length).toBe(a.decoded_length);
          expect(sha256(decoded)).toBe(a.sha256_decoded);
        }

        // feedback, process cards, selection rules, EFFI
        if (entry.feedback) {
          expect(m.feedback.map((f) => [f.code, f.lang, f.text])).toEqual(entry.feedback.map((f: Json) => [f.code, f.lang, f.text]));
        }
        if (entry.process_cards) {
          expect(m.processCards.length).toBe(entry.process_cards.length);
          entry.process_cards.forEach((p: Json, i: number) => {
            const got = m.processCards[i]!;
            expect(got.messageId).toBe(p.message_id);
            expect(got.processCard?.recentModification ?? null).toBe(p.recent_modification);
            expect(got.processCard?.creation?.plain ?? null).toBe(p.creation);
            expect(got.processCard?.forwarding?.plain ?? null).toBe(p.forwarding);
            expect(got.processCard?.reception?.plain ?? null).toBe(p.reception);
            expect(got.processCard?.subject ?? null).toBe(p.subject);
            expect(got.inspections.length).toBe(p.inspections);
          });
        }
        if (entry.selection_rule !== undefined) {
          const ids = m.order.selectionRule?.messageIds ?? [];
          expect(ids).toEqual(entry.selection_rule ? [entry.selection_rule.MessageId_decoded] : []);
        }
        if (entry.selection_rule_echo !== undefined && m.type !== 'ResponseToPartialFetchDelivery') {
          const echo = m.order.selectionRuleEcho?.messageIds ?? [];
          expect(echo.map((x) => Buffer.from(x).toString('base64'))).toEqual(entry.selection_rule_echo ? [entry.selection_rule_echo.MessageId] : []);
        }
        if (entry.effi?.ChunkInformation) {
          const ci = m.order.chunkInformation!;
          const e = entry.effi.ChunkInformation;
          const str = (v: number | undefined) => (v === undefined ? undefined : String(v));
          expect(str(ci.chunkNumber)).toBe(e.ChunkNumber);
          expect(str(ci.chunkSize)).toBe(e.ChunkSize);
          expect(str(ci.totalChunkNumbers)).toBe(e.TotalChunkNumbers);
          expect(str(ci.totalMessageSize)).toBe(e.TotalMessageSize);
          expect(ci.receivedChunks?.join(' ')).toBe(e.ReceivedChunks);
        }
        if (entry.effi?.InsideFeedback) {
          expect(m.order.insideFeedback!.map((f) => f.code)).toEqual(entry.effi.InsideFeedback.map((f: Json) => f.code));
        }

        // content layer
        const content = await decodeContent(m, { keys, scope: d.scope });
        if (entry.content_package_order) {
          expect(content.items.map((i) => (i.kind === 'plain' ? `ContentContainer#${i.container.id}` : `EncryptedData#${i.encryptedDataId}`))).toEqual(entry.content_package_order);
        }
        for (const exp of entry.encrypted_data ?? []) {
          await checkEncrypted(encryptedById(content, exp.Id)!, exp);
          for (const other of exp.decryptable_by ?? []) {
            // each reader's key alone gives the same plaintext
            const alone = await decodeContent(m, { keys: [keyFor(other)], scope: d.scope });
            const r = encryptedById(alone, exp.Id)!;
            expect(r.error).toBeUndefined();
            expect(sha256(await readAll(r.container!.plaintext!, 1e8))).toBe(exp.decrypted_container_sha256);
          }
        }
        for (const exp of entry.plain_containers ?? []) {
          const item = content.items.find((i) => i.kind === 'plain' && i.container.id === exp.container_Id);
          expect(item?.kind).toBe('plain');
          if (item?.kind === 'plain') {
            checkContainer(item.container, exp);
            for (const ne of exp.nested_encrypted_data ?? []) await checkEncrypted(encryptedById(content, ne.Id)!, ne);
          }
        }
        if (entry.chunk_blob) {
          const part = m.attachments.get(entry.chunk_blob.href.slice(4))!;
          const blob = await readAll(await part.decoded(), 10_000_000);
          expect(blob.length).toBe(entry.chunk_blob.length);
          expect(sha256(blob)).toBe(entry.chunk_blob.sha256);
        }
        expect(content.firstError).toBeUndefined();
      } finally {
        await d.release();
      }
    });
  }
});
