/**
 * What the browser loads before the mailbox (issue 14, app start), read from the built UI: no zod in the bundle
 * (the renderer's API client checks no payload against the contract: core/api/renderer-client.ts), and the screens
 * the way to the mailbox does not need — the message view, the dialogs, set-up and first start, the document window,
 * pdf.js — are chunks of their own that the first page neither loads nor preloads (renderer/src/lazy/screens.tsx).
 * And it is React's production build, also when the UI tests built it themselves (vitest sets NODE_ENV=test, which
 * gave a development bundle: StrictMode mounted every screen twice and asked its calls twice).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererDist } from './helpers/renderer-build.js';

/** The scripts index.html loads at once: the entry and its module preloads. */
function firstScripts(): string[] {
  const html = readFileSync(path.join(rendererDist, 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
}

const LATER = ['MessageView', 'DocumentWindow', 'SetupScreen', 'FirstStartScreen', 'AboutDialog', 'AuditDialog', 'SettingsDialog', 'pdf'];

describe('the UI bundle', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
  }, 180_000);

  it('carries no zod (the bundled packages as the about box lists them)', () => {
    const names = (JSON.parse(readFileSync(path.join(rendererDist, 'licenses.json'), 'utf8')) as { name: string }[]).map((l) => l.name);
    expect(names).toContain('react-dom');
    expect(names).not.toContain('zod');
  });

  it('loads the screens the mailbox does not need only when shown', () => {
    const first = firstScripts();
    expect(first.length).toBeGreaterThan(0);
    const assets = readdirSync(path.join(rendererDist, 'assets'));
    for (const name of LATER) {
      // a chunk of its own exists, and the first page does not load it
      expect(
        assets.some((f) => f.startsWith(`${name}-`) && f.endsWith('.js')),
        name,
      ).toBe(true);
      expect(
        first.filter((f) => path.basename(f).startsWith(`${name}-`)),
        name,
      ).toEqual([]);
    }
    // what the first page loads: 1.1 MB in one file before the split (zod and the contract's schemas 0.2 MB of it)
    const bytes = first.reduce((sum, f) => sum + statSync(path.join(rendererDist, f)).size, 0);
    expect(bytes).toBeLessThan(850_000);
  });

  it('is React’s production build', () => {
    const text = firstScripts()
      .map((f) => readFileSync(path.join(rendererDist, f), 'utf8'))
      .join('\n');
    // (booleans: a failure would print the whole bundle)
    expect(text.includes('react.dev/errors/'), 'React’s production error codes').toBe(true);
    // what only react-dom's development build says (and does: StrictMode's second mount, the dev-time checks)
    expect(text.includes('react.dev/link/react-devtools'), 'React’s development build').toBe(false);
  });
});
