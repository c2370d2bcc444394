/**
 * The HTTP transport of the fetch engine: a `post(body) → response stream` function (core/osci's PostFunction),
 * so the desktop shell can later put an Electron-net one (system proxy, Windows certificate store) in its place.
 *
 *  - the proxy: from the environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY, proxy-from-env; the default),
 *    none, a fixed one (Basic authentication from the URL's user and password) or a PAC file (pac.ts), as the
 *    settings say (core/config); https targets through a CONNECT tunnel (https-proxy-agent), http targets as a
 *    forward-proxy request; a proxy asking for credentials (407) is a clear `proxy-auth` error;
 *  - TLS with the built-in and system CAs (NODE_EXTRA_CA_CERTS, and the OS store where Node offers it) plus the
 *    CAs configured for the mailbox;
 *  - a timeout without progress; retries with backoff only while no connection was made — a request that reached
 *    the intermediary is never sent again (in a dialog it would be a receipt: the next request acknowledges the
 *    previous delivery, and the sequence number has moved on);
 *  - any HTTP status is read: an OSCI message (SOAP fault with 500, or 200) goes on to core/osci, anything else
 *    (a proxy's error page) becomes `http-status`;
 *  - a server certificate that is not trusted, expired or for another host is a clear `tls-*` error (tls-errors.ts).
 */
import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import { sourceToReadable, type ByteSource } from '../io/byte-source.js';
import type { PostFunction } from '../osci/client/dialog.js';
import { PostfachError } from '../errors.js';
import { mailboxError } from './errors.js';
import { killPoint } from './kill-points.js';
import { compilePac, loadPacScript, pacError, type PacEvaluator } from './pac.js';
import { tlsFailure } from './tls-errors.js';

/** How the intermediary is reached (core/config's proxy settings; `env`: the environment variables, the default). */
export type ProxySetting =
  { readonly mode: 'env' } | { readonly mode: 'direct' } | { readonly mode: 'fixed'; readonly url: string } | { readonly mode: 'pac'; readonly pacUrl: string };

export interface HttpTransportOptions {
  readonly url: string;
  /** Milliseconds without progress before a request is given up (default 120 s). */
  readonly timeoutMs?: number;
  /** CAs for HTTPS beside the system's (the mailbox's configured TLS CAs). */
  readonly tlsCas?: readonly X509Certificate[];
  /** Attempts to connect before giving up (default 4: the first and three retries). */
  readonly connectAttempts?: number;
  /** First backoff (default 500 ms), doubled for each further attempt. */
  readonly backoffMs?: number;
  /** Called with the number of response bytes as they arrive (progress). */
  readonly onResponseBytes?: (bytes: number) => void;
  /** Default: from the environment. */
  readonly proxy?: ProxySetting;
  /**
   * Aborts a request (or its response) in transit and any further one: the connection is torn down and the call
   * rejects with the signal's reason (an early first delivery whose store failed to open, fetch-engine.ts).
   */
  readonly signal?: AbortSignal;
}

/** Errors that mean "no connection was made", where the request cannot have reached the intermediary. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function trustedCas(extra: readonly X509Certificate[]): string[] | undefined {
  if (extra.length === 0) return undefined; // Node's defaults (bundled + NODE_EXTRA_CA_CERTS)
  const system = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  const base = system ? [...system('default'), ...system('system')] : [...tls.rootCertificates];
  const envExtra = process.env.NODE_EXTRA_CA_CERTS;
  if (!system && envExtra) {
    try {
      base.push(readFileSync(envExtra, 'utf8'));
    } catch {
      // unreadable extra CA file: Node itself warns about it at start-up
    }
  }
  return [...base, ...extra.map((c) => c.toString())];
}

interface Route {
  readonly lib: typeof http | typeof https;
  readonly options: http.RequestOptions & https.RequestOptions;
  readonly via: 'direct' | 'forward-proxy' | 'connect-proxy';
}

/** The proxy for a target ('' = direct), as the setting says. */
function proxyResolver(setting: ProxySetting, ca: string[] | undefined): (target: URL) => Promise<string> {
  switch (setting.mode) {
    case 'env':
      return async (target) => getProxyForUrl(target);
    case 'direct':
      return async () => '';
    case 'fixed':
      return async () => setting.url;
    case 'pac': {
      let evaluator: Promise<PacEvaluator> | undefined;
      return async (target) => {
        evaluator ??= loadPacScript(setting.pacUrl, ca ? { ca } : {}).then((script) => compilePac(script, new URL(setting.pacUrl).pathname.split('/').pop() || 'proxy.pac'));
        // a PAC file that failed to load is tried again with the next request
        const evaluate = await evaluator.catch((error: unknown) => {
          evaluator = undefined;
          throw error;
        });
        const [first] = await evaluate(target.href);
        if (first === undefined) throw pacError('no route');
        return first.type === 'direct' ? '' : first.url;
      };
    }
  }
}

function route(target: URL, ca: string[] | undefined, proxy: string): Route {
  const tlsOptions = ca ? { ca } : {};
  if (!proxy) {
    // A fresh connection per request (`agent: false`): a kept-alive socket that the intermediary closed while we
    // were saving a large delivery fails as "socket hang up" after the request may or may not have arrived — and
    // a request must never be sent twice, because the next request acknowledges the previous delivery.
    return { lib: target.protocol === 'https:' ? https : http, options: { ...tlsOptions, agent: false }, via: 'direct' };
  }
  const proxyUrl = new URL(proxy);
  if (target.protocol === 'https:') {
    // through the tunnel the agent connects TLS without the target's host name (for an IP address it sets none):
    // the certificate is checked against the target itself
    const checkServerIdentity = (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(target.hostname.replace(/^\[|\]$/g, ''), cert);
    return {
      lib: https,
      options: { agent: new HttpsProxyAgent(proxyUrl, { keepAlive: false }), ...tlsOptions, checkServerIdentity },
      via: 'connect-proxy',
    };
  }
  const auth = proxyUrl.username ? `Basic ${Buffer.from(`${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`).toString('base64')}` : undefined;
  return {
    lib: proxyUrl.protocol === 'https:' ? https : http,
    options: {
      protocol: proxyUrl.protocol,
      hostname: proxyUrl.hostname,
      port: proxyUrl.port || (proxyUrl.protocol === 'https:' ? 443 : 80),
      path: target.href,
      agent: false,
      headers: { Host: target.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
    },
    via: 'forward-proxy',
  };
}

/** Waits `ms`, or less when `signal` aborts meanwhile (the caller then sees the abort). */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Looks at the first bytes of a non-200 answer: is it an OSCI message (MIME, SOAP) after all? */
function looksLikeOsci(contentType: string | undefined, head: Buffer): boolean {
  if (contentType && /text\/html/i.test(contentType)) return false;
  const start = head.subarray(0, 400).toString('latin1').trimStart();
  // an OSCI message starts with its own MIME headers; a bare SOAP envelope (some faults) with XML
  return /^(MIME-Version|Content-Type)\s*:/i.test(start) || (/^<(\?xml|[\w-]+:Envelope)/.test(start) && /Envelope/.test(start));
}

class NotConnected extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

export function httpTransport(options: HttpTransportOptions): PostFunction {
  const target = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const ca = trustedCas(options.tlsCas ?? []);
  const attempts = Math.max(1, options.connectAttempts ?? 4);
  const backoff = options.backoffMs ?? 500;
  const proxyFor = proxyResolver(options.proxy ?? { mode: 'env' }, ca);
  const signal = options.signal;

  const attempt = (body: ByteSource, proxy: string): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const r = route(target, ca, proxy);
      let connected = false;
      const request = {
        ...r.options,
        method: 'POST',
        headers: { ...(r.options.headers as Record<string, string> | undefined), 'Content-Type': 'text/xml', 'Content-Length': String(body.size) },
        timeout: timeoutMs,
      };
      let answer: http.IncomingMessage | undefined;
      const onResponse = (res: http.IncomingMessage) => {
        answer = res;
        resolve(res);
      };
      // forward proxy: the request goes to the proxy with the target's absolute URL as its path
      const req = r.via === 'forward-proxy' ? r.lib.request(request, onResponse) : r.lib.request(target, request, onResponse);
      if (signal) {
        // the request, and its response once there: torn down at once (the response then breaks off, `counted`)
        const stop = (): void => {
          const reason = abortReason(signal);
          answer?.destroy(reason);
          req.destroy(reason);
        };
        const forget = (): void => signal.removeEventListener('abort', stop);
        signal.addEventListener('abort', stop, { once: true });
        req.once('close', () => (answer && !answer.closed ? answer.once('close', forget) : forget()));
      }
      req.on('socket', (socket) => {
        // a socket handed over already connected (proxy tunnel, keep-alive) counts as connected right away
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no progress within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(!connected && CONNECT_ERRORS.has(error.code ?? '') ? new NotConnected(error) : error);
      });
      sourceToReadable(body)
        .on('error', (e) => req.destroy(e))
        .pipe(req);
    });

  return async (body) => {
    let response: http.IncomingMessage | undefined;
    if (signal?.aborted) throw abortReason(signal);
    const proxy = await proxyFor(target);
    for (let n = 1; response === undefined; n++) {
      try {
        if (signal?.aborted) throw abortReason(signal);
        response = await attempt(body, proxy);
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        if (error instanceof NotConnected && n < attempts) {
          await sleep(backoff * 2 ** (n - 1), signal);
          continue;
        }
        const cause = error instanceof NotConnected ? error.cause : (error as Error);
        const code = (cause as NodeJS.ErrnoException).code;
        const tls = tlsFailure(cause, target.host);
        if (tls) throw tls;
        throw mailboxError('network', `${target.host}: ${code ?? cause.name}: ${cause.message}${error instanceof NotConnected ? ` (after ${n} attempts)` : ''}`, { cause });
      }
    }
    return responseStream(response, target, options.onResponseBytes, proxy, signal);
  };
}

/** Why a transport stopped on its signal: the signal's reason where it is one of ours, else `network`. */
function abortReason(signal: AbortSignal): PostfachError {
  const reason: unknown = signal.reason;
  if (reason instanceof PostfachError) return reason;
  return mailboxError('network', `request aborted: ${reason instanceof Error ? reason.message : String(reason)}`.slice(0, 300), { cause: reason });
}

/**
 * The response body, counted. A body that breaks off (the connection closed, or no progress within the timeout:
 * the request's socket timeout destroys it) is `network` like a failed request — never an internal error.
 */
async function* counted(
  response: http.IncomingMessage,
  first: Buffer | undefined,
  onBytes: ((n: number) => void) | undefined,
  target: URL,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  let received = 0;
  const pass = (chunk: Buffer): Buffer => {
    received += chunk.length;
    onBytes?.(chunk.length);
    // a test point in the middle of a large response (the intermediary has sent part of it)
    if (received >= 256 * 1024) killPoint('mid-transfer');
    return chunk;
  };
  if (first) yield pass(first);
  const chunks = response[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = (await chunks.next()) as IteratorResult<Buffer>;
    } catch (error) {
      if (error instanceof PostfachError) throw error;
      if (signal?.aborted) throw abortReason(signal);
      const cause = error as NodeJS.ErrnoException;
      throw mailboxError('network', `${target.host}: response broke off after ${received} bytes: ${cause.code ?? cause.name}: ${cause.message}`, { cause });
    }
    if (next.done) return;
    yield pass(next.value);
  }
}

/** The proxy wants credentials, or refused the ones given (HTTP 407). */
export function proxyAuthError(proxy: string, detail: string): PostfachError {
  const host = proxy === '' ? 'proxy' : new URL(proxy).host;
  return new PostfachError(
    'proxy-auth',
    {
      de: 'Der Proxy verlangt eine Anmeldung, oder die hinterlegten Zugangsdaten wurden abgelehnt (HTTP 407). Bitte die IT informieren: Benutzer und Passwort des Proxys in den Einstellungen prüfen.',
      en: 'The proxy requires authentication, or the configured credentials were refused (HTTP 407). Please inform IT: check the proxy user and password in the settings.',
    },
    `${host}: ${detail}`,
  );
}

async function responseStream(
  response: http.IncomingMessage,
  target: URL,
  onBytes: ((n: number) => void) | undefined,
  proxy: string,
  signal: AbortSignal | undefined,
): Promise<AsyncIterable<Buffer>> {
  if (response.statusCode === 200) return counted(response, undefined, onBytes, target, signal);
  if (response.statusCode === 407) {
    response.resume();
    const credentials = proxy !== '' && new URL(proxy).username !== '';
    throw proxyAuthError(
      proxy,
      `HTTP 407 ${response.statusMessage ?? ''} (${credentials ? 'credentials refused' : 'no credentials configured'}; Proxy-Authenticate: ${String(response.headers['proxy-authenticate'] ?? 'none').slice(0, 100)})`,
    );
  }
  // not 200: an OSCI fault (some intermediaries answer faults with 500) or an error page of a server or proxy
  const iterator = response[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : (first.value as Buffer);
  if (head.length > 0 && looksLikeOsci(response.headers['content-type'], head)) return counted(response, head, onBytes, target, signal);
  response.destroy();
  throw new PostfachError(
    'http-status',
    {
      de: `Der Intermediär (oder ein Proxy) hat mit dem HTTP-Status ${response.statusCode ?? '?'} geantwortet. Bitte später erneut versuchen; es wurde nichts verloren.`,
      en: `The intermediary (or a proxy) answered with HTTP status ${response.statusCode ?? '?'}. Please try again later; nothing was lost.`,
    },
    `${target.host}: HTTP ${response.statusCode ?? '?'} ${response.statusMessage ?? ''}, content-type ${response.headers['content-type'] ?? 'none'}`,
  );
}
