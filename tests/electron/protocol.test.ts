import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../core/api/csp.js';
import { createAppProtocolHandler } from '../../electron/protocol.js';

describe('app:// protocol handler', () => {
  let dir: string;
  let handle: (request: Request) => Promise<Response>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-protocol-'));
    mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>UI</title>');
    writeFileSync(path.join(dir, 'renderer', 'assets', 'index.css'), 'body{}');
    writeFileSync(path.join(dir, 'outside.txt'), 'secret');
    handle = createAppProtocolHandler(path.join(dir, 'renderer'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the UI’s files with the strict CSP and nosniff', async () => {
    const page = await handle(new Request('app://postfach/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>UI</title>');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const css = await handle(new Request('app://postfach/assets/index.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await handle(new Request('app://postfach/'))).status).toBe(200);
  });

  it('refuses other hosts, other methods, missing files and paths leaving the folder', async () => {
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://postfach/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await handle(new Request('app://postfach/missing.js'))).status).toBe(404);
    for (const p of ['/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/assets/%5c..%5coutside.txt', '/.hidden.js']) {
      const res = await handle(new Request(`app://postfach${p}`));
      expect(res.status, p).toBe(404);
    }
  });
});

describe('the CSP itself', () => {
  it('allows only the UI’s own scripts and styles, no eval, no frames, no remote connections', () => {
    const directives = new Map(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('require-trusted-types-for')).toEqual(["'script'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-(inline|eval|hashes)|wasm-unsafe-eval|\bhttps?:|\*/);
  });
});
