/**
 * Loopback network fixtures shared by the parts' tests: a set of servers closed (with their open sockets) at the end,
 * and an HTTP proxy (forward requests and CONNECT tunnels to 127.0.0.1, optionally with Basic authentication) that
 * logs what it carried.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Servers to close at the end, with their open sockets. */
export class Servers {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();

  track<S extends net.Server>(server: S): S {
    this.servers.push(server);
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('secureConnection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

export const listen = (server: net.Server): Promise<number> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/**
 * A proxy on loopback: forward requests (absolute URI) and CONNECT tunnels to 127.0.0.1, optionally demanding
 * Basic authentication (407 with Proxy-Authenticate otherwise). `log` gets one line per request it carried or refused.
 */
export function startProxy(servers: Servers, log: string[], auth?: { user: string; password: string }): Promise<string> {
  const expected = auth ? `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` : undefined;
  const authorised = (req: http.IncomingMessage): boolean => expected === undefined || req.headers['proxy-authorization'] === expected;
  const server = servers.track(
    http.createServer((req, res) => {
      if (!authorised(req)) {
        log.push(`407 ${req.method} ${req.url}`);
        res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="Kommune"', 'Content-Type': 'text/html' });
        res.end('<html><body>Proxy Authentication Required</body></html>');
        return;
      }
      const target = new URL(req.url ?? '');
      log.push(`${req.method} ${target.href}`);
      const headers = { ...req.headers };
      delete headers['proxy-authorization'];
      const upstream = http.request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }),
  );
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    if (!authorised(req)) {
      log.push(`407 CONNECT ${req.url}`);
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="Kommune"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    log.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return listen(server).then((port) => `http://127.0.0.1:${port}`);
}
