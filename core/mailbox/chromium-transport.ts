/**
 * The fetch engine's transport over Chromium's network stack (Electron's `net`, in the desktop app's utility
 * process): the system's proxy settings (including WPAD/PAC and NTLM/Kerberos at the proxy) and the Windows
 * certificate store, as the browser has them. core/ never imports electron: the shell hands in its `net` module,
 * typed here by the few members used (NetLike).
 *
 * Same rules as the Node transport (transport.ts): a request that may have reached the intermediary is never sent
 * again (retries only for errors before a connection: name resolution, refused, unreachable); any HTTP status is
 * read (an OSCI fault with 500 goes on, a proxy's HTML page becomes `http-status`, 407 becomes `proxy-auth`);
 * Chromium's error codes become the same kinds as Node's (`tls-untrusted`, `tls-expired`, `tls-wrong-host`,
 * `network`, `proxy-pac`).
 */
import type { ByteSource } from '../io/byte-source.js';
import type { PostFunction } from '../osci/client/dialog.js';
import { PostfachError } from '../errors.js';
import { mailboxError } from './errors.js';
import { pacError } from './pac.js';
import { proxyAuthError } from './transport.js';
import { tlsFailure } from './tls-errors.js';

/** The members of Electron's ClientRequest / IncomingMessage this transport uses. */
export interface NetIncomingMessage {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly headers: Record<string, string | string[]>;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  pause(): void;
  resume(): void;
}
export interface NetClientRequest {
  setHeader(name: string, value: string): void;
  on(event: 'response', listener: (response: NetIncomingMessage) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  write(chunk: Buffer): void;
  end(): void;
  abort(): void;
}
export interface NetLike {
  request(options: { method: string; url: string; redirect?: 'error' | 'follow' | 'manual'; credentials?: 'include' | 'omit' | 'same-origin'; cache?: string }): NetClientRequest;
}

/** Chromium's error names (net::ERR_…) that mean no connection was made: the request did not leave. */
const NOT_CONNECTED = new Set([
  'ERR_NAME_NOT_RESOLVED',
  'ERR_NAME_RESOLUTION_FAILED',
  'ERR_CONNECTION_REFUSED',
  'ERR_ADDRESS_UNREACHABLE',
  'ERR_INTERNET_DISCONNECTED',
  'ERR_NETWORK_CHANGED',
  'ERR_CONNECTION_TIMED_OUT',
  'ERR_PROXY_CONNECTION_FAILED',
]);

const CHROMIUM_TO_NODE_TLS: Record<string, string> = {
  ERR_CERT_AUTHORITY_INVALID: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  ERR_CERT_INVALID: 'CERT_UNTRUSTED',
  ERR_CERT_REVOKED: 'CERT_REVOKED',
  ERR_CERT_WEAK_SIGNATURE_ALGORITHM: 'CERT_SIGNATURE_FAILURE',
  ERR_CERT_SYMANTEC_LEGACY: 'CERT_UNTRUSTED',
  ERR_CERT_DATE_INVALID: 'CERT_HAS_EXPIRED',
  ERR_CERT_VALIDITY_TOO_LONG: 'CERT_HAS_EXPIRED',
  ERR_CERT_COMMON_NAME_INVALID: 'ERR_TLS_CERT_ALTNAME_INVALID',
  ERR_SSL_PROTOCOL_ERROR: 'ERR_SSL_PROTOCOL_ERROR',
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: 'ERR_SSL_VERSION_OR_CIPHER_MISMATCH',
};

export function chromiumErrorName(error: Error): string {
  return /net::(ERR_[A-Z0-9_]+)/.exec(error.message)?.[1] ?? '';
}

/** A Chromium network error as a PostfachError (tls-*, proxy-*, network). */
export function chromiumFailure(error: Error, host: string): PostfachError {
  const name = chromiumErrorName(error);
  const tls = CHROMIUM_TO_NODE_TLS[name];
  if (tls !== undefined) {
    const mapped = tlsFailure(Object.assign(new Error(error.message), { code: tls }), host);
    if (mapped) return new PostfachError(mapped.kind, mapped.text, `${host}: net::${name}`, { cause: error });
  }
  if (name === 'ERR_PROXY_AUTH_UNSUPPORTED' || name === 'ERR_PROXY_AUTH_REQUESTED' || name === 'ERR_UNEXPECTED_PROXY_AUTH') return proxyAuthError('', `net::${name}`);
  if (name === 'ERR_PAC_SCRIPT_FAILED' || name === 'ERR_PAC_NOT_IN_DHCP' || name === 'ERR_MANDATORY_PROXY_CONFIGURATION_FAILED') return pacError(`net::${name}`, error);
  return mailboxError('network', `${host}: net::${name || error.message.slice(0, 200)}`, { cause: error });
}

function looksLikeOsci(contentType: string | undefined, head: Buffer): boolean {
  if (contentType && /text\/html/i.test(contentType)) return false;
  const start = head.subarray(0, 400).toString('latin1').trimStart();
  return /^(MIME-Version|Content-Type)\s*:/i.test(start) || (/^<(\?xml|[\w-]+:Envelope)/.test(start) && /Envelope/.test(start));
}

async function collect(body: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body.stream()) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

export interface ChromiumTransportOptions {
  readonly url: string;
  readonly timeoutMs?: number;
  readonly connectAttempts?: number;
  readonly backoffMs?: number;
  readonly onResponseBytes?: (bytes: number) => void;
}

/** The response as an async iterable, with back-pressure (pause/resume) and a no-progress timeout. */
function responseIterable(response: NetIncomingMessage, request: NetClientRequest, timeoutMs: number, onBytes?: (n: number) => void): AsyncIterable<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      failed = mailboxError('network', `no progress within ${timeoutMs} ms`);
      request.abort();
      wake?.();
    }, timeoutMs);
  };
  arm();
  response.on('data', (chunk) => {
    queue.push(chunk);
    onBytes?.(chunk.length);
    arm();
    if (queue.length > 16) response.pause();
    wake?.();
  });
  response.on('end', () => {
    ended = true;
    clearTimeout(timer);
    wake?.();
  });
  response.on('error', (error) => {
    failed = error;
    clearTimeout(timer);
    wake?.();
  });
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            if (queue.length < 4) response.resume();
            yield next;
            continue;
          }
          if (failed) throw failed instanceof PostfachError ? failed : mailboxError('network', `response: ${failed.message.slice(0, 200)}`, { cause: failed });
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export function chromiumTransport(net: NetLike, options: ChromiumTransportOptions): PostFunction {
  const target = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const attempts = Math.max(1, options.connectAttempts ?? 4);
  const backoff = options.backoffMs ?? 500;

  const attempt = (body: Buffer): Promise<{ response: NetIncomingMessage; request: NetClientRequest }> =>
    new Promise((resolve, reject) => {
      const request = net.request({ method: 'POST', url: target.href, redirect: 'error', credentials: 'omit', cache: 'no-store' });
      request.setHeader('Content-Type', 'text/xml');
      const timer = setTimeout(() => {
        request.abort();
        reject(mailboxError('network', `${target.host}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      request.on('response', (response) => {
        clearTimeout(timer);
        resolve({ response, request });
      });
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.write(body);
      request.end();
    });

  return async (source) => {
    const body = await collect(source);
    for (let n = 1; ; n++) {
      let answer: { response: NetIncomingMessage; request: NetClientRequest };
      try {
        answer = await attempt(body);
      } catch (error) {
        if (error instanceof PostfachError) throw error;
        const e = error as Error;
        if (NOT_CONNECTED.has(chromiumErrorName(e)) && n < attempts) {
          await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (n - 1)));
          continue;
        }
        throw chromiumFailure(e, target.host);
      }
      const { response, request } = answer;
      const stream = responseIterable(response, request, timeoutMs, options.onResponseBytes);
      if (response.statusCode === 200) return stream;
      if (response.statusCode === 407) {
        request.abort();
        throw proxyAuthError('', `HTTP 407 ${response.statusMessage}`);
      }
      // not 200: an OSCI fault (some intermediaries answer faults with 500) or an error page
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      const head = first.done ? Buffer.alloc(0) : first.value;
      const contentType = response.headers['content-type'];
      if (head.length > 0 && looksLikeOsci(Array.isArray(contentType) ? contentType[0] : contentType, head)) {
        return (async function* () {
          yield head;
          for (;;) {
            const next = await iterator.next();
            if (next.done) return;
            yield next.value;
          }
        })();
      }
      request.abort();
      throw new PostfachError(
        'http-status',
        {
          de: `Der Intermediär (oder ein Proxy) hat mit dem HTTP-Status ${response.statusCode} geantwortet. Bitte später erneut versuchen; es wurde nichts verloren.`,
          en: `The intermediary (or a proxy) answered with HTTP status ${response.statusCode}. Please try again later; nothing was lost.`,
        },
        `${target.host}: HTTP ${response.statusCode} ${response.statusMessage} (Chromium network)`,
      );
    }
  };
}
