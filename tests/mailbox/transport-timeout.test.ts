/**
 * The request timeout of the Node transport: a loopback server that accepts the connection, reads the request and
 * never answers (or answers the headers and part of the body, then falls silent). The transport with a short
 * timeout gives up with `network` within a bound and never sends the request again (it reached the intermediary) —
 * also when the body breaks off (before: a raw "aborted" error, reported as internal, exit 70);
 * `postfach fetch --timeout 1` against such a server exits with 4 (intermediary unreachable).
 */
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { bufferSource } from '../../core/io/byte-source.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { createStore, ensureBuilt, pkiPassword, postfach, sharedPki, STORE_PASSWORD, tempDir } from './helpers.js';

type Behaviour = 'silent' | 'stall-mid-body';

/** A server that reads requests and answers never, or with headers and a first part of a body only. */
class SilentServer {
  connections = 0;
  requestBytes = 0;
  behaviour: Behaviour = 'silent';
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((socket) => {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let answered = false;
    socket.on('data', (d: Buffer) => {
      this.requestBytes += d.length;
      if (this.behaviour === 'stall-mid-body' && !answered && d.includes('\r\n\r\n')) {
        answered = true;
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\nMIME-Version: 1.0\r\n');
      }
    });
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}/osci`;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const server = new SilentServer();
beforeAll(() => server.listen());
afterAll(() => server.close());

async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

describe('the transport gives up on a server that does not answer', () => {
  it('no answer at all: network within the timeout (plus slack), the request sent once, not retried', async () => {
    server.behaviour = 'silent';
    const before = server.connections;
    const post = httpTransport({ url: server.url, timeoutMs: 400, connectAttempts: 4, backoffMs: 50, proxy: { mode: 'direct' } });
    const { error, ms } = await failure(() => post(bufferSource(Buffer.from('<x>erfundene Anfrage</x>'))));
    expect(error).toBeInstanceOf(PostfachError);
    expect((error as PostfachError).kind).toBe('network');
    expect((error as PostfachError).detail).toMatch(/ETIMEDOUT|400 ms/);
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(3_000);
    // the request reached the server: it is never sent a second time (it could be a receipt in a dialog)
    expect(server.connections - before).toBe(1);
    expect(server.requestBytes).toBeGreaterThan(0);
  });

  it('headers and part of the body, then silence: reading the body fails as network within the bound', async () => {
    server.behaviour = 'stall-mid-body';
    const before = server.connections;
    const post = httpTransport({ url: server.url, timeoutMs: 400, connectAttempts: 4, backoffMs: 50, proxy: { mode: 'direct' } });
    const { error, ms } = await failure(async () => {
      const body = await post(bufferSource(Buffer.from('<x>erfundene Anfrage</x>')));
      for await (const chunk of body) expect(chunk.length).toBeGreaterThan(0);
    });
    server.behaviour = 'silent';
    expect(error).toBeInstanceOf(PostfachError);
    expect((error as PostfachError).kind).toBe('network');
    expect(ms).toBeLessThan(3_000);
    expect(server.connections - before).toBe(1);
  });
});

describe('postfach fetch --timeout', () => {
  it.each<[Behaviour, string]>([
    ['silent', 'accepts and never answers'],
    ['stall-mid-body', 'answers the headers and part of the body, then falls silent'],
  ])(
    'exits with 4 (intermediary unreachable), intermediary %s: %s',
    async (behaviour) => {
      ensureBuilt();
      server.behaviour = behaviour;
      const pkiDir = await sharedPki();
      const f = testPkiFiles(pkiDir);
      const dir = tempDir('postfach-mailbox-timeout-');
      mkdirSync(path.join(dir, 'store'));
      const dbPath = path.join(dir, 'store', 'postfach.db');
      await createStore(dbPath);
      const before = server.connections;
      const started = Date.now();
      const run = await postfach(
        [
          'fetch',
          '--store',
          dbPath,
          '--intermediary',
          server.url,
          '--intermediary-cert',
          f.intermediary.cer,
          '--p12',
          f.municipality.p12,
          '--password-env',
          'TEST_P12_PASSWORD',
          '--timeout',
          '1',
          '--json',
        ],
        { TEST_P12_PASSWORD: pkiPassword(pkiDir), POSTFACH_STORE_PASSWORD: STORE_PASSWORD, HTTP_PROXY: '', HTTPS_PROXY: '', ALL_PROXY: '' },
        60_000,
      );
      const elapsed = Date.now() - started;
      server.behaviour = 'silent';
      expect(run.status, run.stderr).toBe(4);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, outcome: 'failed', newMessages: 0, error: { kind: 'network' } });
      // one InitDialog, given up after a second without progress, not sent again
      expect(server.connections - before).toBe(1);
      expect(elapsed).toBeLessThan(30_000);
    },
    90_000,
  );
});
