/**
 * The fetch engine's own behaviour (library level, real intermediary and store): large deliveries in chunks
 * (PartialFetchDelivery) with small ones answered unchunked in the same dialog, cancel between deliveries, a
 * connection retried while the intermediary is not yet listening, a non-OSCI HTTP error answered as http-status.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles, type MailboxIdentity } from '../../core/mailbox/identity.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, openStore, pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const root = tempDir('postfach-mailbox-engine-');
const document = readFileSync(vectorPath('content/antrag-1.xml'));
let pkiDir = '';
let intermediary: RunningIntermediary;

function identity(url: string, partialFetchKb: number | null = null): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: url,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
    ...(partialFetchKb ? { partialFetchKb } : {}),
    timeoutSeconds: 30,
  });
}

beforeAll(async () => {
  pkiDir = await sharedPki();
  // deliveries above 64 KiB are handed out in chunks
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'), { chunkSize: 64 * 1024 });
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('fetch engine', () => {
  it('fetches a large delivery in chunks (PartialFetchDelivery) and a small one unchunked in the same dialog', async () => {
    const dbPath = path.join(root, 'chunks', 'postfach.db');
    await createStore(dbPath);
    const sent = [
      ...(await send(intermediary.url, pkiDir, { content: document })),
      ...(await send(intermediary.url, pkiDir, { content: document, attachments: 2, attachmentSize: 150_000, seed: 'gross' })),
    ];
    const store = await openStore(dbPath);
    try {
      const progress: number[] = [];
      const result = await runFetch({ store, identity: identity(intermediary.url, 64), onProgress: (p) => progress.push(p.bytesDone) });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 2, receiptsRecorded: 2 });
      expect(result.bytes).toBeGreaterThan(300_000);
      expect(progress.at(-1)).toBe(result.bytes);
      for (const s of sent) {
        const id = store.findByMessageId(s.messageId)!;
        expect(sha256(await store.readContent(id))).toBe(s.content.sha256);
        const record = store.getDelivery(id);
        expect(record.attachments.map((a) => a.sha256).sort()).toEqual(s.attachments.map((a) => a.sha256).sort());
        for (const a of record.attachments) expect(sha256(await store.readAttachment(a.id))).toBe(a.sha256);
      }
    } finally {
      store.close();
    }
  }, 120_000);

  it('cancels between deliveries: the one in hand is stored, the rest waits for the next run', async () => {
    const dbPath = path.join(root, 'cancel', 'postfach.db');
    await createStore(dbPath);
    const sent = await send(intermediary.url, pkiDir, { content: document, count: 3 });
    const store = await openStore(dbPath);
    try {
      const controller = new AbortController();
      const result = await runFetch({
        store,
        identity: identity(intermediary.url),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'storing') controller.abort();
        },
      });
      expect(result).toMatchObject({ outcome: 'cancelled', newMessages: 1, receiptsRecorded: 1 });
      const rest = await runFetch({ store, identity: identity(intermediary.url) });
      expect(rest).toMatchObject({ outcome: 'complete', newMessages: 2, duplicates: 0 });
      expect(new Set(store.list().items.map((i) => i.messageId))).toEqual(new Set(sent.map((s) => s.messageId)));
    } finally {
      store.close();
    }
  }, 120_000);

  it('retries the connection while nothing listens yet (before any request reached the intermediary)', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    let relay: http.Server | undefined;
    // the intermediary's address comes alive after the first attempt failed
    const later = setTimeout(() => {
      relay = http.createServer((req, res) => {
        const upstream = http.request(intermediary.url, { method: 'POST', headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        req.pipe(upstream);
      });
      relay.listen(port, '127.0.0.1');
    }, 250);
    const dbPath = path.join(root, 'retry', 'postfach.db');
    await createStore(dbPath);
    await send(intermediary.url, pkiDir, { content: document });
    const store = await openStore(dbPath);
    try {
      const result = await runFetch({ store, identity: identity(`http://127.0.0.1:${port}/osci`) });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 1 });
    } finally {
      clearTimeout(later);
      store.close();
      relay?.closeAllConnections();
      await new Promise((r) => relay?.close(r));
    }
  }, 60_000);

  it('an HTTP error page instead of an OSCI message is http-status, not a crash', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const post = httpTransport({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/osci` });
    const dbPath = path.join(root, 'status', 'postfach.db');
    await createStore(dbPath);
    const store = await openStore(dbPath);
    try {
      const result = await runFetch({ store, identity: identity('http://127.0.0.1:1/osci'), post });
      expect(result.outcome).toBe('failed');
      expect(result.error).toMatchObject({ kind: 'http-status' });
      expect(result.error!.message).toContain('HTTP-Status 502');
    } finally {
      store.close();
      await new Promise((r) => server.close(r));
    }
  });
});
