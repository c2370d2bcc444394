/**
 * The mailbox part of the typed contract, as the UI uses it: an API client over the service protocol (the same
 * runtime, validation and handlers as the worker; here over a MessageChannel), a real store, the real local
 * intermediary. The OS key store is the host's protector, reached over `host-call`s.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import type { MethodOutput } from '../../core/api/contract.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachError } from '../../core/errors.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { KeyProtector } from '../../core/store/index.js';
import type { RunningIntermediary, SentApplication } from '../../intermediary/index.js';
import { pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';
import { signatureSentence, wordsOf } from '../../core/domain/words/index.js';
import { auditWords } from '../../core/store/audit-words.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A stand-in OS key store: real AES-GCM with a key that lives only in this (the host's) process. */
function testProtector(): KeyProtector & { calls: string[] } {
  const key = randomBytes(32);
  const calls: string[] = [];
  return {
    id: 'test-keystore:sachbearbeitung',
    calls,
    wrap(data) {
      calls.push('wrap');
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(data), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unwrap(blob) {
      calls.push('unwrap');
      const b = Buffer.from(blob);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]);
    },
  };
}

const root = tempDir('postfach-mailbox-contract-');
const dataDir = path.join(root, 'data');
let pkiDir = '';
let intermediary: RunningIntermediary;
let host: ServiceHost;
let api: PostfachApi;
const protector = testProtector();
const events: Array<[string, unknown]> = [];
let sent: SentApplication[] = [];
let recoveryKey = '';

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'desktop' }, { protector });
  api = createApiClient(host.asBridge());
  for (const e of ['fetch.progress', 'fetch.finished', 'mailbox.newApplications', 'messages.changed', 'store.changed'] as const) api.on(e, (p) => events.push([e, p]));
  sent = [
    ...(await send(intermediary.url, pkiDir, { service: 'grusi', seed: 'vertrag-1', attachments: 2, attachmentSize: 25_000 })),
    ...(await send(intermediary.url, pkiDir, { service: 'but', seed: 'vertrag-2', test: true })),
  ];
}, 180_000);

afterAll(async () => {
  await host?.close();
  await intermediary?.close();
});

const errorOf = async (p: Promise<unknown>): Promise<PostfachError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof PostfachError) return error;
    throw error;
  }
  throw new Error('expected a PostfachError');
};

describe('store and identity', () => {
  it('creates the store with the host’s OS key store and a password; the recovery key comes once', async () => {
    expect(await api.call('store.status', {})).toMatchObject({ state: 'none', protectorAvailable: true, identityConfigured: false });
    expect((await errorOf(api.call('messages.list', {}))).kind).toBe('store-not-open');
    const created = await api.call('store.create', { password: 'Passwort-fuer-IT-2026', protector: true });
    recoveryKey = created.recoveryKey;
    expect(recoveryKey).toMatch(/^[0-9A-Z]{6}(-[0-9A-Z]{6}){7}$/);
    expect(created.status).toMatchObject({ state: 'open', path: path.join(dataDir, 'postfach.db') });
    expect(created.status.wrappers.map((w) => w.id).sort()).toEqual(['password', 'recovery', 'test-keystore:sachbearbeitung']);
    expect(protector.calls).toContain('wrap');
    expect(events.some(([e]) => e === 'store.changed')).toBe(true);
  });

  it('sets the identity up from the p12 (read once) and reports it without keys', async () => {
    const f = testPkiFiles(pkiDir);
    expect(await api.call('identity.get', {})).toEqual({ identity: null });
    const candidates = await api.call('identity.inspectKeyFile', { keyFile: f.municipality.p12, password: pkiPassword(pkiDir) });
    expect(candidates.keys).toHaveLength(1);
    expect(candidates.keys[0]!.suitableFor).toEqual({ cipher: true, signature: true });
    expect((await errorOf(api.call('identity.inspectKeyFile', { keyFile: f.municipality.p12, password: 'falsch' }))).kind).toBe('pkcs12-wrong-password');
    const identity = await api.call('identity.setup', {
      keyFile: f.municipality.p12,
      password: pkiPassword(pkiDir),
      intermediaryUrl: intermediary.url,
      intermediaryCertificateFile: f.intermediary.cer,
      trustedCaFiles: [f.ca],
    });
    expect(identity).toMatchObject({ sameKey: true, intermediaryUrl: intermediary.url, partialFetchKb: null, expiry: { status: 'ok' } });
    expect(identity.cipherCertificate.subject).toContain('Sozialamt Musterstadt');
    expect(identity.trustedCas).toHaveLength(1);
    expect(JSON.stringify(identity)).not.toMatch(/PRIVATE|pkcs8/i);
    expect((await api.call('store.status', {})).identityConfigured).toBe(true);
    expect(await api.call('mailbox.testConnection', {})).toMatchObject({ ok: true, url: intermediary.url });
  });
});

describe('fetch and messages', () => {
  let list: MethodOutput<'messages.list'>;

  it('fetches with progress events, the result, and the counts-only notification', async () => {
    const result = await api.call('mailbox.fetch', {});
    expect(result).toMatchObject({ outcome: 'complete', newMessages: 2, duplicates: 0, unreadable: 0, errors: 0, receiptsRecorded: 2 });
    const phases = events.filter(([e]) => e === 'fetch.progress').map(([, p]) => (p as { phase: string }).phase);
    expect(phases[0]).toBe('connecting');
    expect(phases).toContain('storing');
    expect(phases.at(-1)).toBe('done');
    expect(events).toContainEqual(['mailbox.newApplications', { count: 2 }]);
    expect(events.find(([e]) => e === 'fetch.finished')?.[1]).toEqual(result);
    list = await api.call('messages.list', { sort: 'eingang', descending: false });
    expect(list.total).toBe(2);
    expect(list.items.map((i) => i.messageId)).toEqual(sent.map((s) => s.messageId));
    expect(list.items[1]).toMatchObject({ isTest: true, unread: true, state: 'new', signatureStatus: 'trusted' });
    expect(await api.call('messages.counts', {})).toMatchObject({ inbox: 2, unread: 2, test: 1, unreadable: 0 });
    expect((await api.call('messages.list', { test: false })).total).toBe(1);
    expect((await api.call('messages.list', { withAttachments: true })).items.map((i) => i.messageId)).toEqual([sent[0]!.messageId]);
  });

  it('opens a message: Laufzettel, signatures in words, the view, documents; audited as opened', async () => {
    const id = list.items[0]!.id;
    const detail = await api.call('messages.detail', { ref: { id } });
    expect(detail.laufzettel.eingang).toBe(new Date(sent[0]!.creation!).toISOString());
    expect(detail.laufzettel.reception).not.toBeNull();
    expect(detail.laufzettel.sender?.subject).toContain('Sozialplattform');
    const author = detail.signatures.find((s) => s.role === 'author')!;
    expect(author).toMatchObject({ result: 'valid', certificate: 'trusted', revocation: 'not-checked' });
    expect(signatureSentence(wordsOf('de'), author.result, author.certificate, author.revocation)).toBe('Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft');
    expect(detail.signatures.find((s) => s.role === 'intermediary')).toMatchObject({ result: 'valid', certificate: 'trusted' });
    expect(detail.inspections.length).toBeGreaterThan(0);
    expect(detail.view?.kind).toBe('xsozial-application');
    expect(detail.item.unread).toBe(false);
    const attachments = detail.documents.filter((d) => d.ref.source === 'attachment');
    expect(attachments.map((a) => a.sha256).sort()).toEqual(sent[0]!.attachments.map((a) => a.sha256).sort());
    expect(detail.documents.some((d) => d.ref.source === 'inline' && d.isApplicationForm)).toBe(true);
    const byMessageId = await api.call('messages.detail', { ref: { messageId: sent[0]!.messageId } });
    expect(byMessageId.item.id).toBe(id);
    const audit = await api.call('audit.list', { deliveryId: id });
    expect(audit.entries.map((e) => e.action)).toEqual(['fetched', 'opened', 'opened']);
    expect(auditWords(audit.entries[1]!.action, audit.entries[1]!.detail)).toEqual({ de: 'Geöffnet', en: 'Opened' });
  });

  it('hands out documents and the content in bounded chunks that add up to the exact bytes', async () => {
    const id = list.items[0]!.id;
    const detail = await api.call('messages.detail', { ref: { id } });
    const read = async (document: (typeof detail.documents)[number]['ref'] | { source: 'content' }, step: number): Promise<Buffer> => {
      const parts: Buffer[] = [];
      for (let offset = 0; ;) {
        const chunk = await api.call('messages.documentChunk', { id, document, offset, length: step });
        const bytes = Buffer.from(chunk.data, 'base64');
        expect(bytes.length).toBeLessThanOrEqual(step);
        parts.push(bytes);
        offset += bytes.length;
        if (chunk.done) {
          expect(offset).toBe(chunk.size);
          return Buffer.concat(parts);
        }
      }
    };
    for (const doc of detail.documents) expect(sha256(await read(doc.ref, 9_999))).toBe(doc.sha256);
    expect(sha256(await read({ source: 'content' }, 65_536))).toBe(sent[0]!.content.sha256);
    expect((await errorOf(api.call('messages.documentChunk', { id, document: { source: 'inline', ordinal: 999 }, offset: 0, length: 10 }))).kind).toBe('document-missing');
    expect((await errorOf(api.call('messages.documentChunk', { id, document: { source: 'content' }, offset: 0, length: 2 * 1024 * 1024 }))).kind).toBe('api-invalid-input');
  });

  it('changes states (audited where it matters), exports, and refuses to delete on legal hold', async () => {
    const id = list.items[1]!.id;
    expect((await api.call('messages.setRead', { id, read: true })).unread).toBe(false);
    expect((await api.call('messages.setRead', { id, read: false })).unread).toBe(true);
    expect((await api.call('messages.setTransferred', { id, transferred: true })).state).toBe('transferred');
    expect(await api.call('messages.setChecklist', { id, ticked: ['person', 'einkommen'] })).toEqual({ checklist: ['person', 'einkommen'] });
    expect((await api.call('messages.setLegalHold', { id, hold: true })).legalHold).toBe(true);
    expect((await errorOf(api.call('messages.deletePermanently', { id }))).kind).toBe('store-legal-hold');
    expect((await api.call('messages.setTrashed', { id, trashed: true })).state).toBe('trashed');
    expect((await api.call('messages.list', { folder: 'trash' })).items.map((i) => i.id)).toEqual([id]);
    expect((await api.call('messages.setTrashed', { id, trashed: false })).state).toBe('transferred');
    const xml = await api.call('messages.export', { id, format: 'xml', target: path.join(root, 'out', 'antrag.xml') });
    expect(xml.files[0]!.sha256).toBe(sent[1]!.content.sha256);
    const receipt = await api.call('messages.export', { id, format: 'receipt', target: path.join(root, 'out', 'eingang.pdf') });
    expect(readFileSync(receipt.files[0]!.path).subarray(0, 5).toString()).toBe('%PDF-');
    await api.call('messages.recordPrinted', { id });
    const actions = (await api.call('audit.list', { deliveryId: id })).entries.map((e) => e.action);
    expect(actions).toEqual(['fetched', 'marked-transferred', 'legal-hold-set', 'trashed', 'restored', 'exported', 'exported', 'printed']);
    const csv = await api.call('audit.exportCsv', { target: path.join(root, 'out', 'protokoll.csv'), delimiter: ';' });
    expect(readFileSync(csv.path, 'utf8')).toContain('Als übertragen markiert');
    expect(await api.call('audit.verify', {})).toMatchObject({ ok: true });
    expect(events.some(([e, p]) => e === 'messages.changed' && (p as { reason: string }).reason === 'state')).toBe(true);
  });

  it('plans and applies retention (legal hold exempt), with its settings', async () => {
    expect(await api.call('retention.settings', {})).toEqual({ retentionTransferredDays: 30, retentionTrashDays: 30 });
    await api.call('retention.updateSettings', { retentionTransferredDays: 0 });
    const held = list.items[1]!.id;
    expect((await api.call('retention.plan', {})).candidates).toEqual([]);
    await api.call('messages.setLegalHold', { id: held, hold: false });
    const plan = await api.call('retention.plan', {});
    expect(plan.candidates.map((c) => [c.id, c.reason])).toEqual([[held, 'transferred']]);
    const applied = await api.call('retention.apply', { ids: plan.candidates.map((c) => c.id) });
    expect(applied.deleted.map((d) => d.id)).toEqual([held]);
    expect((await api.call('messages.list', {})).total).toBe(1);
  });
});

describe('opening again', () => {
  it('closes and opens with the OS key store (through the host), the recovery key, the password; wrong ones are refused', async () => {
    expect((await api.call('store.close', {})).state).toBe('locked');
    protector.calls.length = 0;
    expect((await api.call('store.open', { unlock: { protector: true } })).state).toBe('open');
    expect(protector.calls).toEqual(['unwrap']);
    await api.call('store.close', {});
    expect((await api.call('store.open', { unlock: { recoveryKey: recoveryKey.toLowerCase().replace(/-/g, ' ') } })).state).toBe('open');
    await api.call('store.close', {});
    expect((await errorOf(api.call('store.open', { unlock: { password: 'nicht-das-Passwort' } }))).kind).toBe('store-wrong-password');
    expect((await api.call('store.open', { unlock: { password: 'Passwort-fuer-IT-2026' } })).identityConfigured).toBe(true);
    expect((await api.call('identity.get', {})).identity?.intermediaryUrl).toBe(intermediary.url);
    expect(existsSync(path.join(dataDir, 'postfach.db.keys.json'))).toBe(true);
  });
});
