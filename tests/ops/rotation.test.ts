/**
 * Changing the mailbox certificate against the real local intermediary and a real store: applications wait for the
 * old certificate; the new key is imported (policy checks), the old mailbox is drained — interrupted after one
 * delivery, the store closed and opened again as after a restart, then resumed — and the keys are switched. Messages
 * for the old certificate, for the new one, and content still encrypted for the old certificate after the switch are
 * all readable; without the retired key that last one would not be.
 */
import { auditWords } from '../../core/store/audit-words.js';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load-config.js';
import { fakePolicySource } from '../../core/config/policy-source.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromRecord, identityRecord } from '../../core/mailbox/identity.js';
import { cancelRotation, currentIdentity, rotationStatus, runRotation, stageRotation } from '../../core/mailbox/rotation.js';
import { createPkcs12, issueCertificate } from '../../core/pki/index.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { loadSenderSetup, sendApplications } from '../../intermediary/index.js';
import { pkiPassword, sharedPki, send, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { failure } from './helpers.js';
import { identityFor, newStore, STORE_PASSWORD, type RunningIntermediary } from './mailbox-helpers.js';
import { ROTATION_STEP_WORDS } from '../../core/api/contract/rotation-words.js';

const root = tempDir('postfach-ops-rotation-');
const NEW_PASSWORD = 'Neues-Zertifikat-2027';
let pkiDir = '';
let intermediary: RunningIntermediary;
const dbPath = path.join(root, 'postfach.db');
let newP12 = '';
let newCert: X509Certificate;

function makeNewKey(): void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const now = Date.now();
  newCert = issueCertificate({
    subject: [
      { type: 'C', value: 'DE' },
      { type: 'O', value: 'Stadt Musterstadt' },
      { type: 'CN', value: 'Sozialamt Musterstadt 2027' },
    ],
    publicKey,
    selfSigningKey: privateKey,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 800 * 86_400_000),
    keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'],
  });
  newP12 = path.join(root, 'neu.p12');
  writeFileSync(newP12, createPkcs12(privateKey, newCert, NEW_PASSWORD));
}

async function readable(store: PostfachStore, id: number): Promise<string> {
  const record = store.getDelivery(id);
  expect(record.unreadableReason, `message ${id}`).toBeNull();
  const view = await readDelivery(await store.readContent(id));
  return view.applicants[0] ?? '';
}

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  makeNewKey();
}, 120_000);
afterAll(async () => {
  await intermediary?.close();
});

describe('certificate rotation', () => {
  it('imports, drains the old mailbox (interrupted and resumed after a restart), switches; old and new messages readable', async () => {
    const created = await newStore(dbPath);
    let store = created.store;
    store.saveMailboxIdentity(identityRecord(identityFor(pkiDir, intermediary.url)));
    await send(intermediary.url, pkiDir, { count: 1, seed: 'vorher' });
    expect((await runFetch({ store, identity: await currentIdentity(store) })).newMessages).toBe(1);
    // three more wait for the old certificate when the rotation begins, one with attachments
    await send(intermediary.url, pkiDir, { count: 2, seed: 'alt' });
    await send(intermediary.url, pkiDir, { count: 1, seed: 'alt-anlage', attachments: 1, attachmentSize: 50_000 });

    // step 1, with the policy checks
    expect((await failure(() => stageRotation(store, { keyFile: testPkiFiles(pkiDir).municipality.p12, password: pkiPassword(pkiDir) }))).kind).toBe('rotation-same-certificate');
    const strict = await loadConfig({ policy: fakePolicySource({ RefuseSelfSignedMailboxCertificates: { type: 'REG_DWORD', data: 1 } }), machineFile: null });
    const selfSigned = await failure(() => stageRotation(store, { keyFile: newP12, password: NEW_PASSWORD }, strict));
    expect(selfSigned.kind).toBe('key-self-signed');
    expect(selfSigned.text.de).toMatch(/selbst signiert/);
    const long = await loadConfig({ policy: fakePolicySource({ MinimumKeyBits: { type: 'REG_DWORD', data: 4096 } }), machineFile: null });
    expect((await failure(() => stageRotation(store, { keyFile: newP12, password: NEW_PASSWORD }, long))).kind).toBe('key-too-short');
    expect((await rotationStatus(store)).state).toBe('none');

    const staged = await stageRotation(store, { keyFile: newP12, password: NEW_PASSWORD });
    expect(staged.state).toBe('staged');
    expect(staged.next?.fingerprintSha256).toBe(newCert.fingerprint256);
    expect(staged.steps.map((s) => [s.id, s.done])).toEqual([
      ['import', true],
      ['drain', false],
      ['switch', false],
      ['announce', false],
    ]);
    // the steps cross the contract as ids; their words are said where shown (contract/rotation-words.ts)
    expect(ROTATION_STEP_WORDS[staged.steps[1]!.id].explanation.de).toMatch(/nichts wird doppelt gespeichert/);

    // step 2, interrupted after the first delivery
    const controller = new AbortController();
    const interrupted = await runRotation(store, {
      fetch: (identity) =>
        runFetch({
          store,
          identity,
          signal: controller.signal,
          // cancelled while the first delivery is being stored: it is kept, the dialog ends after it
          onProgress: (p) => {
            if (p.phase === 'storing') controller.abort();
          },
        }),
    });
    expect(interrupted.fetch?.outcome).toBe('cancelled');
    expect(interrupted.status).toMatchObject({ state: 'draining', fetched: 1, lastError: 'cancelled' });
    // the old key is still in force
    expect(store.readMailboxIdentity()?.cipherCertificate.equals(readFileSync(testPkiFiles(pkiDir).municipality.cer))).toBe(true);

    // a restart: the store closed and opened again, the rotation resumes where it stood
    store.close();
    store = await PostfachStore.open(dbPath, { password: STORE_PASSWORD });
    expect(await rotationStatus(store)).toMatchObject({ state: 'draining', fetched: 1 });
    const resumed = await runRotation(store, { fetch: (identity) => runFetch({ store, identity }) });
    expect(resumed.fetch).toMatchObject({ outcome: 'complete', newMessages: 2 });
    expect(resumed.status.state).toBe('none');
    expect(resumed.status.current?.fingerprintSha256).toBe(newCert.fingerprint256);
    expect(resumed.status.retired.map((c) => c.fingerprintSha256)).toEqual([new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer)).fingerprint256]);

    // after the switch: a delivery for the new certificate, and one whose content is still encrypted for the old one
    const toNew = { ...loadSenderSetup({ pkiDir }), recipient: newCert };
    await sendApplications({ intermediaryUrl: intermediary.url, setup: toNew, count: 1, seed: 'neu' });
    await sendApplications({
      intermediaryUrl: intermediary.url,
      setup: toNew,
      count: 1,
      seed: 'alt-verschluesselt',
      contentCertificate: new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer)),
    });
    const after = await runFetch({ store, identity: await currentIdentity(store) });
    expect(after).toMatchObject({ outcome: 'complete', newMessages: 2, unreadable: 0 });

    const all = store.list({ limit: 100 }).items;
    expect(all).toHaveLength(6);
    for (const item of all) expect(await readable(store, item.id)).not.toBe('');
    expect(all.flatMap((i) => store.getDelivery(i.id).attachments)).toHaveLength(1);

    // the retired key is what makes the last one readable: without it such content is "nicht lesbar"
    await sendApplications({
      intermediaryUrl: intermediary.url,
      setup: toNew,
      count: 1,
      seed: 'kontrolle',
      contentCertificate: new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer)),
    });
    const withoutRetired = identityFromRecord(store.readMailboxIdentity() as NonNullable<ReturnType<PostfachStore['readMailboxIdentity']>>);
    const control = await runFetch({ store, identity: withoutRetired });
    expect(control).toMatchObject({ newMessages: 1, unreadable: 1 });

    // kept as codes and parameters, said in words when shown
    const audit = store.auditEntries({ limit: 1000 }).filter((e) => e.action === 'settings-changed');
    expect(audit.some((e) => auditWords(e.action, e.detail).de.startsWith('Zertifikatswechsel begonnen (neues Zertifikat SHA-256 '))).toBe(true);
    expect(audit.some((e) => auditWords(e.action, e.detail).de.startsWith('Zertifikat gewechselt (bisher SHA-256 '))).toBe(true);
    expect(store.verifyAuditLog().ok).toBe(true);
    store.close();
  }, 240_000);

  it('a staged rotation can be cancelled; without one there is nothing to run', async () => {
    const other = path.join(root, 'abbruch.db');
    const { store } = await newStore(other);
    try {
      store.saveMailboxIdentity(identityRecord(identityFor(pkiDir, intermediary.url)));
      expect((await failure(() => runRotation(store, { fetch: async () => Promise.reject(new Error('not called')) }))).kind).toBe('rotation-none');
      await stageRotation(store, { keyFile: newP12, password: NEW_PASSWORD });
      expect((await cancelRotation(store)).state).toBe('none');
      expect(store.readMailboxIdentity()?.cipherCertificate.equals(readFileSync(testPkiFiles(pkiDir).municipality.cer))).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);
});
