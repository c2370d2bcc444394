/**
 * `postfach codelists import|list` (README "Code lists"): Genericode files go into the store through the same
 * contract as Settings; a broken one is refused in German and exits 3 while the good ones of the same call are
 * kept; `list` shows the shipped lists with their source, and with --store the imported ones with their version;
 * a message read afterwards names the code's text (the store's lists are the service's).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodeListRegistry, importedCodeList } from '../../core/xsozial/codelists.js';
import { createStore, ensureBuilt, openStore, postfach, STORE_PASSWORD, tempDir } from './helpers.js';

const fixture = (name: string) => path.resolve('tests/fixtures/codelists', name);
const env = { POSTFACH_STORE_PASSWORD: STORE_PASSWORD };

describe('postfach codelists', () => {
  const dir = tempDir('postfach-codelists-cli-');
  const dbPath = path.join(dir, 'postfach.db');
  beforeAll(async () => {
    ensureBuilt();
    await createStore(dbPath);
  });

  it('imports good files, refuses a broken one in German (exit 3), and lists both versions', async () => {
    const run = await postfach(['codelists', 'import', fixture('leistungsart_1.xml'), fixture('broken-no-version-uri.xml'), fixture('leistungsart_2.xml'), '--store', dbPath], env);
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('„Leistungsart (Testliste)“ (urn:beispiel:xsozial:codeliste:leistungsart), Version 1, 3 Codes – übernommen');
    expect(run.stdout).toContain('Version 2, 3 Codes – übernommen');
    expect(run.stderr).toContain('broken-no-version-uri.xml: Fehler: Die Datei ist keine gültige Codeliste im Genericode-Format');
    expect(run.stderr).toContain('Identification/CanonicalVersionUri missing');

    const again = await postfach(['codelists', 'import', fixture('leistungsart_1.xml'), '--store', dbPath, '--json'], env);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, files: [{ ok: true, result: 'unchanged' }] });

    const list = await postfach(['codelists', 'list', '--store', dbPath, '--json'], env);
    expect(list.status).toBe(0);
    const lists = (JSON.parse(list.stdout) as { lists: Array<{ listURI: string; listVersionID: string; origin: string }> }).lists;
    expect(lists.filter((l) => l.listURI === 'urn:beispiel:xsozial:codeliste:leistungsart').map((l) => [l.listVersionID, l.origin])).toEqual([
      ['2', 'imported'],
      ['1', 'imported'],
    ]);

    // the store keeps them, with an audit entry each time something changed
    const store = await openStore(dbPath);
    try {
      const registry = new CodeListRegistry(store.codeLists().map((l) => importedCodeList(l, l.fileName)));
      expect(registry.resolve('6070', 'urn:beispiel:xsozial:codeliste:leistungsart', '2', []).text).toBe('Gemeinschaftliche Mittagsverpflegung');
      expect(store.auditEntries().filter((e) => e.action === 'codelist-imported')).toHaveLength(2);
    } finally {
      store.close();
    }
  });

  it('lists the shipped lists with their source without a store', async () => {
    const run = await postfach(['codelists', 'list'], {});
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Geschlecht\n  urn:xoev-de:xinneres:codeliste:geschlecht  Version 1  4 Codes  mit dem Programm');
    expect(run.stdout).toContain('Quelle: XRepository: XInneres-Codeliste');
  });
});

describe('the policy folder of code lists (codeListFolder)', () => {
  it('takes over the folder when the store opens; a broken file is named and the others kept; a view then has the text', async () => {
    const { copyFileSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { startInProcessService } = await import('../../core/api/in-process-service.js');
    const { createApiClient } = await import('../../core/api/client.js');
    const { butApplication } = await import('../helpers/but-application.js');
    const { summarize } = await import('../../core/xsozial/index.js');
    const root = tempDir('postfach-codelist-folder-');
    const folder = path.join(root, 'Codelisten');
    mkdirSync(folder);
    for (const f of ['leistungsart_1.xml', 'beteiligung_1.xml', 'broken-duplicate-code.xml']) copyFileSync(fixture(f), path.join(folder, f));
    const machineFile = path.join(root, 'config.json');
    writeFileSync(machineFile, JSON.stringify({ settings: { codeListFolder: folder } }));
    const saved = process.env.POSTFACH_MACHINE_CONFIG;
    process.env.POSTFACH_MACHINE_CONFIG = machineFile;
    const dataDir = path.join(root, 'daten');
    const dbPath = path.join(dataDir, 'postfach.db');
    await createStore(dbPath);
    const store = await openStore(dbPath);
    const { xml } = butApplication();
    const summary = await summarize(xml);
    await store.saveDelivery({ messageId: 'but-1', content: xml, summary: { applicants: summary.applicants, applicantNames: summary.applicantNames } });
    store.close();
    const host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'cli' });
    try {
      const api = createApiClient(host.asBridge());
      await api.call('store.open', { unlock: { password: STORE_PASSWORD } });
      const listing = await api.call('codelists.list', {});
      expect(listing.folder.path).toBe(folder);
      expect(listing.folder.refused).toEqual([expect.objectContaining({ fileName: 'broken-duplicate-code.xml', kind: 'codelist-invalid' })]);
      expect(
        listing.lists
          .filter((l) => l.origin === 'folder')
          .map((l) => l.listURI)
          .sort(),
      ).toEqual(['urn:beispiel:xsozial:codeliste:beteiligung', 'urn:beispiel:xsozial:codeliste:leistungsart']);
      const detail = await api.call('messages.detail', { ref: { messageId: 'but-1' } });
      expect(detail.view?.cards.find((c) => c.id === 'dritte-1')?.title.de.normalize('NFC')).toBe('Beteiligte/r: Elternteil – Müller, Şükran');
      // the name order is the caseworker's setting, read for each view
      await api.call('settings.set', { familyNameFirst: false });
      const given = await api.call('messages.detail', { ref: { messageId: 'but-1' } });
      expect(given.view?.cards.find((c) => c.id === 'antragsteller-1')?.title.de.normalize('NFC')).toBe('Antragsteller/in: Mia Müller');
    } finally {
      await host.close();
      if (saved === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
      else process.env.POSTFACH_MACHINE_CONFIG = saved;
    }
  });
});
