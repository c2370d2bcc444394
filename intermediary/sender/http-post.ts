/**
 * The sender's HTTP post (the simulated sending authority, not the mailbox: the mailbox's one HTTP transport is
 * core/mailbox/transport.ts). A PostFunction over node:http/https: POST with an exact Content-Length (some intermediaries refuse chunked
 * transfer encoding), `Content-Type: text/xml` as the library's transport sends, the response body streamed
 * back for any HTTP status (intermediaries send SOAP faults with 200, some with 500).
 */
import http from 'node:http';
import https from 'node:https';
import { sourceToReadable } from '../../core/io/byte-source.js';
import type { PostFunction } from '../../core/osci/client/dialog.js';

export interface HttpPostOptions {
  readonly agent?: http.Agent;
  /** Milliseconds without progress before the request is aborted (default 120 s). */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export function httpPost(url: string, options: HttpPostOptions = {}): PostFunction {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return (body) =>
    new Promise((resolve, reject) => {
      const req = lib.request(
        target,
        {
          method: 'POST',
          headers: { 'Content-Type': 'text/xml', 'Content-Length': String(body.size), ...options.headers },
          ...(options.agent ? { agent: options.agent } : {}),
          timeout: options.timeoutMs ?? 120_000,
        },
        (res) => resolve(res),
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${target.host} within ${options.timeoutMs ?? 120_000} ms`)));
      req.on('error', reject);
      sourceToReadable(body)
        .on('error', (e) => req.destroy(e))
        .pipe(req);
    });
}
