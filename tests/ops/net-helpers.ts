/**
 * Loopback network fixtures for the ops tests: TLS certificates made here (a CA, server certificates valid,
 * expired, self-signed, for another host — node-forge, so that validity dates and subjectAltNames can be chosen), a
 * target that answers like an OSCI endpoint, the shared HTTP proxy (tests/helpers/proxy.ts; forward requests and CONNECT tunnels, optionally with
 * Basic authentication) that logs what it carried, and a static file server for PAC files.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import forge from 'node-forge';
import { listen, Servers, startProxy } from '../helpers/proxy.js';

export { listen, Servers, startProxy };

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
  cert.sign(forge.pki.privateKeyFromPem(options.signerKeyPem), forge.md.sha256.create());
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
  const ca = certificate({
    subject: 'Test-CA Betriebstest',
    publicPem: caKeys.publicPem,
    signerKeyPem: caKeys.privatePem,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    ca: true,
  });
  const server = keyPair();
  const issued = (notBefore: number, notAfter: number, host: { ip?: string; dns?: string }): Pem => ({
    key: server.privatePem,
    cert: forge.pki.certificateToPem(
      certificate({
        subject: host.ip ?? host.dns ?? 'server',
        publicPem: server.publicPem,
        signerKeyPem: caKeys.privatePem,
        issuer: ca,
        notBefore: new Date(notBefore),
        notAfter: new Date(notAfter),
        ...host,
      }),
    ),
  });
  return {
    caPem: forge.pki.certificateToPem(ca),
    valid: issued(now - DAY, now + 10 * DAY, { ip: '127.0.0.1' }),
    expired: issued(now - 10 * DAY, now - DAY, { ip: '127.0.0.1' }),
    wrongHost: issued(now - DAY, now + 10 * DAY, { dns: 'intermediaer.example.de' }),
    selfSigned: {
      key: server.privatePem,
      cert: forge.pki.certificateToPem(
        certificate({
          subject: '127.0.0.1',
          publicPem: server.publicPem,
          signerKeyPem: server.privatePem,
          notBefore: new Date(now - DAY),
          notAfter: new Date(now + 10 * DAY),
          ip: '127.0.0.1',
        }),
      ),
    },
  };
}

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
