/**
 * The main path through the real command-line processes: `pki init` → `intermediary` → `send --count 20` →
 * `fetch` stores 20 → a second `fetch` stores 0 → `list --json` shows 20 with applicant, benefit, Eingang
 * (Creation) and signature status → `show --raw` and `export --xml` give the delivered content byte for byte;
 * `show` is in the audit log as "geöffnet". Then a `strings`-style scan over every file of the store folder finds
 * no applicant name, no IBAN, no piece of a delivered document and no evidence bytes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from '../../core/store/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { cli, ensureBuilt, fetchArgs as municipalityFetchArgs, openStore, pkiPassword, postfach, STORE_PASSWORD, tempDir } from './helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface SentJson {
  readonly messageId: string;
  readonly seed: string;
  readonly sentAt: string;
  readonly content: { readonly length: number; readonly sha256: string };
  readonly attachments: ReadonlyArray<{ readonly contentId: string; readonly sha256: string }>;
  readonly creation: string;
}

const root = tempDir('postfach-mailbox-cli-');
const pkiDir = path.join(root, 'pki');
const storeDir = path.join(root, 'store');
const dbPath = path.join(storeDir, 'postfach.db');
const exportDir = path.join(root, 'exports');
let intermediary: ChildProcess | undefined;
let url = '';
let sent: SentJson[] = [];
/** The applications as the generator makes them again from their seeds and moments of sending: names, IBANs, XML. */
const generated = new Map<string, Awaited<ReturnType<typeof generateApplication>>>();
const env = () => ({ TEST_P12_PASSWORD: pkiPassword(pkiDir), POSTFACH_STORE_PASSWORD: STORE_PASSWORD });
const fetchArgs = () => municipalityFetchArgs(dbPath, url, pkiDir);

beforeAll(async () => {
  ensureBuilt();
  const init = await postfach(['pki', 'init', '--dir', pkiDir, '--json']);
  expect(init.status).toBe(0);
  intermediary = spawn(process.execPath, [cli, 'intermediary', '--port', '0', '--data', path.join(root, 'intermediary'), '--pki', pkiDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    intermediary!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/osci/.exec(out);
      if (m) resolve(m[0]);
    });
    intermediary!.on('exit', (code) => reject(new Error(`intermediary exited with ${code}`)));
  });
  // two of the twenty carry evidence files as OSCI attachments
  const plain = await postfach(['send', '--intermediary', url, '--pki', pkiDir, '--count', '18', '--seed', 'rundreise', '--json']);
  const withAttachments = await postfach([
    'send',
    '--intermediary',
    url,
    '--pki',
    pkiDir,
    '--count',
    '2',
    '--seed',
    'anlagen',
    '--service',
    'grusi',
    '--attachments',
    '2',
    '--attachment-size',
    '40000',
    '--json',
  ]);
  expect([plain.status, withAttachments.status]).toEqual([0, 0]);
  sent = [...(JSON.parse(plain.stdout) as { sent: SentJson[] }).sent, ...(JSON.parse(withAttachments.stdout) as { sent: SentJson[] }).sent];
  // the same seed and moment of sending give the same bytes
  for (const s of sent) generated.set(s.messageId, await generateApplication({ service: s.attachments.length > 0 ? 'grusi' : 'hzl', seed: s.seed, sentAt: new Date(s.sentAt) }));
}, 240_000);

afterAll(async () => {
  if (intermediary && intermediary.exitCode === null) {
    const ended = new Promise((r) => intermediary!.once('exit', r));
    intermediary.kill('SIGTERM');
    await ended;
  }
});

describe('postfach fetch, list, show, export (real processes)', () => {
  it('fetch stores the 20 deliveries (the store is created, its recovery key shown once), a second fetch stores none', async () => {
    expect(sent).toHaveLength(20);
    const first = await postfach([...fetchArgs(), '--json'], env());
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout) as { ok: boolean; outcome: string; newMessages: number; duplicates: number; unreadable: number; receiptsRecorded: number };
    expect(result).toMatchObject({ ok: true, outcome: 'complete', newMessages: 20, duplicates: 0, unreadable: 0, receiptsRecorded: 20 });
    expect(first.stderr).toContain('WIEDERHERSTELLUNGSSCHLÜSSEL');
    expect(first.stderr).toMatch(/[0-9A-Z]{6}(-[0-9A-Z]{6}){7}/);

    const second = await postfach([...fetchArgs(), '--json'], env());
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ outcome: 'complete', newMessages: 0, duplicates: 0 });
    expect(second.stderr).not.toContain('WIEDERHERSTELLUNGSSCHLÜSSEL');
  }, 180_000);

  it('list --json shows the 20 with applicant, benefit, Eingang (the Creation stamp) and signature status', async () => {
    const run = await postfach(['list', '--store', dbPath, '--json'], env());
    expect(run.status).toBe(0);
    const items = JSON.parse(run.stdout) as Array<{
      id: number;
      messageId: string;
      applicant: string;
      applicants: string[];
      benefit: { code: string; text: string };
      eingang: string;
      eingangKnown: boolean;
      signatureStatus: string;
    }>;
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.messageId))).toEqual(new Set(sent.map((s) => s.messageId)));
    for (const item of items) {
      const s = sent.find((x) => x.messageId === item.messageId)!;
      const app = generated.get(s.messageId)!;
      expect(item.applicants).toEqual([...app.facts.applicants]);
      expect(item.applicant).toBe(app.facts.applicants[0]);
      expect(item.benefit.text).toBe(app.facts.product);
      // postfach send dates each application by its own clock: created shortly before its Eingang, never after
      expect(Math.abs(new Date(s.sentAt).getTime() - new Date(s.creation).getTime())).toBeLessThan(10 * 60_000);
      expect(new Date(app.facts.createdAt).getTime()).toBeLessThanOrEqual(new Date(s.creation).getTime());
      expect(new Date(item.eingang).toISOString()).toBe(new Date(s.creation).toISOString());
      expect(item.eingangKnown).toBe(true);
      expect(item.signatureStatus).toBe('trusted');
    }
    const human = await postfach(['list', '--store', dbPath], env());
    expect(human.stdout).toContain('20 Nachricht(en)');
    // the list's signature column in the catalog's words (core/domain/words), as the UI's reading pane says it
    expect(human.stdout).toContain('Signatur gültig, Zertifikat vertrauenswürdig');
  }, 120_000);

  it('show --raw (by store id and by OSCI message id) and export --xml give the delivered content byte for byte', async () => {
    const list = JSON.parse((await postfach(['list', '--store', dbPath, '--json'], env())).stdout) as Array<{ id: number; messageId: string }>;
    for (const [n, item] of [list[0]!, list[7]!, list[19]!].entries()) {
      const s = sent.find((x) => x.messageId === item.messageId)!;
      const raw = await postfach(['show', n === 1 ? item.messageId : String(item.id), '--store', dbPath, '--raw'], env());
      expect(raw.status).toBe(0);
      expect(raw.stdoutBytes.length).toBe(s.content.length);
      expect(sha256(raw.stdoutBytes)).toBe(s.content.sha256);
      const target = path.join(exportDir, `${item.id}.xml`);
      const exported = await postfach(['export', String(item.id), '--store', dbPath, '--xml', target], env());
      expect(exported.status).toBe(0);
      expect(sha256(readFileSync(target))).toBe(s.content.sha256);
    }
    // the readable form names the Laufzettel and the signature result in words
    const shown = await postfach(['show', String(list[0]!.id), '--store', dbPath], env());
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Eingang (beim Intermediär)');
    expect(shown.stdout).toContain('Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft');
    // the intermediary's inspection report: a long subject is cut visibly (…), never to a misleading "L="
    expect(shown.stdout).toContain('Prüfbericht des Intermediärs');
    expect(shown.stdout).toMatch(/CN=Sozialamt Musterstadt,[^\n]*…: +laut Intermediär gültig/);
    expect(shown.stdout).not.toMatch(/L=: /);
    const store = await openStore(dbPath);
    const opened = store.auditEntries({ limit: 10_000 }).filter((e) => e.action === 'opened');
    store.close();
    expect(opened.map((e) => e.deliveryId)).toContain(list[0]!.id);
  }, 120_000);

  it('export writes PDF, attachments and Eingangsbestätigung; the evidence files come out unchanged', async () => {
    const list = JSON.parse((await postfach(['list', '--store', dbPath, '--json'], env())).stdout) as Array<{ id: number; messageId: string; attachmentCount: number }>;
    const item = list.find((i) => i.attachmentCount === 2)!;
    const s = sent.find((x) => x.messageId === item.messageId)!;
    const dir = path.join(exportDir, 'anlagen');
    const run = await postfach(
      ['export', String(item.id), '--store', dbPath, '--pdf', path.join(exportDir, 'a.pdf'), '--attachments', dir, '--receipt', path.join(exportDir, 'eingang.pdf'), '--json'],
      env(),
    );
    expect(run.status).toBe(0);
    const files = (JSON.parse(run.stdout) as { files: Array<{ format: string; path: string; sha256?: string }> }).files;
    expect(readFileSync(path.join(exportDir, 'a.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(path.join(exportDir, 'eingang.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const exported = new Set(files.filter((f) => f.format === 'attachments').map((f) => sha256(readFileSync(f.path))));
    for (const a of s.attachments) expect(exported.has(a.sha256)).toBe(true);
  }, 120_000);

  it('no file of the store folder holds an applicant name, an IBAN, a piece of a document or evidence bytes', async () => {
    const needles: Array<{ what: string; bytes: Buffer }> = [];
    for (const s of sent) {
      const app = generated.get(s.messageId)!;
      const xml = app.bytes();
      expect(sha256(xml)).toBe(s.content.sha256);
      for (const name of [...app.facts.persons, ...app.facts.thirdParties]) {
        needles.push({ what: 'name', bytes: Buffer.from(name, 'utf8') });
        needles.push({ what: 'folded name', bytes: Buffer.from(foldForSearch(name), 'utf8') });
        for (const part of name.split(/\s+/).filter((p) => p.length >= 6)) needles.push({ what: 'name part', bytes: Buffer.from(part, 'utf8') });
      }
      for (const iban of app.facts.ibans) needles.push({ what: 'IBAN', bytes: Buffer.from(iban, 'utf8') });
      for (const at of [0.1, 0.3, 0.5, 0.7, 0.9]) {
        const start = Math.floor(xml.length * at);
        needles.push({ what: 'document text', bytes: xml.subarray(start, start + 40) });
      }
    }
    for (const f of readdirSync(path.join(exportDir, 'anlagen'))) {
      const bytes = readFileSync(path.join(exportDir, 'anlagen', f));
      needles.push({ what: `evidence ${f}`, bytes: bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 48) });
    }
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(storeDir);
    expect(files.some((f) => f.endsWith('.blob'))).toBe(true);
    expect(files.reduce((n, f) => n + statSync(f).size, 0)).toBeGreaterThan(1_000_000);
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const n of needles) if (n.bytes.length >= 6 && bytes.includes(n.bytes)) found.push(`${n.what} in ${path.basename(file)}`);
    }
    expect(found).toEqual([]);
  }, 120_000);
});
