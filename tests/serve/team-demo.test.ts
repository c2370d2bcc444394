/**
 * README's "Trying a team on one machine" is true as written: the test reads the two commands from README's code
 * block and runs them — the first, `npm run build`, through the build's own incremental steps (the CLI part and the
 * renderer, as `npm run build` decides them: a second full build beside other test files would pull dist/ from under
 * them); the second exactly as written (its words, as a shell splits a simple command), from the project folder (its default folder lands in a temporary
 * folder of this test through TMPDIR). It must start a throw-away PostgreSQL on loopback and `postfach serve` on it,
 * print the address and two persons with their passwords, and fetch the demo's waiting applications into
 * PostgreSQL. Then two Chromium contexts (two persons, no shared cookies) sign in as printed: both see every
 * application; Anna takes one ("Bearbeiten") and Bernd's list shows "bei anna" without reloading (the shared inbox
 * on PostgreSQL). Account changes reach the audit log (no "nicht ins Protokoll übernommen" line). Ctrl+C (SIGINT)
 * ends everything with exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { launchChromium } from '../ui/helpers/chromium.js';
import { ensureRendererBuilt } from '../ui/helpers/renderer-build.js';
import { tempDir } from './helpers.js';

/** The commands of README's code block after "Trying a team on one machine" (comments and blank lines dropped). */
function documentedCommands(): string[] {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const at = readme.indexOf('**Trying a team on one machine**');
  expect(at, 'README has the team try-out').toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

let demo: ChildProcess | undefined;
let output = '';
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (demo?.pid !== undefined && demo.exitCode === null && demo.signalCode === null) process.kill(-demo.pid, 'SIGKILL');
}, 60_000);

let commands: string[] = [];
beforeAll(async () => {
  commands = documentedCommands();
  expect(commands).toHaveLength(2);
  expect(commands[0]).toBe('npm run build');
  ensureCliBuilt(['team-demo.js', 'serve.js', 'demo.js']);
  await ensureRendererBuilt();
}, 900_000);

async function signedIn(origin: string, name: string, password: string): Promise<Page> {
  const context = await browser!.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/anmelden');
  await page.getByLabel('Benutzername').fill(name);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: /Anmelden/ }).click();
  await page.getByTestId('message-list').getByRole('option').first().waitFor({ timeout: 60_000 });
  return page;
}

describe('README: a team set-up on one machine in two commands (PostgreSQL on loopback, the service, two persons)', () => {
  it('runs as documented: both persons see every application, a claim shows at once, Ctrl+C ends it', async () => {
    const tmp = tempDir('postfach-team-demo-');
    // as the system's temp folder: where the tests run as root, the cluster's server runs as another user and must
    // reach its folder inside (the team folder itself stays 0700)
    chmodSync(tmp, 0o755);
    // a simple command (no shell syntax): its words as a shell would split them; in a process group of its own, so
    // that the Ctrl+C below reaches it and its service as a terminal's would
    const [program, ...args] = commands[1]!.split(/\s+/);
    expect(commands[1]).toMatch(/^[A-Za-z0-9./_ -]+$/);
    demo = spawn(program!, args, { cwd: projectRoot, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));
    demo.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    demo.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await expect
      .poll(() => (demo!.exitCode === null ? output : `ended early: ${output}`), { timeout: 240_000, interval: 500 })
      .toMatch(/Team-Demo läuft \/ team demo running: (http:\/\/127\.0\.0\.1:\d+)\//);
    const origin = /Team-Demo läuft \/ team demo running: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;
    const password = (name: string): string => new RegExp(`Person \\d: ${name}\\s+Passwort / password: (\\S+)`).exec(output)?.[1] ?? '';
    expect(password('anna')).toMatch(/^anna-/);
    expect(password('bernd')).toMatch(/^bernd-/);
    expect(output).toContain('PostgreSQL (Wegwerf / throw-away): 127.0.0.1:');
    // the service's first fetch takes the demo's waiting applications into PostgreSQL
    await expect.poll(() => output, { timeout: 180_000, interval: 500 }).toMatch(/Abruf \/ fetch: complete, \d+ neu/);
    const fetched = Number(/Abruf \/ fetch: complete, (\d+) neu/.exec(output)![1]);
    expect(fetched).toBeGreaterThan(0);

    browser = await launchChromium();
    const anna = await signedIn(origin, 'anna', password('anna'));
    const bernd = await signedIn(origin, 'bernd', password('bernd'));
    const rows = (page: Page) => page.getByTestId('message-list').getByRole('option');
    await expect.poll(() => rows(anna).count(), { timeout: 30_000 }).toBe(fetched);
    await expect.poll(() => rows(bernd).count(), { timeout: 30_000 }).toBe(fetched);
    await rows(anna).first().click();
    await anna.getByTestId('claim').click();
    await expect.poll(() => rows(bernd).first().getByTestId('row-claim').textContent(), { timeout: 20_000 }).toBe('● bei anna');
    // the accounts made by the command reached the audit log on PostgreSQL (the service retries every 2 s otherwise)
    expect(output).not.toContain('nicht ins Protokoll übernommen');

    process.kill(-demo.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Team-Demo beendet / team demo stopped');
  }, 900_000);
});
