/**
 * The loopback bridge: serves the built UI and the typed contract over HTTP on the loopback interface, so the same
 * renderer runs in a plain browser (machines without the Electron runtime, the UI tests, `npm start` there).
 *
 * Who may talk to it:
 *  - it listens on a loopback address only (anything else is refused before binding);
 *  - every request must name the bridge itself in `Host` (a page on another name that resolves to 127.0.0.1 — DNS
 *    rebinding — is refused) and, where a browser sends `Origin`, the bridge's own origin;
 *  - every API request carries the per-run random token (`Authorization: Bearer …`), which the UI reads from the
 *    URL fragment it was opened with (fragments are never sent to a server, so the token stays out of logs);
 *  - no CORS: no Access-Control-* header is ever sent, so other origins cannot read answers;
 *  - bodies are JSON, size-limited, and validated by the contract's schemas before they reach the service.
 *
 * Routes: GET / and the UI's files · POST /api/call/<method> (body: the input; answer: the call envelope) ·
 * GET /api/events (Server-Sent Events: `event: <name>`, `data: <payload JSON>`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import { PostfachError, type ErrorKind } from '../errors.js';
import type { ShellHandlers, Unsubscribe } from './api-types.js';
import { failure } from './call-result.js';
import type { EventName } from './contract.js';
import { uiSecurityHeaders } from './csp.js';
import type { ServiceInvoker } from './dispatch.js';
import { firstPageOf } from './first-page.js';
import { resolveStaticFile } from './static-files.js';

/**
 * The contract's checks (zod and every schema: about 0.15 s of loading), loaded when the bridge starts but not
 * waited for before it listens: the browser fetches the UI meanwhile, and the first call (which comes only from the
 * loaded UI) waits for them. Nothing reaches the service unchecked: calls and events are handled only once they are
 * here (issue 14, app start).
 */
const loadChecks = async () => {
  const [{ dispatchCall }, { contract }, { unknownMethodError }] = await Promise.all([import('./dispatch.js'), import('./contract.js'), import('./validate.js')]);
  return { dispatchCall, eventNames: Object.keys(contract.events) as EventName[], unknownMethodError };
};

/** What the bridge needs from the service: a ServiceHost fits. */
export interface BridgeService extends ServiceInvoker {
  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}

export interface BridgeOptions {
  readonly service: BridgeService;
  /** The built UI (dist/renderer). */
  readonly rendererDir: string;
  /** 0 (default): a free port. */
  readonly port?: number;
  /** Must be a loopback address; default 127.0.0.1. */
  readonly bindAddress?: string;
  /** Default: 32 random bytes, base64url. */
  readonly token?: string;
}

export interface RunningBridge {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The address to open in a browser: the origin with the token in the fragment. */
  readonly launchUrl: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 20_000;

export function isLoopbackAddress(address: string): boolean {
  if (net.isIPv4(address)) return address.split('.')[0] === '127';
  if (net.isIPv6(address)) return address === '::1' || address === '0:0:0:0:0:0:0:1';
  return false;
}

const refused = (detail: string): PostfachError =>
  new PostfachError(
    'bridge-not-loopback',
    {
      de: 'Die Browser-Oberfläche darf nur auf diesem Rechner (Loopback) erreichbar sein.',
      en: 'The browser interface may only be reachable on this computer (loopback).',
    },
    detail,
  );

const unavailableInBrowser = (what: string): PostfachError =>
  new PostfachError(
    'shell-unavailable',
    {
      de: 'Diese Funktion gibt es nur im Desktop-Programm, nicht im Browser-Modus.',
      en: 'This function is only available in the desktop program, not in browser mode.',
    },
    `${what} needs the Electron shell`,
  );

/** The shell methods as the browser mode answers them. */
export const browserShellHandlers = {
  'dialog.openFile': async () => {
    throw unavailableInBrowser('dialog.openFile');
  },
  'dialog.saveFile': async () => {
    throw unavailableInBrowser('dialog.saveFile');
  },
  'window.openMessage': async () => {
    throw unavailableInBrowser('window.openMessage');
  },
  'window.capture': async () => {
    throw unavailableInBrowser('window.capture');
  },
  // the UI offers the download instead, and the full-window view in the page
  'document.openExternally': async () => {
    throw unavailableInBrowser('document.openExternally');
  },
  'window.openDocument': async () => {
    throw unavailableInBrowser('window.openDocument');
  },
} satisfies ShellHandlers;

/** HTTP status for failures of the call itself; failures of the work (any other kind) travel with 200. */
const statusOfKind: Readonly<Record<string, number>> = { 'api-unknown-method': 404, 'api-invalid-input': 400 };

const httpError = (status: number, kind: ErrorKind, detail: string): { status: number; error: PostfachError } => ({
  status,
  error: new PostfachError(
    kind,
    {
      de: 'Zugriff verweigert: Diese Anfrage kommt nicht von der Oberfläche des Programms.',
      en: 'Access denied: this request does not come from the program’s user interface.',
    },
    detail,
  ),
});

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  if (!isLoopbackAddress(bindAddress)) throw refused(`bind address ${bindAddress} is not a loopback address`);
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (token.length < 32) throw new TypeError('bridge token too short');
  const tokenBytes = Buffer.from(token);
  const firstPage = firstPageOf(options.rendererDir);
  const checks = loadChecks();
  // a failure to load is reported to each API request that waits for them (500), not as an unhandled rejection
  checks.catch(() => undefined);

  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  const streams = new Set<ServerResponse>();

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    });
    res.end(text);
  };

  const sendText = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(text);
  };

  /** Host, Origin and (for the API) the token; returns the refusal or undefined. */
  const checkCaller = (req: IncomingMessage, api: boolean): { status: number; error: PostfachError } | undefined => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) return httpError(403, 'bridge-foreign-host', 'Host header does not name the bridge');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) return httpError(403, 'bridge-foreign-origin', 'Origin is not the bridge');
    if (api && req.method === 'POST' && origin === undefined) return httpError(403, 'bridge-foreign-origin', 'POST without Origin');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return httpError(403, 'bridge-foreign-origin', `Sec-Fetch-Site ${String(site)}`);
    if (api) {
      const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
      const given = Buffer.from(match?.[1] ?? '');
      if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return httpError(401, 'bridge-token', 'missing or wrong token');
    }
    return undefined;
  };

  const readJsonBody = async (req: IncomingMessage): Promise<unknown> => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json(\s*;|$)/i.test(type)) throw Object.assign(invalidBody('content type is not application/json'), { status: 415 });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw Object.assign(invalidBody(`body larger than ${MAX_BODY_BYTES} bytes`), { status: 413 });
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw Object.assign(invalidBody('body is not JSON'), { status: 400 });
    }
  };

  const handleCall = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      sendJson(res, typeof status === 'number' ? status : 400, failure(error));
      return;
    }
    const { dispatchCall } = await checks;
    const envelope = await dispatchCall(method, body, options.service, browserShellHandlers);
    sendJson(res, envelope.ok ? 200 : (statusOfKind[envelope.error.kind] ?? 200), envelope);
  };

  const handleEvents = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { eventNames } = await checks;
    // a page that went away while the checks loaded: nothing to subscribe for (its close has already passed)
    if (res.destroyed || req.socket.destroyed) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribes = eventNames.map((event) =>
      options.service.on(event, (payload) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = (): void => {
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes) unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const resolved = resolveStaticFile(options.rendererDir, pathname);
    const inMemory = resolved === null ? undefined : await firstPage.get(resolved.file);
    if (resolved !== null && inMemory !== undefined) {
      res.writeHead(200, { ...uiSecurityHeaders, 'Content-Type': resolved.contentType, 'Content-Length': inMemory.length });
      res.end(req.method === 'HEAD' ? undefined : inMemory);
      return;
    }
    const info = resolved === null ? undefined : await stat(resolved.file).catch(() => undefined);
    if (resolved === null || info === undefined || !info.isFile()) {
      sendText(res, 404, 'Nicht gefunden / Not found');
      return;
    }
    res.writeHead(200, { ...uiSecurityHeaders, 'Content-Type': resolved.contentType, 'Content-Length': info.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(resolved.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    const handle = async (): Promise<void> => {
      const url = new URL(req.url ?? '/', 'http://bridge.invalid');
      const api = url.pathname.startsWith('/api/');
      const refusal = checkCaller(req, api);
      if (refusal !== undefined) {
        if (api) sendJson(res, refusal.status, failure(refusal.error));
        else sendText(res, refusal.status, 'Zugriff verweigert / Access denied');
        return;
      }
      if (api) {
        const call = /^\/api\/call\/([\w.-]{1,100})$/.exec(url.pathname);
        if (call !== null && req.method === 'POST') return handleCall(req, res, call[1] ?? '');
        if (url.pathname === '/api/events' && req.method === 'GET') return handleEvents(req, res);
        sendJson(res, req.method === 'POST' || req.method === 'GET' ? 404 : 405, failure((await checks).unknownMethodError(url.pathname)));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(res, 405, 'Methode nicht erlaubt / Method not allowed');
        return;
      }
      await handleStatic(req, res, url.pathname);
    };
    handle().catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Interner Fehler / Internal error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: bindAddress, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string' || !isLoopbackAddress(address.address)) {
    server.close();
    throw refused(`listening on an unexpected address ${JSON.stringify(address)}`);
  }
  const port = address.port;
  const hostPart = net.isIPv6(bindAddress) ? `[${bindAddress}]` : bindAddress;
  allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  const origin = `http://${hostPart}:${port}`;

  return {
    origin,
    port,
    token,
    launchUrl: `${origin}/#token=${token}`,
    close: async () => {
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function invalidBody(detail: string): PostfachError {
  return new PostfachError(
    'api-invalid-input',
    {
      de: 'Die Anfrage der Oberfläche war ungültig und wurde nicht ausgeführt.',
      en: 'The request from the user interface was invalid and was not carried out.',
    },
    detail,
  );
}
