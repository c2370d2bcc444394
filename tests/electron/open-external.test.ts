/**
 * "Im Standardprogramm öffnen" without Electron (electron/open-external.ts): the real service in a worker thread over
 * a real encrypted store holding a hostile application (a program, an HTA page, an Internet shortcut, a script, a
 * Windows shortcut, a real PDF named "Antrag<RLO>fdp.exe"). Only Electron's `shell.openPath` is replaced by a
 * recorder. Shown: a harmless document is written into a private folder (0700) under its content-derived name with
 * exactly its bytes and handed over, audited as exported; a document with active content is neither written nor
 * opened until accepted, and the findings name what it is — by content, whatever its name says; a failing open is
 * a clear error; the private folders go when the program ends, leftovers of an earlier run at the next start.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { startWorkerService } from '../../core/api/worker-service.js';
import { PostfachStore } from '../../core/store/index.js';
import { openDocumentExternally, PRIVATE_COPY_PREFIX, PrivateCopies, type ExternalOpening } from '../../electron/open-external.js';
import { EXE, HTA, hostileDelivery, pdfBytes, RLO } from '../helpers/hostile-application.js';
import { FAST_SCRYPT, STORE_PASSWORD } from '../mailbox/helpers.js';

const root = mkdtempSync(path.join(tmpdir(), 'postfach-open-external-'));
const dbPath = path.join(root, 'postfach.db');
const temp = path.join(root, 'temp');

describe('open a document in the system program (the shell side, without Electron)', () => {
  let host: ServiceHost;
  let api: PostfachApi;
  let copies: PrivateCopies;
  const opened: string[] = [];
  let openResult = '';
  let deps: ExternalOpening;
  type Doc = { name: string; ref: { source: 'inline'; ordinal: number } | { source: 'attachment'; attachmentId: number } };
  let documents: Doc[] = [];
  const byName = (name: string): Doc['ref'] => {
    const found = documents.find((d) => d.name === name);
    if (found === undefined) throw new Error(`no document ${name}`);
    return found.ref;
  };

  beforeAll(async () => {
    mkdirSync(temp);
    const { store } = await PostfachStore.create(dbPath, { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
    try {
      await store.saveDelivery((await hostileDelivery()).delivery);
    } finally {
      store.close();
    }
    host = await startWorkerService({ dataDir: path.join(root, 'data'), appVersion: '0.1.0-test', host: 'desktop' });
    api = createApiClient(host.asBridge());
    await api.call('store.open', { path: dbPath, unlock: { password: STORE_PASSWORD } });
    const detail = await api.call('messages.detail', { ref: { id: 1 } });
    documents = detail.documents.flatMap((d) => (d.ref.source === 'content' ? [] : [{ name: d.name, ref: d.ref }]));
    copies = new PrivateCopies(temp);
    deps = {
      api,
      privateFolder: () => copies.create(),
      openPath: async (file) => {
        opened.push(file);
        return openResult;
      },
    };
  }, 180_000);
  afterAll(async () => {
    await host?.close();
  });

  it('a real PDF (named like a program): no finding, a private copy under its content-derived name, handed over, audited', async () => {
    const ref = byName(`Antrag${RLO}fdp.exe`);
    expect((await api.call('messages.documentActiveContent', { id: 1, document: ref })).findings).toEqual([]);
    const before = (await api.call('audit.list', { deliveryId: 1 })).entries.filter((e) => e.action === 'exported').length;
    expect(await openDocumentExternally({ id: 1, document: ref, acceptActive: false }, deps)).toEqual({ opened: true, findings: [] });
    const file = opened.at(-1) as string;
    expect(path.basename(file)).toBe('Antrag⟨U+202E⟩fdp_exe.pdf');
    expect(readFileSync(file).equals(pdfBytes('rlo'))).toBe(true);
    const folder = path.dirname(file);
    expect(path.dirname(folder)).toBe(temp);
    expect(path.basename(folder).startsWith(PRIVATE_COPY_PREFIX)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect((await api.call('audit.list', { deliveryId: 1 })).entries.filter((e) => e.action === 'exported').length).toBe(before + 1);
  });

  it('a program called "Bescheid.pdf.exe" with a declared PDF type: warned as a program, nothing written until accepted', async () => {
    const ref = byName('Bescheid.pdf.exe');
    const count = opened.length;
    const folders = readdirSync(temp).length;
    const refused = await openDocumentExternally({ id: 1, document: ref, acceptActive: false }, deps);
    expect(refused.opened).toBe(false);
    expect(refused.findings).toEqual([{ code: 'executable' }]);
    expect(opened.length).toBe(count);
    expect(readdirSync(temp).length).toBe(folders);
    // accepted: the copy is the .bin the export writes (never .exe), with the program's bytes
    const accepted = await openDocumentExternally({ id: 1, document: ref, acceptActive: true }, deps);
    expect(accepted.opened).toBe(true);
    expect(path.basename(opened.at(-1) as string)).toBe('Bescheid_pdf_exe.bin');
    expect(readFileSync(opened.at(-1) as string).equals(EXE)).toBe(true);
  });

  it('names what each hostile document is, by its content', async () => {
    const codes = async (name: string) => (await api.call('messages.documentActiveContent', { id: 1, document: byName(name) })).findings.map((f) => f.code);
    expect(await codes('Nachweis.pdf.hta')).toEqual(['markup']);
    expect(await codes('Kontoauszug.pdf.url')).toEqual(['shortcut']);
    expect(await codes('Rechnung.js')).toEqual(['script']);
    expect(await codes(`Scan${RLO}fdp.lnk`)).toEqual(['shortcut']);
    expect(await codes('Mietvertrag.pdf')).toEqual([]);
    // the HTA page accepted: its bytes, as .bin
    const accepted = await openDocumentExternally({ id: 1, document: byName('Nachweis.pdf.hta'), acceptActive: true }, deps);
    expect(accepted.findings.map((f) => f.code)).toEqual(['markup']);
    expect(readFileSync(opened.at(-1) as string).equals(HTA)).toBe(true);
    expect(readFileSync(path.join(path.dirname(opened.at(-1) as string), 'Nachweis_pdf_hta.bin')).length).toBe(HTA.length);
  });

  it('the system cannot open it: a clear error, in German and English, without personal data', async () => {
    openResult = 'Failed to open path';
    try {
      await expect(openDocumentExternally({ id: 1, document: byName('Mietvertrag.pdf'), acceptActive: false }, deps)).rejects.toMatchObject({
        kind: 'open-external-failed',
        text: { de: expect.stringContaining('Standardprogramm') as string, en: expect.stringContaining('system’s program') as string },
        detail: 'shell.openPath failed: Failed to open path',
      });
    } finally {
      openResult = '';
    }
  });

  it('removes its private folders when the program ends, and the leftovers of an earlier run at the next start', async () => {
    const mine = readdirSync(temp).filter((n) => n.startsWith(PRIVATE_COPY_PREFIX));
    expect(mine.length).toBeGreaterThanOrEqual(3);
    const unrelated = path.join(temp, 'other-program.tmp');
    writeFileSync(unrelated, 'x');
    copies.removeAll();
    expect(readdirSync(temp).filter((n) => n.startsWith(PRIVATE_COPY_PREFIX))).toEqual([]);
    // a run that crashed left a copy behind
    const leftover = path.join(temp, `${PRIVATE_COPY_PREFIX}abc123`);
    mkdirSync(leftover);
    writeFileSync(path.join(leftover, 'Mietvertrag.pdf'), 'x');
    const next = new PrivateCopies(temp);
    const current = await next.create();
    await next.removeLeftovers();
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(current)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});
