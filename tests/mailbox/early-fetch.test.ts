/**
 * The first delivery fetched while the store is being opened (issue 14, cold `postfach fetch`; core/app/
 * mailbox-service.ts `firstWhileOpening`, core/mailbox/fetch-engine.ts `startFirstDelivery`): a real `postfach fetch`
 * (real processes, a real SQLite store, the local intermediary on loopback) against a store whose key derivation is
 * slow on purpose (scrypt at four times the default work, within the key file's bound), so that the fetch surely
 * reaches the service while the open still runs and its first delivery is decoded before the store is open.
 *
 * The rules the overlap must keep: a wrong store password ends with the same clear error as before and loses
 * nothing — the fetched and decoded delivery is not stored, not acknowledged, and the next fetch gets it; a kill
 * between the decode and the commit loses nothing either; with the right password the delivery is committed once
 * the store is open and acknowledged only after that commit.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { ensureBuilt, fetchArgs, fetchEnv, openStore, postfach, send, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir } from './helpers.js';
import { killAt, KillScenario } from './kill-scaffold.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Four times the default scrypt work: the open takes seconds, the service's mailbox stage a fraction of that. */
const SLOW_SCRYPT = { N: 2 ** 17, r: 8, p: 4 } as const;
/** The progress line of a delivery decoded and waiting to be stored (cli/commands/mailbox.ts). */
const DECODED = /^Speichern: 0 Zustellung/m;

const root = tempDir('postfach-early-fetch-');
const dbPath = path.join(root, 'store', 'postfach.db');
let pkiDir = '';
let intermediary: RunningIntermediary;
let document: Buffer;
const scenario = new KillScenario(
  () => intermediary.url,
  () => pkiDir,
  () => document,
);

async function storedIds(): Promise<string[]> {
  const store = await openStore(dbPath);
  try {
    expect(store.checkIntegrity()).toEqual({ ok: true, problems: [] });
    return store.list({ limit: 1000 }).items.map((i) => i.messageId);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  document = readFileSync(vectorPath('content/antrag-1.xml'));
  const { store } = await PostfachStore.create(dbPath, { password: STORE_PASSWORD, scrypt: SLOW_SCRYPT });
  store.close();
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('postfach fetch: the first delivery decoded while the store opens', () => {
  it('a wrong store password: the same error, the decoded delivery neither stored nor acknowledged, fetched later', async () => {
    const [sent] = await send(intermediary.url, pkiDir, { content: document, count: 1, seed: 'early-wrong' });
    const wrong = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], { ...fetchEnv(pkiDir), POSTFACH_STORE_PASSWORD: 'falsches-Passwort' });
    expect(wrong.status).not.toBe(0);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, error: { kind: 'store-wrong-password', message: 'Das Passwort für den Datenspeicher ist falsch.' } });
    // the overlap happened: the delivery was fetched and decoded before the open failed
    expect(wrong.stderr).toMatch(DECODED);
    expect(wrong.stderr).not.toMatch(/^Laufzettel/m);
    expect(await storedIds()).toEqual([]);
    expect(await scenario.acknowledgedAtIntermediary()).not.toContain(sent!.messageId);

    const right = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(right.status, right.stderr).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1, duplicates: 0 });
    // decoded while the store opened, committed (receipts asked for) after it
    expect(right.stderr).toMatch(DECODED);
    expect(right.stderr.search(DECODED)).toBeLessThan(right.stderr.search(/^Laufzettel/m));
    expect(await storedIds()).toEqual([sent!.messageId]);
    expect(await scenario.acknowledgedAtIntermediary()).toContain(sent!.messageId);
    const store = await openStore(dbPath);
    try {
      const item = store.list({ limit: 10 }).items[0]!;
      expect(sha256(await store.readContent(item.id))).toBe(sent!.content.sha256);
    } finally {
      store.close();
    }
  }, 300_000);

  it('SIGKILL between the decode and the commit: nothing stored, nothing acknowledged, the next fetch stores it once', async () => {
    const before = await storedIds();
    const [sent] = await send(intermediary.url, pkiDir, { content: document, count: 1, seed: 'early-kill' });
    const killed = await postfach(fetchArgs(dbPath, intermediary.url, pkiDir), { ...fetchEnv(pkiDir), ...killAt('early-decoded') }, 120_000);
    expect(killed.signal, `not killed (exit ${killed.status}): ${killed.stderr.slice(-300)}`).toBe('SIGKILL');
    expect(await storedIds()).toEqual(before);
    expect(await scenario.acknowledgedAtIntermediary()).not.toContain(sent!.messageId);

    const again = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1, duplicates: 0 });
    expect((await storedIds()).sort()).toEqual([...before, sent!.messageId].sort());
    expect(await scenario.acknowledgedAtIntermediary()).toContain(sent!.messageId);
  }, 300_000);
});
