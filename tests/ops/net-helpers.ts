/**
 * Loopback network fixtures for the ops tests: TLS certificates made here (a CA, server certificates valid,
 * expired, self-signed, for another host — node-forge, so that validity dates and subjectAltNames can be chosen), a
 * target that answers like an OSCI endpoint, an HTTP proxy (forward requests and CONNECT tunnels, optionally with
 * Basic authentication) that logs what it carried, and a static file server for PAC files.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

export interface Pem {
  readonly key: string;
  readonly cert: string;
}

function keyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

function certificate(options: {
  subject: string;
  publicPem: string;
  signerKeyPem: string;
  issuer?: forge.pki.Certificate;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  ip?: string;
  dns?: string;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(options.publicPem);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  const attrs = [{ name: 'commonName', value: options.subject }];
  cert.setSubject(attrs);
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : attrs);
  const altNames = [...(options.ip ? [{ type: 7, ip: options.ip }] : []), ...(options.dns ? [{ type: 2, value: options.dns }] : [])];
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.ca === true, critical: true },
    { name: 'keyUsage', keyCertSign: options.ca === true, cRLSign: options.ca === true, digitalSignature: true, keyEncipherment: options.ca !== true, critical: true },
    ...(options.ca ? [] : [{ name: 'extKeyUsage', serverAuth: true }]),
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(forge.pki.privateKeyFromPem(options.signerKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return cert;
}

export interface TlsMaterial {
  readonly caPem: string;
  readonly valid: Pem;
  readonly expired: Pem;
  readonly selfSigned: Pem;
  readonly wrongHost: Pem;
}

const DAY = 24 * 60 * 60 * 1000;

export function makeTlsMaterial(): TlsMaterial {
  const now = Date.now();
  const caKeys = keyPair();
  const ca = certificate({ subject: 'Test-CA Betriebstest', publicPem: caKeys.publicPem, signerKeyPem: caKeys.privatePem, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY), ca: true });
  const server = keyPair();
  const issued = (notBefore: number, notAfter: number, host: { ip?: string; dns?: string }): Pem => ({
    key: server.privatePem,
    cert: forge.pki.certificateToPem(
      certificate({ subject: host.ip ?? host.dns ?? 'server', publicPem: server.publicPem, signerKeyPem: caKeys.privatePem, issuer: ca, notBefore: new Date(notBefore), notAfter: new Date(notAfter), ...host }),
    ),
  });
  return {
    caPem: forge.pki.certificateToPem(ca),
    valid: issued(now - DAY, now + 10 * DAY, { ip: '127.0.0.1' }),
    expired: issued(now - 10 * DAY, now - DAY, { ip: '127.0.0.1' }),
    wrongHost: issued(now - DAY, now + 10 * DAY, { dns: 'intermediaer.example.de' }),
    selfSigned: {
      key: server.privatePem,
      cert: forge.pki.certificateToPem(certificate({ subject: '127.0.0.1', publicPem: server.publicPem, signerKeyPem: server.privatePem, notBefore: new Date(now - DAY), notAfter: new Date(now + 10 * DAY), ip: '127.0.0.1' })),
    },
  };
}

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

export const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** An endpoint answering every POST with a small OSCI-looking MIME body naming what it received. */
export function osciLikeHandler(log: string[]): http.RequestListener {
  return (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      log.push(`${req.method} ${req.url} ${Buffer.concat(parts).length}`);
      res.writeHead(200, { 'Content-Type': 'multipart/related' });
      res.end(`MIME-Version: 1.0\r\n\r\nreceived ${Buffer.concat(parts).length} bytes`);
    });
  };
}

export function httpsTarget(pem: Pem, log: string[]): https.Server {
  return https.createServer({ key: pem.key, cert: pem.cert }, osciLikeHandler(log));
}

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

/** Serves fixed files (PAC scripts) by path. */
export function startFileServer(servers: Servers, files: Record<string, string>, log: string[]): Promise<string> {
  const server = servers.track(
    http.createServer((req, res) => {
      log.push(`GET ${req.url}`);
      const body = files[req.url ?? ''];
      if (body === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' });
      res.end(body);
    }),
  );
  return listen(server).then((port) => `http://127.0.0.1:${port}`);
}
