/**
 * The acceptance record of a Testantrag: fetched by `postfach fetch` (which writes the technical log), then
 * `postfach abnahme` writes the PDF — read back with pdftotext: Eingang, message id, decryption, signature results,
 * the application as text (no browser on the command line, said so), the log lines of this delivery without personal
 * data; with --screenshot the picture is embedded (pdfimages). A real application is refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageListItem } from '../../core/api/contract/mailbox.js';
import { recordIncident } from '../../core/api/service-incidents.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, postfach, send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';

const root = tempDir('postfach-ops-abnahme-');
const dbPath = path.join(root, 'daten', 'postfach.db');
let intermediary: RunningIntermediary;
let pkiDir = '';
let items: MessageListItem[] = [];
let env: Record<string, string> = {};

const pdfText = (file: string): string => spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout;

/** Where each word is first found after the previous one (pdftotext -bbox): page number and top edge in points. */
function words(file: string, wanted: readonly string[]): Array<{ page: number; y: number }> {
  const pages = spawnSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }).stdout.split('<page ').slice(1);
  const found: Array<{ page: number; y: number }> = [];
  let from = { page: 0, y: -1 };
  for (const word of wanted) {
    let hit: { page: number; y: number } | undefined;
    for (let p = from.page; p < pages.length && hit === undefined; p++) {
      for (const m of (pages[p] as string).matchAll(/yMin="([\d.]+)"[^>]*>([^<]*)</g)) {
        const y = Number(m[1]);
        if (m[2] === word && (p > from.page || y > from.y)) {
          hit = { page: p, y };
          break;
        }
      }
    }
    if (hit === undefined) throw new Error(`word ${word} not found in ${file}`);
    found.push(hit);
    from = hit;
  }
  return found;
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  await send(intermediary.url, pkiDir, { count: 1, seed: 'abnahme', test: true, subject: 'Testantrag Abnahme Musterstadt' });
  await send(intermediary.url, pkiDir, { count: 1, seed: 'echt' });
  await createStore(dbPath);
  env = fetchEnv(pkiDir);
  const fetched = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], env);
  expect(fetched.status, fetched.stderr).toBe(0);
  items = JSON.parse((await postfach(['list', '--store', dbPath, '--json'], env)).stdout) as MessageListItem[];
}, 180_000);
afterAll(() => intermediary?.close());

describe('postfach abnahme', () => {
  it('writes the acceptance record of a Testantrag with the facts, the view as text and the log lines', async () => {
    const test = items.find((i) => i.isTest) as MessageListItem;
    const out = path.join(root, 'abnahme.pdf');
    const run = await postfach(['abnahme', String(test.id), '--store', dbPath, '--out', out], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ohne Browser erstellt/);
    const text = pdfText(out);
    expect(text).toContain('Abnahmeprotokoll – Testantrag');
    expect(text).toContain(test.messageId);
    expect(text).toContain('Eingang beim Intermediär');
    expect(text).toMatch(/\d{2}\.\d{2}\.\d{4},? \d{2}:\d{2}/);
    expect(text).toMatch(/Testantrag \(XSozial\s+test\)\s+ja/);
    expect(text).toContain('entschlüsselt und gelesen');
    expect(text.replace(/\s+/g, ' ')).toMatch(/Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft/);
    expect(text.replace(/\s+/g, ' ')).toContain('Kein Bildschirmfoto: auf der Kommandozeile ohne Browser erstellt');
    // the summary cards as text: the applicant's block is titled with the name as an office files it
    const name = test.applicantNames![0]!;
    expect(text.normalize('NFC').replace(/\s+/g, ' ')).toContain(`Antragsteller/in: ${name.family}, ${name.given}`.normalize('NFC'));
    expect(text.replace(/\s+/g, ' ')).toMatch(/delivery\.stored id=\d+ messageId=/);
    expect(text).toContain('Ergebnis der Abnahme');
    // distinguished names wrap between their parts, never inside a word
    expect(text).toContain('OU=Sozialamt');
    expect(text).not.toMatch(/OU=Sozi\s*\n/);
    // the result is written by hand: room for remarks (4 lines), place and date, name, signature
    const labels = words(out, ['Bemerkungen', 'Ort,', 'Druckbuchstaben)', 'Unterschrift']);
    expect(labels.map((l) => l.page)).toEqual(Array(4).fill(labels[0]!.page));
    expect(labels[1]!.y - labels[0]!.y).toBeGreaterThan(4 * 20);
    expect(labels[2]!.y - labels[1]!.y).toBeGreaterThan(35);
    expect(labels[3]!.y - labels[2]!.y).toBeGreaterThan(35);

    // the technical log itself holds no names or subjects
    const logDir = path.join(root, 'daten', 'logs');
    const log = readdirSync(logDir)
      .map((f) => readFileSync(path.join(logDir, f), 'utf8'))
      .join('');
    expect(log).toContain('"event":"fetch.finished"');
    for (const item of items) for (const name of item.applicants) expect(log).not.toContain(name);
    expect(log).not.toContain('Musterstadt');

    // an existing file is refused and kept; --force replaces it
    const before = readFileSync(out);
    const again = await postfach(['abnahme', String(test.id), '--store', dbPath, '--out', out], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('Die Datei (--out) gibt es schon. Sie wird nicht überschrieben; bitte einen anderen Namen wählen oder sie mit --force ersetzen.');
    expect(readFileSync(out).equals(before)).toBe(true);
    const forced = await postfach(['abnahme', String(test.id), '--store', dbPath, '--out', out, '--force'], env);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(out).equals(before)).toBe(false);
    expect(pdfText(out)).toContain('Abnahmeprotokoll – Testantrag');
    expect(readdirSync(root).filter((f) => f.startsWith('abnahme.pdf'))).toEqual(['abnahme.pdf']);

    // the export is in the audit log
    const shown = JSON.parse((await postfach(['show', String(test.id), '--store', dbPath, '--json'], env)).stdout) as { times: { exportedAt: string | null } };
    expect(shown.times.exportedAt).not.toBeNull();
  }, 120_000);

  it('embeds a screenshot taken elsewhere; refuses a real application', async () => {
    const test = items.find((i) => i.isTest) as MessageListItem;
    const out = path.join(root, 'abnahme-bild.pdf');
    const run = await postfach(['abnahme', test.messageId, '--store', dbPath, '--out', out, '--screenshot', path.resolve('resources/icons/postfach-256.png'), '--json'], env);
    expect(run.status, run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, screenshot: true });
    const images = spawnSync('pdfimages', ['-list', out], { encoding: 'utf8' }).stdout.trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(1);
    expect(pdfText(out).replace(/\s+/g, ' ')).toContain('Bildschirmfoto der Anzeige im Programm (Datei postfach-256.png)');

    const real = items.find((i) => !i.isTest) as MessageListItem;
    const refused = await postfach(['abnahme', String(real.id), '--store', dbPath, '--out', path.join(root, 'echt.pdf'), '--json'], env);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { kind: 'abnahme-not-test' } });
  }, 120_000);

  it('goes through the service: a message quarantined for the record is refused as in the desktop app', async () => {
    // the quarantine is the service's (heavy work, core/api): a command that wrote the record itself would not see it
    const test = items.find((i) => i.isTest) as MessageListItem;
    recordIncident(path.dirname(dbPath), 'memory', [{ operation: 'acceptance-record', messageId: test.messageId, storeId: test.id, startedAt: new Date().toISOString() }]);
    const out = path.join(root, 'abnahme-quarantaene.pdf');
    const refused = await postfach(['abnahme', String(test.id), '--store', dbPath, '--out', out, '--json'], env);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { kind: 'work-quarantined' } });
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
