/**
 * Bad input, each a clear error and no loss: a wrong store password (the store files untouched), a damaged store
 * file, a full disk (a capped database, and injected write errors for the attachment files), the intermediary
 * down, and the intermediary failing in the middle of a dialog (a SOAP fault answered with HTTP 500, a connection
 * dropped after the request arrived). Afterwards every delivery still reaches the store exactly once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAll } from '../../core/io/byte-source.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles, type MailboxIdentity } from '../../core/mailbox/identity.js';
import { buildFault } from '../../core/osci/messages/build.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { nodeBlobFileIo, type BlobFileIo } from '../../core/store/blob-files.js';
import { PostfachStore } from '../../core/store/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, openStore, pkiPassword, postfach, send, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir } from './helpers.js';

const root = tempDir('postfach-mailbox-bad-');
let pkiDir = '';
let intermediary: RunningIntermediary;
const document = readFileSync(vectorPath('content/antrag-1.xml'));
/** Sent in the running test: the deliveries its store must end up with. */
let sentIds: string[] = [];

function identity(url: string): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: url,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
    timeoutSeconds: 20,
  });
}

async function sendSome(count: number, attachments = 0): Promise<void> {
  for (const s of await send(intermediary.url, pkiDir, { content: document, count, ...(attachments ? { attachments, attachmentSize: 40_000 } : {}) })) sentIds.push(s.messageId);
}

/** The store's files (the technical log beside them, `logs/`, is not part of the store). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && d === dir && e.name === 'logs') continue;
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${statSync(p).mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/** Every delivery sent so far ends up in the store exactly once (fetched now, directly). */
async function drainAndCheck(dbPath: string): Promise<void> {
  const store = await openStore(dbPath);
  try {
    const result = await runFetch({ store, identity: identity(intermediary.url) });
    expect(result.outcome).toBe('complete');
    const ids = store.list({ limit: 1000 }).items.map((i) => i.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of sentIds) expect(ids).toContain(id);
  } finally {
    store.close();
  }
}

beforeEach(() => {
  sentIds = [];
});

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('store problems', () => {
  it('a wrong store password: a clear error, no file of the store touched, nothing fetched or acknowledged', async () => {
    const dbPath = path.join(root, 'pw', 'postfach.db');
    await createStore(dbPath);
    await sendSome(2);
    const before = snapshot(path.dirname(dbPath));
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], { ...fetchEnv(pkiDir), POSTFACH_STORE_PASSWORD: 'falsches-Passwort' });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { kind: 'store-wrong-password', message: 'Das Passwort für den Datenspeicher ist falsch.' } });
    expect(snapshot(path.dirname(dbPath))).toEqual(before);
    const human = await postfach(fetchArgs(dbPath, intermediary.url, pkiDir), { ...fetchEnv(pkiDir), POSTFACH_STORE_PASSWORD: 'falsches-Passwort' });
    expect(human.stderr).toContain('Fehler: Das Passwort für den Datenspeicher ist falsch.');
    await drainAndCheck(dbPath);
  }, 120_000);

  it('a damaged store file: store-corrupt, and the deliveries stay at the intermediary', async () => {
    const dbPath = path.join(root, 'corrupt', 'postfach.db');
    await createStore(dbPath);
    await sendSome(2);
    const bytes = readFileSync(dbPath);
    for (let i = 40; i < 400; i++) bytes[i] = (bytes[i]! ^ 0x5a) & 0xff;
    writeFileSync(dbPath, bytes);
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { kind: 'store-corrupt' } });
    const list = await postfach(['list', '--store', dbPath], fetchEnv(pkiDir));
    expect(list.status).toBe(1);
    expect(list.stderr).toContain('Der Datenspeicher ist beschädigt');
    // nothing was acknowledged: a healthy store gets both
    const fresh = path.join(root, 'corrupt-restored', 'postfach.db');
    await createStore(fresh);
    await drainAndCheck(fresh);
  }, 120_000);

  it('a full disk (capped database): store-full, what was saved stays, the rest stays at the intermediary', async () => {
    const dbPath = path.join(root, 'full', 'postfach.db');
    await createStore(dbPath);
    await sendSome(40);
    const capped = await PostfachStore.open(dbPath, { password: STORE_PASSWORD }, { maxDatabaseBytes: 600 * 1024 });
    const result = await runFetch({ store: capped, identity: identity(intermediary.url) });
    const saved = capped.list({ limit: 1000 }).total;
    capped.close();
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'store-full' });
    expect(result.newMessages).toBe(saved);
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(sentIds.length);
    await drainAndCheck(dbPath);
  }, 180_000);

  it('a full disk (write errors on the attachment files): store-full, nothing half-saved', async () => {
    const dbPath = path.join(root, 'enospc', 'postfach.db');
    await createStore(dbPath);
    await sendSome(1);
    await sendSome(1, 2);
    let writes = 0;
    const failing: BlobFileIo = {
      async create(file) {
        const handle = await nodeBlobFileIo.create(file);
        return {
          ...handle,
          async write(data) {
            if (++writes > 1) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
            return handle.write(data);
          },
        };
      },
    };
    const store = await PostfachStore.open(dbPath, { password: STORE_PASSWORD }, { fileIo: failing });
    const result = await runFetch({ store, identity: identity(intermediary.url) });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'store-full' });
    const withAttachments = store.list({ withAttachments: true }).total;
    store.close();
    expect(withAttachments).toBe(0);
    await drainAndCheck(dbPath);
  }, 120_000);
});

/** A relay in front of the intermediary that misbehaves at request number `at` (1-based, InitDialog = 1). */
async function relay(misbehave: 'fault-500' | 'drop'): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll({ size: Number(req.headers['content-length']), stream: () => req as AsyncIterable<Buffer> }, 64 * 1024 * 1024);
      n++;
      if (n === 3) {
        if (misbehave === 'drop') {
          req.socket.destroy();
          return;
        }
        const fault = await readAll(buildFault('9000', 'Interner Fehler beim Supplier'), 1024 * 1024);
        res.writeHead(500, { 'Content-Type': 'text/xml', 'Content-Length': String(fault.length) });
        res.end(fault);
        return;
      }
      const upstream = http.request(intermediary.url, { method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': String(body.length) } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/osci`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('intermediary problems', () => {
  it('the intermediary down: exit code 4 after the retries, a clear German message, the store unchanged', async () => {
    const dbPath = path.join(root, 'down', 'postfach.db');
    await createStore(dbPath);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const before = snapshot(path.dirname(dbPath));
    const run = await postfach([...fetchArgs(dbPath, `http://127.0.0.1:${port}/osci`, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(run.status).toBe(4);
    const out = JSON.parse(run.stdout) as { ok: boolean; outcome: string; error: { kind: string; message: string; detail: string } };
    expect(out).toMatchObject({ ok: false, outcome: 'failed', error: { kind: 'network' } });
    expect(out.error.message).toContain('Der Intermediär ist nicht erreichbar');
    expect(out.error.detail).toContain('ECONNREFUSED');
    expect(out.error.detail).toContain('after 4 attempts');
    expect(snapshot(path.dirname(dbPath))).toEqual(before);
  }, 60_000);

  for (const misbehave of ['fault-500', 'drop'] as const) {
    it(`the intermediary fails in the middle of the dialog (${misbehave}): a clear error, nothing more sent, nothing lost`, async () => {
      const dbPath = path.join(root, misbehave, 'postfach.db');
      await createStore(dbPath);
      await sendSome(4);
      const r = await relay(misbehave);
      try {
        const run = await postfach([...fetchArgs(dbPath, r.url, pkiDir), '--json'], fetchEnv(pkiDir));
        const out = JSON.parse(run.stdout) as { outcome: string; newMessages: number; error: { kind: string; osciCode?: string; message: string } };
        expect(out.outcome).toBe('failed');
        // InitDialog and one FetchDelivery went through: that delivery is stored, though never acknowledged
        expect(out.newMessages).toBe(1);
        if (misbehave === 'fault-500') {
          expect(run.status).toBe(1);
          expect(out.error).toMatchObject({ kind: 'fault', osciCode: '9000' });
          expect(out.error.message).toContain('Der Intermediär hat den Auftrag abgelehnt');
        } else {
          expect(run.status).toBe(4);
          expect(out.error.kind).toBe('network');
        }
      } finally {
        await r.close();
      }
      await drainAndCheck(dbPath);
    }, 120_000);
  }
});
