/**
 * Trusted sender CAs through the real service (contract area "trust", in process, every message validated) with
 * real applications fetched from the local intermediary: without a CA every valid signature is "gültig, unbekannter
 * Aussteller"; importing the sender's CA (.cer DER, PEM, .p7b DER and PEM) turns the STORED deliveries to
 * "vertrauenswürdig" and removing it turns them back, each change in the audit log with the count judged again; broken files and
 * certificates that are no CA are refused with a German message and change nothing. IT's CAs (machine file) are
 * listed as IT's, cannot be removed, judge the stored deliveries again when they change, and while IT fixes the
 * setting the office's list can neither change nor count. Deliveries stored before the signer was kept are judged
 * again from the message's sender certificate.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachError } from '../../core/errors.js';
import { reevaluatedSignatures } from '../../core/mailbox/trust-reevaluation.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';
import { signatureSentence, wordsOf } from '../../core/domain/words/index.js';

const root = tempDir('postfach-trusted-cas-');
const dataDir = path.join(root, 'daten');
const STORE_PASSWORD = 'Vertrauen-Speicher-2026';
let pkiDir = '';
let intermediary: RunningIntermediary;
let host: ServiceHost | undefined;
let api: PostfachApi;
let ca: X509Certificate;
const files: Record<string, string> = {};

/** A PKCS#7 certs-only bundle (as `openssl crl2pkcs7 -nocrl` makes it), DER or PEM. */
function p7b(certs: readonly X509Certificate[], pem: boolean): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  for (const c of certs) p7.addCertificate(forge.pki.certificateFromAsn1(forge.asn1.fromDer(c.raw.toString('binary'))));
  return pem ? Buffer.from(forge.pkcs7.messageToPem(p7)) : Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

function file(name: string, bytes: Uint8Array | string): string {
  const dir = path.join(root, 'dateien');
  mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function startService(machineConfig?: object): Promise<void> {
  await host?.close();
  if (machineConfig === undefined) process.env.POSTFACH_MACHINE_CONFIG = path.join(root, 'keine-config.json');
  else process.env.POSTFACH_MACHINE_CONFIG = file(`config-${randomBytes(4).toString('hex')}.json`, JSON.stringify(machineConfig));
  host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
  api = createApiClient(host.asBridge());
}

const errorOf = async (p: Promise<unknown>): Promise<PostfachError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof PostfachError) return error;
    throw error;
  }
  throw new Error('expected a PostfachError');
};

const statuses = async (): Promise<string[]> => (await api.call('messages.list', { sort: 'eingang', descending: false })).items.map((i) => i.signatureStatus ?? 'null');
const authorOf = async (id: number) => (await api.call('messages.detail', { ref: { id } })).signatures.find((s) => s.role === 'author')!;
const fingerprintHex = (c: X509Certificate) => c.fingerprint256.replace(/:/g, '').toLowerCase();
let untrustedAtFetch: Awaited<ReturnType<typeof authorOf>> | undefined;
const savedEnv = process.env.POSTFACH_MACHINE_CONFIG;

beforeAll(async () => {
  pkiDir = await sharedPki();
  const f = testPkiFiles(pkiDir);
  ca = new X509Certificate(readFileSync(f.ca));
  const sender = new X509Certificate(readFileSync(f.sender.cer));
  files.der = f.ca;
  files.pem = file('ca.pem', ca.toString());
  files.p7bDer = file('ca-kette.p7b', p7b([ca, sender], false));
  files.p7bPem = file('ca.p7b', p7b([ca], true));
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  await send(intermediary.url, pkiDir, { service: 'hzl', seed: 'vertrauen-1' });
  await send(intermediary.url, pkiDir, { service: 'grusi', seed: 'vertrauen-2' });
  await startService();
  // a real set-up without any CA, as an office has it today
  await api.call('store.create', {
    password: STORE_PASSWORD,
    identity: { keyFile: f.municipality.p12, password: pkiPassword(pkiDir), intermediaryUrl: intermediary.url, intermediaryCertificateFile: f.intermediary.cer },
  });
  expect(await api.call('mailbox.fetch', {})).toMatchObject({ outcome: 'complete', newMessages: 2 });
}, 180_000);

afterAll(async () => {
  await host?.close();
  await intermediary?.close();
  if (savedEnv === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
  else process.env.POSTFACH_MACHINE_CONFIG = savedEnv;
});

describe('the office’s trusted sender CAs', () => {
  it('without a CA: every valid signature is "gültig, unbekannter Aussteller", the list is empty', async () => {
    expect(await statuses()).toEqual(['unknown-issuer', 'unknown-issuer']);
    const author = await authorOf(1);
    expect(author).toMatchObject({ result: 'valid', certificate: 'unknown-issuer' });
    expect(signatureSentence(wordsOf('de'), author.result, author.certificate, author.revocation)).toBe(
      'Signatur gültig; Zertifikat von unbekanntem Aussteller; Sperrstatus nicht geprüft',
    );
    untrustedAtFetch = author;
    expect(await api.call('trust.list', {})).toEqual({ cas: [], locked: false });
  });

  it('a CA file is shown before it is trusted: subject, SHA-256 fingerprint, validity; nothing changes', async () => {
    const seen = await api.call('trust.inspectFile', { file: files.der! });
    expect(seen.skipped).toBe(0);
    expect(seen.cas).toHaveLength(1);
    expect(seen.cas[0]).toMatchObject({
      alreadyTrusted: false,
      certificate: { subject: 'CN=OSCI-Postfach Test-CA, O=OSCI-Postfach Übungsumgebung, C=DE', fingerprintSha256: ca.fingerprint256 },
    });
    expect(seen.cas[0]!.certificate.validTo).toBe(new Date(ca.validTo).toISOString());
    expect((await api.call('trust.list', {})).cas).toEqual([]);
  });

  it('importing the sender CA (.cer) turns the stored deliveries to "vertrauenswürdig"; audited with the count', async () => {
    const result = await api.call('trust.add', { file: files.der! });
    expect(result).toMatchObject({ added: 1, reevaluated: { checked: 2, changed: 2 } });
    expect(result.list.cas).toHaveLength(1);
    expect(result.list.cas[0]).toMatchObject({ owner: 'office', source: 'import', inForce: true, certificate: { fingerprintSha256: ca.fingerprint256 } });
    expect(await statuses()).toEqual(['trusted', 'trusted']);
    const author = await authorOf(1);
    expect(author).toMatchObject({ result: 'valid', certificate: 'trusted', reasons: [] });
    expect(signatureSentence(wordsOf('de'), author.result, author.certificate, author.revocation)).toBe('Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft');
    // the identity the UI shows names it too
    expect((await api.call('identity.get', {})).identity?.trustedCas.map((c) => c.fingerprintSha256)).toEqual([ca.fingerprint256]);
    // the change, then the judgement of the stored messages with its count
    const audit = (await api.call('audit.list', {})).entries.filter((e) => e.action.startsWith('trust'));
    expect(audit.map((e) => [e.action, e.detail])).toEqual([
      ['trusted-ca-added', `{"v":1,"sha256":"${fingerprintHex(ca)}","origin":"import"}`],
      ['trust-reevaluated', '{"v":1,"reason":"ca-added","checked":2,"changed":2}'],
    ]);
    // the same file again: nothing added, nothing judged, nothing audited
    expect(await api.call('trust.add', { file: files.der! })).toMatchObject({ added: 0, reevaluated: { checked: 0, changed: 0 } });
    expect((await api.call('audit.list', {})).entries.filter((e) => e.action.startsWith('trust'))).toHaveLength(2);
  });

  it('a delivery fetched while the CA is trusted is "vertrauenswürdig" from the start', async () => {
    await send(intermediary.url, pkiDir, { service: 'but', seed: 'vertrauen-3' });
    expect(await api.call('mailbox.fetch', {})).toMatchObject({ newMessages: 1 });
    expect(await statuses()).toEqual(['trusted', 'trusted', 'trusted']);
  });

  it('removing it turns every stored delivery back to "unbekannter Aussteller" (with the reason); audited', async () => {
    const result = await api.call('trust.remove', { fingerprint: ca.fingerprint256 });
    expect(result).toMatchObject({ removed: true, reevaluated: { checked: 3, changed: 3 }, list: { cas: [] } });
    expect(await statuses()).toEqual(['unknown-issuer', 'unknown-issuer', 'unknown-issuer']);
    // exactly as the fetch had judged it without the CA (the chain ends at the CA from the mailbox's key file)
    expect(await authorOf(1)).toEqual(untrustedAtFetch);
    expect((await authorOf(3)).reasons.map((r) => wordsOf('de').signatureReason[r])).toEqual([
      'Die Kette endet bei einer Zertifizierungsstelle, die nicht als vertrauenswürdig eingerichtet ist.',
    ]);
    const audit = (await api.call('audit.list', {})).entries.filter((e) => e.action.startsWith('trust')).slice(-2);
    expect(audit.map((e) => [e.action, e.detail])).toEqual([
      ['trusted-ca-removed', `{"v":1,"sha256":"${fingerprintHex(ca)}"}`],
      ['trust-reevaluated', '{"v":1,"reason":"ca-removed","checked":3,"changed":3}'],
    ]);
    expect((await errorOf(api.call('trust.remove', { fingerprint: ca.fingerprint256 }))).kind).toBe('trusted-ca-unknown');
  });

  it('PEM, .p7b (DER, with the sender certificate beside the CA) and .p7b (PEM) give the same CA', async () => {
    for (const name of ['pem', 'p7bDer', 'p7bPem'] as const) {
      const seen = await api.call('trust.inspectFile', { file: files[name]! });
      expect(
        seen.cas.map((c) => c.certificate.fingerprintSha256),
        name,
      ).toEqual([ca.fingerprint256]);
      expect(seen.skipped, name).toBe(name === 'p7bDer' ? 1 : 0);
      const added = await api.call('trust.add', { file: files[name]! });
      expect(added, name).toMatchObject({ added: 1, reevaluated: { changed: 3 } });
      expect(await statuses()).toEqual(['trusted', 'trusted', 'trusted']);
      // without colons, as the audit log names it
      expect((await api.call('trust.remove', { fingerprint: fingerprintHex(ca) })).removed).toBe(true);
    }
    expect(await statuses()).toEqual(['unknown-issuer', 'unknown-issuer', 'unknown-issuer']);
  });

  it('a broken file, random bytes, an empty file, a key file or a sender certificate are refused in German; nothing changes', async () => {
    const f = testPkiFiles(pkiDir);
    const whole = p7b([ca], false);
    const cases: Array<[string, string, string, RegExp]> = [
      [
        'abgeschnitten.p7b',
        file('abgeschnitten.p7b', whole.subarray(0, Math.floor(whole.length / 2))),
        'certificate-unreadable',
        /^Die Zertifikatsdatei ist beschädigt oder kein X\.509-Zertifikat \(\.cer\/\.crt\/\.pem\/\.p7b\)\.$/,
      ],
      ['zufall.cer', file('zufall.cer', randomBytes(2000)), 'certificate-unreadable', /beschädigt/],
      ['leer.cer', file('leer.cer', new Uint8Array(0)), 'certificate-unreadable', /beschädigt/],
      ['municipality.p12', f.municipality.p12, 'certificate-is-pkcs12', /Schlüsseldatei/],
      ['sender.cer', f.sender.cer, 'trusted-ca-not-ca', /^Die Datei enthält kein CA-Zertifikat\./],
      ['fehlt.cer', path.join(root, 'gibt-es-nicht.cer'), 'input-file', /kann nicht gelesen werden/],
    ];
    const auditBefore = (await api.call('audit.list', {})).entries.length;
    for (const [name, p, kind, message] of cases) {
      const inspect = await errorOf(api.call('trust.inspectFile', { file: p }));
      expect(inspect.kind, name).toBe(kind);
      const add = await errorOf(api.call('trust.add', { file: p }));
      expect(add.kind, name).toBe(kind);
      expect(add.text.de, name).toMatch(message);
    }
    expect((await api.call('trust.list', {})).cas).toEqual([]);
    expect((await api.call('audit.list', {})).entries.length).toBe(auditBefore);
    expect(await statuses()).toEqual(['unknown-issuer', 'unknown-issuer', 'unknown-issuer']);
  });

  it('a delivery stored before the signer was kept is judged again from the message’s sender certificate', async () => {
    const store = await PostfachStore.open(path.join(dataDir, 'postfach.db'), { password: STORE_PASSWORD });
    try {
      const record = store.getDelivery(1);
      const { evidence, ...older } = record.signatureResult as Record<string, unknown>;
      expect(evidence).toBeDefined();
      const row = {
        id: 1,
        signatureResult: older as never,
        senderCertificate: Buffer.from(record.senderCertificate!),
        unreadable: false,
        contentCoverage: record.content.coverage,
      };
      const judged = reevaluatedSignatures(row, { anchors: [ca], intermediates: [] });
      expect(judged?.signatureStatus).toBe('trusted');
      expect(JSON.stringify(judged?.signatureResult)).toContain('"certificate":"trusted"');
      expect(judged?.signatureResult).not.toHaveProperty('evidence');
      // no signer certificate at hand: the check stays as it was
      expect(reevaluatedSignatures({ ...row, senderCertificate: null }, { anchors: [ca], intermediates: [] })).toBeUndefined();
      // judged as stored (no CA trusted, the CA known from the mailbox's key file): nothing to change
      expect(reevaluatedSignatures(row, { anchors: [], intermediates: [ca] })).toBeUndefined();
      // the list status comes from the signatures that cover the application shown, and from nothing else: a
      // trusted signer that covers no part of the application does not make the row "vertrauenswürdig"
      const coveringNone = { ...row, contentCoverage: { version: 1, role: 'application', status: 'unsigned', signatures: [] } };
      expect(reevaluatedSignatures(coveringNone, { anchors: [ca], intermediates: [] })?.signatureStatus).toBe('unsigned');
    } finally {
      store.close();
    }
  });
});

describe('IT’s trusted CAs (machine file)', () => {
  it('as defaults: listed as IT’s, in force beside the office’s; the stored deliveries are judged again on open', async () => {
    await startService({ settings: {}, defaults: { trustedCaFiles: [files.der] } });
    await api.call('store.open', { unlock: { password: STORE_PASSWORD } });
    expect(await statuses()).toEqual(['trusted', 'trusted', 'trusted']);
    const reevaluated = (await api.call('audit.list', {})).entries.filter((e) => e.action === 'trust-reevaluated' && e.detail?.includes('"reason":"ca-set-changed"'));
    expect(reevaluated.map((e) => e.detail)).toEqual(['{"v":1,"reason":"ca-set-changed","checked":3,"changed":3}']);
    const list = await api.call('trust.list', {});
    expect(list).toMatchObject({ locked: false, cas: [{ owner: 'it', source: 'machine-file', addedAt: null, inForce: true }] });
    const refused = await errorOf(api.call('trust.remove', { fingerprint: ca.fingerprint256 }));
    expect(refused.kind).toBe('setting-locked');
    expect(refused.text.de).toBe('Diese CA ist von Ihrer IT vorgegeben und kann hier nicht entfernt werden.');
    // opened again with the same settings: nothing to judge again
    await api.call('store.close', {});
    await api.call('store.open', { unlock: { password: STORE_PASSWORD } });
    expect((await api.call('audit.list', {})).entries.filter((e) => e.action === 'trust-reevaluated' && e.detail?.includes('"reason":"ca-set-changed"'))).toHaveLength(1);
  });

  it('fixed by IT (settings): only IT’s list counts; the office’s can neither change nor count', async () => {
    // the office trusts the CA itself first, then IT fixes an empty-of-this-CA list (another CA)
    await startService();
    await api.call('store.open', { unlock: { password: STORE_PASSWORD } });
    expect((await api.call('trust.add', { file: files.der! })).added).toBe(1);
    const other = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'pki', 'openssl3-ca.cer'));
    await startService({ settings: { trustedCaFiles: [file('andere-ca.cer', other)] }, defaults: {} });
    await api.call('store.open', { unlock: { password: STORE_PASSWORD } });
    expect(await statuses()).toEqual(['unknown-issuer', 'unknown-issuer', 'unknown-issuer']);
    const list = await api.call('trust.list', {});
    expect(list.locked).toBe(true);
    expect(list.lockReason?.de).toBe('von Ihrer IT festgelegt (Konfigurationsdatei des PCs)');
    expect(list.cas.map((c) => [c.owner, c.source, c.inForce])).toEqual([
      ['it', 'machine-file', true],
      ['office', 'import', false],
    ]);
    const add = await errorOf(api.call('trust.add', { file: files.pem! }));
    expect(add.kind).toBe('setting-locked');
    expect(add.text.de).toBe('Die vertrauenswürdigen Absender-CAs sind von Ihrer IT festgelegt (Konfigurationsdatei des PCs) und können hier nicht geändert werden.');
    expect((await errorOf(api.call('trust.remove', { fingerprint: ca.fingerprint256 }))).kind).toBe('setting-locked');
  });
});
