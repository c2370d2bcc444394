/**
 * Every request of a dialog goes over a fresh connection: a kept-alive socket that the intermediary closed while
 * the client was busy (saving a large delivery) would fail as "socket hang up", and a request must never be sent
 * twice (the next request acknowledges the previous delivery).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../core/io/byte-source.js';
import { httpTransport } from '../../core/mailbox/transport.js';

describe('HTTP transport connections', () => {
  let server: http.Server;
  let url = '';
  let connections = 0;
  let requests = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.end('MIME-Version: 1.0\r\n'));
    });
    // the server would keep idle connections open for reuse
    server.keepAliveTimeout = 5_000;
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osci`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('opens a new connection for each request, so no idle socket the server may have closed is reused', async () => {
    const post = httpTransport({ url, connectAttempts: 1 });
    for (let i = 0; i < 3; i++) {
      const body = await post(bufferSource(Buffer.from(`request ${i}`)));
      for await (const chunk of body) expect(chunk.length).toBeGreaterThan(0);
    }
    expect(requests).toBe(3);
    expect(connections).toBe(3);
  });
});
