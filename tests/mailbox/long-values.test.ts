/**
 * One application must not stop the program: a Testantrag with a 200,000-character word in every text value (and
 * a 200,000-character OSCI subject) goes through the real command-line processes — `fetch`, `show`, `export --pdf`,
 * `export --receipt`, `abnahme` — each in bounded time and memory (the peak RSS of the whole process, its service
 * worker included, measured by tests/helpers/peak-rss.mjs). Before the bounded layout, 40,000 characters in one
 * field took 3 min 11 s and 3.9 GB for the PDF, and 200,000 killed the service.
 *
 * Measured on the 2-core development machine (README "Bounded work on hostile values"): fetch about 6 s / 330 MB,
 * show about 2 s / 250 MB, PDF about 7 s / 350 MB (84 pages), receipt and acceptance record about 2–3 s / 260 MB.
 * The bounds below leave room for slower machines, never for quadratic work.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { pdfinfo, pdftotext, qpdfCheck, searchable } from '../export/helpers.js';
import { applicationWithLongValues } from '../helpers/long-values.js';
import { projectRoot } from '../helpers/shared.js';
import { cli, createStore, ensureBuilt, fetchArgs, fetchEnv, send, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir } from './helpers.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';

const LENGTH = 200_000;
/** Per command: wall time and peak RSS of the process (measured figures in the header, with room for slower machines). */
const BOUNDS = { ms: 60_000, rssBytes: 600 * 1024 * 1024 } as const;

const root = tempDir('postfach-mailbox-long-');
const dbPath = path.join(root, 'store', 'postfach.db');
const peakRss = pathToFileURL(path.join(projectRoot, 'tests', 'helpers', 'peak-rss.mjs')).href;
let pkiDir = '';
let intermediary: RunningIntermediary;
let values = 0;

interface Measured {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly peakRssBytes: number;
}

/** The built CLI in a process of its own, with its wall time and peak RSS. */
function measured(name: string, args: readonly string[]): Promise<Measured> {
  const rssFile = path.join(root, `${name}.rss`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', peakRss, cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...fetchEnv(pkiDir), POSTFACH_TEST_PEAK_RSS_FILE: rssFile },
      timeout: 5 * BOUNDS.ms,
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = Date.now() - started;
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr, ms, peakRssBytes: Number(readFileSync(rssFile, 'utf8')) });
    });
  });
}

function withinBounds(run: Measured): void {
  expect(run.status, run.stderr).toBe(0);
  expect(run.ms).toBeLessThan(BOUNDS.ms);
  expect(run.peakRssBytes).toBeLessThan(BOUNDS.rssBytes);
}

const figures: Record<string, string> = {};
const note = (name: string, run: Measured) => (figures[name] = `${(run.ms / 1000).toFixed(1)} s, ${Math.round(run.peakRssBytes / 1024 / 1024)} MB`);

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  await createStore(dbPath);
  const hostile = await applicationWithLongValues(LENGTH);
  values = hostile.values;
  await send(intermediary.url, pkiDir, { content: hostile.xml, subject: 'B'.repeat(LENGTH), test: true });
}, 240_000);

afterAll(async () => {
  await intermediary?.close();
  // the figures of this machine, for the README
  console.log(`long values (${values} values of ${LENGTH} characters): ${JSON.stringify(figures)}`);
});

describe(`an application with a ${LENGTH.toLocaleString('de-DE')}-character word in every text value`, () => {
  it(
    'is fetched and stored (readable, listed with short forms) in bounded time and memory',
    async () => {
      const run = await measured('fetch', [...fetchArgs(dbPath, intermediary.url, pkiDir), '--json']);
      note('fetch', run);
      withinBounds(run);
      expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1, unreadable: 0 });
      const list = await measured('list', ['list', '--store', dbPath, '--json']);
      expect(list.status, list.stderr).toBe(0);
      const [item] = JSON.parse(list.stdout) as Array<{ applicants: string[]; subject: string; unreadableReason: string | null; isTest: boolean }>;
      expect(item).toMatchObject({ unreadableReason: null, isTest: true });
      // the list keeps short forms; the message keeps every value in full (show --json below)
      expect(item!.applicants[0]).toMatch(/^A{199}…$/);
      expect(item!.subject).toMatch(/^B{3999}…$/);
    },
    5 * BOUNDS.ms,
  );

  it(
    'is shown: the detail is bounded per value and in all (show, show --json), each value comes in full on request',
    async () => {
      const text = await measured('show', ['show', '1', '--store', dbPath]);
      note('show', text);
      withinBounds(text);
      expect(text.stdout).toContain('(gekürzt; vollständig im Inhalt: show --raw)');
      expect(text.stdout.length).toBeLessThan(values * 2_200 + 50_000);
      const json = await measured('show-json', ['show', '1', '--store', dbPath, '--json']);
      note('show-json', json);
      withinBounds(json);
      // the detail the UI gets: long values shortened and marked, some MB instead of some hundred
      expect(json.stdout.length).toBeLessThan(6 * 1024 * 1024);
      const detail = JSON.parse(json.stdout) as {
        item: { id: number };
        view: { cards: Array<{ sections: Array<{ fields: Array<{ id: string; value: { raw: string; fullLength?: number } }> }> }> };
      };
      const fields = detail.view.cards.flatMap((c) => c.sections.flatMap((s) => s.fields));
      const street = fields.find((f) => f.value.fullLength === LENGTH);
      expect(street).toBeDefined();
      expect(street!.value.raw.length).toBeLessThanOrEqual(10_000);
      expect(fields.every((f) => f.value.raw.length <= 10_000)).toBe(true);

      // messages.value gives the one value in full (the UI's "Ganzen Wert anzeigen" and copy button)
      const host = await startInProcessService({ dataDir: path.dirname(dbPath), appVersion: '0.1.0-test', host: 'cli' });
      try {
        const api = createApiClient(host.asBridge());
        await api.call('store.open', { path: dbPath, unlock: { password: STORE_PASSWORD } });
        const full = await api.call('messages.value', { id: detail.item.id, where: 'card', valueId: street!.id });
        expect(full.raw).toBe('A'.repeat(LENGTH));
        expect(full.fullLength).toBeUndefined();
        await expect(api.call('messages.value', { id: detail.item.id, where: 'tree', valueId: 'kein-solcher-wert' })).rejects.toMatchObject({ kind: 'value-missing' });
      } finally {
        await host.close();
      }
    },
    5 * BOUNDS.ms,
  );

  it(
    'is exported as the e-file PDF: every value shortened with the notice, a bounded number of pages',
    async () => {
      const out = path.join(root, 'antrag.pdf');
      const run = await measured('pdf', ['export', '1', '--store', dbPath, '--pdf', out]);
      note('pdf', run);
      withinBounds(run);
      qpdfCheck(out);
      const pages = Number(pdfinfo(out).Pages);
      figures.pdf += `, ${pages} pages`;
      expect(pages).toBeLessThan(150);
      const text = searchable(pdftotext(out));
      expect(text).toContain('(gekürzt, vollständig in der XML-Anlage)');
      // the document's budget ran out: the rest of the values is named, not printed
      expect(text).toMatch(/\d+ weitere Angaben sind hier nicht gedruckt/);
      // the structure is intact: the list of documents and the documents themselves follow
      expect(text).toContain('Dokumente (2)');
    },
    5 * BOUNDS.ms,
  );

  it(
    'is exported as the Eingangsbestätigung and the Abnahmeprotokoll, each bounded',
    async () => {
      const receipt = path.join(root, 'eingang.pdf');
      const run = await measured('receipt', ['export', '1', '--store', dbPath, '--receipt', receipt]);
      note('receipt', run);
      withinBounds(run);
      qpdfCheck(receipt);
      expect(Number(pdfinfo(receipt).Pages)).toBeLessThan(12);
      expect(searchable(pdftotext(receipt))).toContain('(gekürzt, vollständig in der Nachricht im Postfach)');

      const record = path.join(root, 'abnahme.pdf');
      const abnahme = await measured('abnahme', ['abnahme', '1', '--store', dbPath, '--out', record]);
      note('abnahme', abnahme);
      withinBounds(abnahme);
      qpdfCheck(record);
      expect(Number(pdfinfo(record).Pages)).toBeLessThan(150);
      expect(searchable(pdftotext(record))).toContain('(gekürzt, vollständig in der Nachricht im Postfach)');
    },
    5 * BOUNDS.ms,
  );
});
