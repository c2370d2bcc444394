/**
 * Proxy auto-configuration (PAC) for the command line and the service's Node transport: the PAC file is loaded once
 * (http://, https:// or file://, at most 1 MiB) and its FindProxyForURL is evaluated by pac-resolver inside
 * QuickJS compiled to WebAssembly (quickjs-wasi): no access to Node, the file system or the network from the
 * script, a memory cap, and an interrupt after 2 s so that a looping PAC file cannot hang a fetch. (The desktop
 * app's Electron-net transport lets Chromium evaluate PAC itself.)
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PostfachError } from '../errors.js';

const MAX_PAC_BYTES = 1024 * 1024;
const EVAL_TIMEOUT_MS = 2000;

export function pacError(detail: string, cause?: unknown): PostfachError {
  return new PostfachError(
    'proxy-pac',
    {
      de: 'Die automatische Proxy-Konfiguration (PAC-Datei) konnte nicht geladen oder ausgewertet werden. Bitte die IT informieren.',
      en: 'The proxy auto-configuration (PAC file) could not be loaded or evaluated. Please inform IT.',
    },
    detail,
    cause === undefined ? {} : { cause },
  );
}

/** Loads the PAC script. */
export async function loadPacScript(pacUrl: string, options: { ca?: string[]; timeoutMs?: number } = {}): Promise<string> {
  const url = new URL(pacUrl);
  if (url.protocol === 'file:') {
    try {
      const bytes = readFileSync(fileURLToPath(url));
      if (bytes.length > MAX_PAC_BYTES) throw pacError(`${pacUrl}: larger than ${MAX_PAC_BYTES} bytes`);
      return bytes.toString('utf8');
    } catch (error) {
      if (error instanceof PostfachError) throw error;
      throw pacError(`${pacUrl}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, error);
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw pacError(`${pacUrl}: unsupported scheme ${url.protocol}`);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { timeout: options.timeoutMs ?? 15_000, agent: false, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(pacError(`${url.host}: HTTP ${res.statusCode ?? '?'} for the PAC file`));
        return;
      }
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PAC_BYTES) {
          req.destroy();
          reject(pacError(`${url.host}: PAC file larger than ${MAX_PAC_BYTES} bytes`));
          return;
        }
        parts.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      res.on('error', (e) => reject(pacError(`${url.host}: ${e.message}`, e)));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => reject(pacError(`${url.host}: ${e.code ?? e.message}`, e)));
  });
}

export type PacRoute = { readonly type: 'direct' } | { readonly type: 'proxy'; readonly url: string };

/** "PROXY a:1; HTTPS b:2; DIRECT" → the routes in order (SOCKS entries are skipped: not supported). */
export function parsePacResult(result: string): PacRoute[] {
  const routes: PacRoute[] = [];
  for (const part of result.split(';')) {
    const [type, hostPort] = part.trim().split(/\s+/);
    const t = (type ?? '').toUpperCase();
    if (t === 'DIRECT') routes.push({ type: 'direct' });
    else if ((t === 'PROXY' || t === 'HTTP') && hostPort) routes.push({ type: 'proxy', url: `http://${hostPort}` });
    else if (t === 'HTTPS' && hostPort) routes.push({ type: 'proxy', url: `https://${hostPort}` });
  }
  return routes;
}

export type PacEvaluator = (targetUrl: string) => Promise<PacRoute[]>;

/** Compiles the script in a fresh QuickJS sandbox; the evaluator answers the routes for a target URL. */
export async function compilePac(script: string, where = 'proxy.pac'): Promise<PacEvaluator> {
  const require = createRequire(import.meta.url);
  const [{ QuickJS }, { createPacResolver }] = await Promise.all([import('quickjs-wasi'), import('pac-resolver')]);
  let deadline = Date.now() + EVAL_TIMEOUT_MS;
  let vm;
  try {
    vm = await QuickJS.create({ wasm: readFileSync(require.resolve('quickjs-wasi/quickjs.wasm')), memoryLimit: 32 * 1024 * 1024, interruptHandler: () => Date.now() > deadline });
  } catch (error) {
    throw pacError(`QuickJS: ${error instanceof Error ? error.message : 'start failed'}`, error);
  }
  let find: (url: string) => Promise<string>;
  try {
    find = createPacResolver(vm, script, { filename: where });
  } catch (error) {
    throw pacError(`${where}: ${error instanceof Error ? error.message.slice(0, 200) : 'does not compile'}`, error);
  }
  // one evaluation at a time: the interrupt deadline belongs to the call in hand
  let queue: Promise<unknown> = Promise.resolve();
  return (targetUrl) => {
    const run = queue.then(async () => {
      deadline = Date.now() + EVAL_TIMEOUT_MS;
      let result: string;
      try {
        result = await find(targetUrl);
      } catch (error) {
        throw pacError(`${where}: FindProxyForURL failed: ${error instanceof Error ? error.message.slice(0, 200) : 'error'}`, error);
      }
      if (typeof result !== 'string') throw pacError(`${where}: FindProxyForURL returned ${typeof result}`);
      const routes = parsePacResult(result);
      if (routes.length === 0) throw pacError(`${where}: no usable route in "${result.slice(0, 200)}" (SOCKS is not supported)`);
      return routes;
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
