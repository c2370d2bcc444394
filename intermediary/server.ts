/**
 * The local OSCI 1.2 intermediary over HTTP (loopback only): `POST /osci` with an OSCI message as the body,
 * the answer (an OSCI message or a SOAP fault) with HTTP 200 and an exact Content-Length, as the library's
 * transport expects. Request bodies are spooled (memory below 4 MiB, an encrypted spool file above), answers are
 * streamed from their sources (delivery files, spools), so a 200 MB attachment never sits in memory. Bad input
 * always ends in a fault; the process never crashes on a request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { sourceToReadable, type ByteSource } from '../core/io/byte-source.js';
import { SpoolScope } from '../core/io/sink.js';
import { PostfachError } from '../core/errors.js';
import { buildFault } from '../core/osci/messages/build.js';
import { feedbackText } from '../core/osci/messages/feedback-codes.js';
import { MailboxStore, type SyncFile } from './mailbox-store.js';
import { Supplier, type IntermediaryKeys, type SupplierOptions } from './supplier.js';

export interface IntermediaryOptions extends SupplierOptions {
  /** Largest request body accepted (default 1 GiB); larger ones are refused with a fault 9904. */
  readonly maxRequestBytes?: number;
  /** How the stamp commit's WAL is fsynced (tests make it fail; default: fsync). */
  readonly syncFile?: SyncFile;
}

export interface StartIntermediaryInput {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Loopback address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Folder for the mailboxes (created if missing; survives restarts). */
  readonly dataDir: string;
  readonly keys: IntermediaryKeys;
  readonly options?: IntermediaryOptions;
}

export interface RunningIntermediary {
  /** `http://127.0.0.1:<port>/osci` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const OSCI_PATH = '/osci';
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export async function startIntermediary(input: StartIntermediaryInput): Promise<RunningIntermediary> {
  const host = input.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new PostfachError(
      'invalid-argument',
      { de: 'Der Übungs-Intermediär lauscht nur auf der lokalen Adresse 127.0.0.1.', en: 'The training intermediary listens on the loopback address only.' },
      `host ${host.slice(0, 60)} is not a loopback address`,
    );
  }
  const options = input.options ?? {};
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const store = MailboxStore.open(input.dataDir, options.syncFile ? { syncFile: options.syncFile } : {});
  const supplier = new Supplier(input.keys, store, options);
  const inFlight = new Set<Promise<void>>();

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== OSCI_PATH) {
      plain(res, 404, `Nicht gefunden. Der OSCI-Intermediär nimmt Nachrichten unter ${OSCI_PATH} an.\n`);
      return;
    }
    if (req.method !== 'POST') {
      plain(res, 405, 'Nur POST: OSCI-Nachrichten werden mit HTTP POST gesendet.\n', { Allow: 'POST' });
      return;
    }
    const scope = new SpoolScope();
    try {
      let answer: ByteSource;
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > maxRequestBytes) {
        options.log?.(`fault 9904 (request of ${declared} bytes, limit ${maxRequestBytes})`);
        answer = buildFault('9904', feedbackText('9904', 'de'), 'soap:Client');
        res.setHeader('Connection', 'close');
      } else {
        let body: ByteSource | undefined;
        try {
          body = await scope.receive(req, undefined, maxRequestBytes);
        } catch (error) {
          if (req.destroyed && !req.complete) return; // the client went away: nobody to answer
          if (!(error instanceof RangeError)) throw error;
          options.log?.(`fault 9904 (request larger than ${maxRequestBytes} bytes)`);
          res.setHeader('Connection', 'close');
        }
        answer = body ? await supplier.handle(body, scope) : buildFault('9904', feedbackText('9904', 'de'), 'soap:Client');
      }
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=UTF-8', 'Content-Length': String(answer.size) });
      await pipeline(sourceToReadable(answer), res);
    } catch (error) {
      options.log?.(`request ended early (${error instanceof Error ? error.message.slice(0, 200) : 'unknown'})`);
      if (!res.headersSent) {
        const fault = buildFault('9000', feedbackText('9000', 'de'));
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=UTF-8', 'Content-Length': String(fault.size) });
        await pipeline(sourceToReadable(fault), res).catch(() => undefined);
      } else res.destroy();
    } finally {
      await scope.release();
    }
  };

  const server = http.createServer((req, res) => {
    // a client that goes away mid-request must not take the process down
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const done: Promise<void> = serve(req, res)
      .catch(() => void res.destroy())
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  // a large upload may take a while on a slow machine; the body itself is spooled as it arrives
  server.requestTimeout = 30 * 60 * 1000;
  // clients keep idle connections for the next request of a dialog; closing them after Node's default 5 s races
  // with a client reusing one (ECONNRESET on its next request), so idle connections live longer here
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_error, socket) => socket.destroy());

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(input.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await supplier.close();
    store.close();
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PostfachError(
      'intermediary-listen',
      { de: 'Der Übungs-Intermediär kann den Port nicht öffnen (belegt oder nicht erlaubt).', en: 'The training intermediary cannot open the port (in use or not allowed).' },
      `${code} listening on ${host}:${input.port}`,
      { cause: error },
    );
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}${OSCI_PATH}`,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // requests still running may finish (for a while) before the data folder closes
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
        clearTimeout(timer);
        server.closeAllConnections();
        await closed;
        await Promise.allSettled([...inFlight]);
        await supplier.close();
        store.close();
      })();
      return closing;
    },
  };
}
