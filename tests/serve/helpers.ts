/**
 * Shared parts of the fetch-service tests: a self-made TLS certificate for 127.0.0.1 (openssl), an HTTPS client
 * that trusts exactly that certificate and keeps one person's session cookie, and temporary folders.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'postfach-serve-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
}

/** A self-signed certificate for IP 127.0.0.1 and localhost, as IT would provide one (PEM files). */
export function makeCertificate(dir: string): TestCertificate {
  const certFile = path.join(dir, 'tls-cert.pem');
  const keyFile = path.join(dir, 'tls-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile) };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = unknown>(): T;
}

/** One person's browser, reduced to what matters: trusts the test certificate, keeps the session cookie, sends Origin. */
export class Person {
  cookie: string | undefined;

  constructor(
    readonly origin: string,
    private readonly ca: Buffer,
  ) {}

  send(method: string, pathname: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    const url = new URL(pathname, this.origin);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.ca,
          headers: {
            ...(this.cookie === undefined ? {} : { Cookie: this.cookie }),
            ...(body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const setCookie = res.headers['set-cookie']?.[0];
            if (setCookie !== undefined) {
              const value = /^postfach_sitzung=([^;]*)/.exec(setCookie)?.[1];
              this.cookie = value === undefined || value === '' ? undefined : `postfach_sitzung=${value}`;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  signIn(name: string, password: string): Promise<Answer> {
    const form = new URLSearchParams({ name, password }).toString();
    return this.send('POST', '/anmelden', form, { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.origin });
  }

  /** A contract call as the renderer's bridge client makes it; returns the HTTP status and the envelope. */
  async call<T = unknown>(
    method: string,
    input: unknown = {},
  ): Promise<{ status: number; envelope: { ok: true; value: T } | { ok: false; error: { kind: string; detail: string } } }> {
    const answer = await this.send('POST', `/api/call/${method}`, JSON.stringify(input), { 'Content-Type': 'application/json', Origin: this.origin });
    return { status: answer.status, envelope: answer.json() };
  }

  async value<T = unknown>(method: string, input: unknown = {}): Promise<T> {
    const { envelope } = await this.call<T>(method, input);
    if (!envelope.ok) throw new Error(`${method}: ${envelope.error.kind}: ${envelope.error.detail}`);
    return envelope.value;
  }
}
