/**
 * The network front of `postfach serve`: the built UI and the typed contract over HTTPS (node:https, the
 * certificate and key IT provides) for browser-mode clients on the office network, with personal sign-in and the
 * role table checked before any call reaches the service. Wraps the same dispatch as the loopback bridge
 * (core/api/dispatch.ts) from outside; the handlers do not know about persons beyond the audit log's actor.
 *
 * Who may talk to it:
 *  - TLS always, unless the server is bound to a loopback address and told explicitly that plain HTTP is meant
 *    (trying it out on one machine); then only Host names of the loopback address are accepted (DNS rebinding);
 *  - every page but the sign-in form needs a session (cookie `postfach_sitzung`: HttpOnly, Secure,
 *    SameSite=Strict, bounded lifetime); every POST must come with the server's own Origin;
 *  - a call is dispatched only when the person's role may call the method (roles.ts, default deny); the role and
 *    the account's state are read again from the account file, so disabling an account ends its sessions;
 *  - calls run in the service as `serve:<name>`: the audit log names the person.
 *
 * Routes: GET /anmelden (form) · POST /anmelden · POST /abmelden · GET / and the UI's files · GET /api/session ·
 * POST /api/call/<method> · GET /api/events (Server-Sent Events).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import type { Unsubscribe } from '../api/api-types.js';
import { browserShellHandlers, isLoopbackAddress } from '../api/bridge-server.js';
import { contract, type EventName } from '../api/contract.js';
import { uiSecurityHeaders } from '../api/csp.js';
import { dispatchCall } from '../api/dispatch.js';
import { resolveStaticFile } from '../api/static-files.js';
import { unknownMethodError } from '../api/validate.js';
import { failure, success, type CallResult } from '../api/wire.js';
import type { AccountStore } from './accounts.js';
import { serveError } from './errors.js';
import { pathsOutside } from './file-paths.js';
import { mayCall, ROLE_TABLE, type Role } from './roles.js';
import { cookieValue, SESSION_COOKIE, Sessions, type Session, type SessionLimits } from './sessions.js';
import { signInPage, signInPageCsp, type SignInNotice } from './sign-in-page.js';

/** What the server needs of the service: a ServiceHost or SupervisedService fits. */
export interface ServeService {
  invoke(method: string, input: unknown, actor?: string): Promise<CallResult<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}

export interface ServeTls {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface ServeServerOptions {
  readonly service: ServeService;
  readonly accounts: AccountStore;
  /** The built UI (dist/renderer). */
  readonly rendererDir: string;
  readonly host: string;
  /** 0: a free port. */
  readonly port: number;
  /** The certificate and key IT provides; absent only with `plainHttpOnLoopback`. */
  readonly tls?: ServeTls;
  /** Plain HTTP, allowed only on a loopback address: for trying it out on one machine. */
  readonly plainHttpOnLoopback?: boolean;
  readonly sessions?: SessionLimits;
  /**
   * The service's transfer folder (`<data folder>/transfer`): files named in a call must lie inside it
   * (file-paths.ts). Absent (tests of other things): no call may name a file.
   */
  readonly transferRoot?: string;
  /** Tests: another role table (default: roles.ts). */
  readonly roleTable?: Readonly<Partial<Record<string, readonly Role[]>>>;
  readonly now?: () => number;
}

export interface RunningServeServer {
  /** e.g. https://127.0.0.1:8443 */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The audit log's name for a person signed in to the service. */
export const actorOf = (name: string): string => `serve:${name}`;

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_FORM_BYTES = 4096;
const HEARTBEAT_MS = 20_000;
/** The account file is read again at most this often per request burst (role changes, disabled accounts). */
const ACCOUNT_RECHECK_MS = 2_000;

const signedOut = (detail: string): PostfachError =>
  serveError(
    'serve-signed-out',
    {
      de: 'Sie sind nicht (mehr) angemeldet. Bitte laden Sie die Seite neu und melden Sie sich an.',
      en: 'You are not (or no longer) signed in. Please reload the page and sign in.',
    },
    detail,
  );

const forbidden = (method: string, role: Role): PostfachError =>
  serveError(
    'serve-forbidden',
    { de: 'Diese Aktion ist für Ihre Rolle nicht freigegeben.', en: 'This action is not permitted for your role.' },
    `role ${role} may not call ${method}`,
  );

const outsideTransfer = (method: string, count: number): PostfachError =>
  serveError(
    'serve-forbidden',
    {
      de: 'Über den Abrufdienst können Dateien nur über die Oberfläche hoch- und heruntergeladen werden.',
      en: 'Through the fetch service, files can only be uploaded and downloaded through the user interface.',
    },
    `${method}: ${count} file path(s) outside the service's transfer folder`,
  );

const unknownColleague = (): PostfachError =>
  serveError(
    'serve-account',
    {
      de: 'An dieses Konto kann nicht übergeben werden: Es gibt es nicht, oder es ist gesperrt.',
      en: 'Cannot hand to this account: it does not exist or is disabled.',
    },
    'inbox.hand: no enabled account of that name',
  );

const foreign = (detail: string): PostfachError =>
  new PostfachError(
    'bridge-foreign-origin',
    { de: 'Zugriff verweigert: Diese Anfrage kommt nicht von der Oberfläche des Programms.', en: 'Access denied: this request does not come from the program’s user interface.' },
    detail,
  );

export function refuseWithoutTls(host: string, plain: boolean | undefined, tls: ServeTls | undefined): void {
  if (tls !== undefined) return;
  if (plain === true && isLoopbackAddress(host)) return;
  throw serveError(
    'serve-no-tls',
    {
      de: 'Der Dienst startet nicht ohne TLS: Bitte Zertifikat und Schlüssel der IT angeben (tlsCert, tlsKey). Nur zum Ausprobieren auf diesem Rechner: an 127.0.0.1 binden und --plain-http-loopback angeben.',
      en: 'The service does not start without TLS: please give the certificate and key from IT (tlsCert, tlsKey). Only for trying it out on this computer: bind to 127.0.0.1 and give --plain-http-loopback.',
    },
    plain === true ? `plain HTTP refused: ${host} is not a loopback address` : 'no TLS certificate and key configured',
  );
}

export async function startServeServer(options: ServeServerOptions): Promise<RunningServeServer> {
  refuseWithoutTls(options.host, options.plainHttpOnLoopback, options.tls);
  const now = options.now ?? Date.now;
  const sessions = new Sessions(options.sessions, now);
  const table = options.roleTable ?? ROLE_TABLE;
  const secure = options.tls !== undefined;
  const scheme = secure ? 'https' : 'http';
  const streams = new Set<ServerResponse>();
  const checkedAt = new Map<string, number>();
  let allowedHosts: ReadonlySet<string> | undefined;
  let indexHtml: Promise<string> | undefined;

  const baseHeaders = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(secure ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}) };

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...baseHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    });
    res.end(text);
  };
  const sendText = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  const redirect = (res: ServerResponse, location: string, cookie?: string): void => {
    res.writeHead(303, { ...baseHeaders, Location: location, ...(cookie === undefined ? {} : { 'Set-Cookie': cookie }) });
    res.end();
  };
  const sessionCookie = (value: string, maxAge: number): string => `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`;

  /** The Host header names this server (loopback names only in plain-HTTP mode; with TLS the certificate decides). */
  const hostAllowed = (req: IncomingMessage): boolean => allowedHosts === undefined || allowedHosts.has((req.headers.host ?? '').toLowerCase());
  /** A POST must carry this server's own origin (the browser sends it; SameSite=Strict is the second fence). */
  const sameOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    return origin.toLowerCase() === `${scheme}://${(req.headers.host ?? '').toLowerCase()}`;
  };

  /** The request's live session, with the role and state read again from the account file now and then. */
  const sessionOf = (req: IncomingMessage, touch = true): Session | undefined => {
    const session = sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE), touch);
    if (session === undefined) return undefined;
    const last = checkedAt.get(session.id) ?? 0;
    if (now() - last >= ACCOUNT_RECHECK_MS) {
      const account = options.accounts.current(session.name);
      if (account === undefined || account.disabled) {
        sessions.endAllOf(session.name);
        return undefined;
      }
      session.role = account.role;
      checkedAt.set(session.id, now());
    }
    return session;
  };

  const readBody = async (req: IncomingMessage, limit: number): Promise<string> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  };

  const handleSignIn = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!sameOrigin(req)) return sendText(res, 403, 'Zugriff verweigert / Access denied');
    if (!/^application\/x-www-form-urlencoded(\s*;|$)/i.test(req.headers['content-type'] ?? '')) return sendText(res, 415, 'Formular erwartet / Form expected');
    const form = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
    const name = (form.get('name') ?? '').trim().toLowerCase();
    const password = form.get('password') ?? '';
    const result = await options.accounts.signIn(name, password);
    if (!result.ok) return redirect(res, '/anmelden?hinweis=fehlgeschlagen');
    sessions.end(cookieValue(req.headers.cookie, SESSION_COOKIE));
    const session = sessions.start(result.name, result.role);
    checkedAt.set(session.id, now());
    redirect(res, '/', sessionCookie(session.id, sessions.cookieMaxAgeSeconds));
  };

  const handleSignOut = (req: IncomingMessage, res: ServerResponse): void => {
    if (!sameOrigin(req)) return sendText(res, 403, 'Zugriff verweigert / Access denied');
    sessions.end(cookieValue(req.headers.cookie, SESSION_COOKIE));
    redirect(res, '/anmelden?hinweis=abgemeldet', sessionCookie('', 0));
  };

  const sendSignInPage = (res: ServerResponse, notice: SignInNotice): void => {
    const html = signInPage(notice);
    res.writeHead(200, {
      ...baseHeaders,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(html),
      'Content-Security-Policy': signInPageCsp,
      'X-Frame-Options': 'DENY',
      // not no-referrer: with it Chromium sends the form's POST with `Origin: null`, which the Origin check refuses
      'Referrer-Policy': 'same-origin',
    });
    res.end(html);
  };

  const handleCall = async (req: IncomingMessage, res: ServerResponse, method: string, session: Session): Promise<void> => {
    if (!sameOrigin(req)) return sendJson(res, 403, failure(foreign('POST without this server’s Origin')));
    if (!/^application\/json(\s*;|$)/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, failure(foreign('content type is not application/json')));
    if (!mayCall(session.role, method, table)) return sendJson(res, 403, failure(forbidden(method, session.role)));
    let body: unknown;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      body = text === '' ? {} : (JSON.parse(text) as unknown);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      return sendJson(
        res,
        typeof status === 'number' ? status : 400,
        failure(
          new PostfachError(
            'api-invalid-input',
            { de: 'Die Anfrage der Oberfläche war ungültig und wurde nicht ausgeführt.', en: 'The request from the user interface was invalid and was not carried out.' },
            'body is not JSON or too large',
          ),
        ),
      );
    }
    const outside = pathsOutside(body, options.transferRoot ?? path.join(path.sep, 'nowhere', randomUUID()));
    if (outside.length > 0) return sendJson(res, 403, failure(outsideTransfer(method, outside.length)));
    const actor = actorOf(session.name);
    // the shared inbox's colleagues are the service's accounts: answered here, and a hand-over goes only to one of them
    const invoke = async (m: string, input: unknown): Promise<CallResult<unknown>> => {
      if (m === 'inbox.people') {
        const colleagues = options.accounts
          .list()
          .filter((a) => !a.disabled && a.name !== session.name)
          .map((a) => ({ name: a.name }));
        return success({ team: true, mayTakeOver: mayCall(session.role, 'inbox.takeOver', table), colleagues });
      }
      if (m === 'inbox.hand') {
        const to = (input as { to: string }).to;
        const colleague = options.accounts.current(to);
        if (colleague === undefined || colleague.disabled) return failure(unknownColleague());
      }
      return options.service.invoke(m, input, actor);
    };
    const envelope = await dispatchCall(method, body, { invoke }, browserShellHandlers);
    sendJson(res, envelope.ok ? 200 : envelope.error.kind === 'api-unknown-method' ? 404 : envelope.error.kind === 'api-invalid-input' ? 400 : 200, envelope);
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse, session: Session): void => {
    res.writeHead(200, { ...baseHeaders, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribes = (Object.keys(contract.events) as EventName[]).map((event) =>
      options.service.on(event, (payload) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    // a session that ended (expired, signed out, account disabled) gets no more events
    const heartbeat = setInterval(() => {
      if (sessions.get(session.id, false) === undefined) res.end();
      else res.write(': ping\n\n');
    }, HEARTBEAT_MS);
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
    const info = resolved === null ? undefined : await stat(resolved.file).catch(() => undefined);
    if (resolved === null || info === undefined || !info.isFile()) return sendText(res, 404, 'Nicht gefunden / Not found');
    if (pathname === '/' || pathname === '/index.html') {
      // the renderer's connect.ts reads this: the session is the cookie, there is no bridge token
      indexHtml ??= readFile(resolved.file, 'utf8').then((html) => html.replace(/<head>/i, '<head><meta name="postfach-session" content="cookie">'));
      const html = await indexHtml;
      res.writeHead(200, { ...uiSecurityHeaders, ...baseHeaders, 'Content-Type': resolved.contentType, 'Content-Length': Buffer.byteLength(html) });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    res.writeHead(200, { ...uiSecurityHeaders, ...baseHeaders, 'Content-Type': resolved.contentType, 'Content-Length': info.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(resolved.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req)) return sendText(res, 403, 'Zugriff verweigert / Access denied');
    const url = new URL(req.url ?? '/', 'https://serve.invalid');
    const route = url.pathname;
    if (route === '/anmelden') {
      if (req.method === 'POST') return handleSignIn(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Methode nicht erlaubt / Method not allowed');
      const hinweis = url.searchParams.get('hinweis');
      return sendSignInPage(res, hinweis === 'fehlgeschlagen' ? 'failed' : hinweis === 'abgemeldet' ? 'signed-out' : hinweis === 'abgelaufen' ? 'expired' : undefined);
    }
    if (route === '/abmelden' && req.method === 'POST') return handleSignOut(req, res);
    const session = sessionOf(req);
    const api = route.startsWith('/api/');
    if (session === undefined) {
      if (api) return sendJson(res, 401, failure(signedOut('no live session')));
      if (req.method === 'GET' && (route === '/' || route === '/index.html'))
        return redirect(res, cookieValue(req.headers.cookie, SESSION_COOKIE) === undefined ? '/anmelden' : '/anmelden?hinweis=abgelaufen');
      return sendText(res, 401, 'Bitte anmelden / Please sign in');
    }
    if (api) {
      const call = /^\/api\/call\/([\w.-]{1,100})$/.exec(route);
      if (call !== null && req.method === 'POST') return handleCall(req, res, call[1] ?? '', session);
      if (route === '/api/events' && req.method === 'GET') return handleEvents(req, res, session);
      if (route === '/api/session' && req.method === 'GET') return sendJson(res, 200, { name: session.name, role: session.role });
      return sendJson(res, req.method === 'POST' || req.method === 'GET' ? 404 : 405, failure(unknownMethodError(route)));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Methode nicht erlaubt / Method not allowed');
    await handleStatic(req, res, route);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Interner Fehler / Internal error');
      else res.destroy();
    });
  };
  const server: Server =
    options.tls === undefined ? createHttpServer(listener) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    server.close();
    throw serveError(
      'serve-config',
      { de: 'Der Dienst konnte nicht an die Adresse gebunden werden.', en: 'The service could not bind to the address.' },
      'no address after listen',
    );
  }
  const port = address.port;
  const hostPart = net.isIPv6(options.host) ? `[${options.host}]` : options.host;
  if (!secure) allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`]);
  return {
    origin: `${scheme}://${hostPart}:${port}`,
    port,
    close: async () => {
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
