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
 * the store is open and acknowledged only after that commit, in the one dialog begun while the store opened. A
 * wrong password is reported at once also while the intermediary's answer hangs or breaks off mid-body (a real HTTP
 * front on loopback holding it): the early request is torn down, not waited for (up to the 120 s timeout).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
/** The intermediary's own record of the requests it answered (its `log`): "<time> <type> … → <answer> <codes>". */
const requests: string[] = [];
const count = (type: string): number => requests.filter((l) => l.split(' ')[1] === type).length;
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
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'), { log: (line) => requests.push(line) });
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

    requests.length = 0;
    const right = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(right.status, right.stderr).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1, duplicates: 0 });
    // one dialog: the one begun while the store opened is the run's (no second InitDialog after the open)
    expect(count('InitDialog')).toBe(1);
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

  for (const behaviour of ['hang', 'stall-mid-body'] as const) {
    it(`a wrong store password while the intermediary's answer ${behaviour === 'hang' ? 'hangs' : 'breaks off mid-body'}: reported at once, the request torn down`, async () => {
      const before = await storedIds();
      const [sent] = await send(intermediary.url, pkiDir, { content: document, count: 1, seed: `early-${behaviour}` });
      const front = new HoldingFront(intermediary.url, behaviour);
      await front.listen();
      try {
        const started = Date.now();
        const wrong = await postfach([...fetchArgs(dbPath, front.url, pkiDir), '--json'], { ...fetchEnv(pkiDir), POSTFACH_STORE_PASSWORD: 'falsches-Passwort' });
        const ms = Date.now() - started;
        expect(wrong.status).not.toBe(0);
        expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, error: { kind: 'store-wrong-password', message: 'Das Passwort für den Datenspeicher ist falsch.' } });
        // the early fetch had begun: its FetchDelivery reached the front and was held there when the open failed
        expect(front.held).toBe(1);
        // ... and the command did not wait for it: the transport's timeout is 120 s; the held request was torn down
        // by the client (not by the front, which never answers it), before the command ended
        expect(ms).toBeLessThan(60_000);
        expect(front.closedByClient).toBe(1);
        expect(wrong.stderr).not.toMatch(DECODED);
        expect(wrong.stderr).not.toMatch(/^Laufzettel/m);
        expect(await storedIds()).toEqual(before);
        expect(await scenario.acknowledgedAtIntermediary()).not.toContain(sent!.messageId);
      } finally {
        await front.close();
      }
      // still there for the next fetch, stored once
      const right = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
      expect(right.status, right.stderr).toBe(0);
      expect(JSON.parse(right.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1, duplicates: 0 });
      expect((await storedIds()).sort()).toEqual([...before, sent!.messageId].sort());
    }, 300_000);
  }
});

/**
 * A real HTTP front before the intermediary: the first request of each connection sequence (InitDialog) is passed
 * on and answered; every later one (the dialog's FetchDelivery) reaches the intermediary too, but its answer is held
 * — not at all (`hang`) or its headers and first 64 KiB only (`stall-mid-body`). Counts the held requests and the
 * held connections the client closed.
 */
class HoldingFront {
  held = 0;
  closedByClient = 0;
  private passed = 0;
  private readonly open = new Set<http.ServerResponse>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const hold = this.passed++ >= 1;
      const upstream = http.request(this.target, { method: 'POST', headers: { 'Content-Type': req.headers['content-type'] ?? 'text/xml' } }, (answer) => {
        if (!hold) {
          res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'text/xml' });
          answer.pipe(res);
          return;
        }
        this.held++;
        this.open.add(res);
        res.on('close', () => {
          // the front never ends a held answer itself: a close here is the client's
          if (this.open.delete(res)) this.closedByClient++;
        });
        if (this.behaviour === 'hang') {
          answer.resume();
          return;
        }
        const body: Buffer[] = [];
        answer.on('data', (d: Buffer) => body.push(d));
        answer.on('end', () => {
          const all = Buffer.concat(body);
          res.writeHead(200, { 'Content-Type': answer.headers['content-type'] ?? 'text/xml', 'Content-Length': String(all.length) });
          res.write(all.subarray(0, Math.min(64 * 1024, all.length - 1)));
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });

  constructor(
    private readonly target: string,
    private readonly behaviour: 'hang' | 'stall-mid-body',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/osci`;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    const held = [...this.open];
    this.open.clear();
    for (const res of held) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
