/**
 * The settings on the command line: `postfach config` shows each value with its source and lock and reports a broken
 * machine file (exit code 3, German message and detail); every mailbox command warns about it on stderr and works
 * with the valid rest.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStore, ensureBuilt, postfach, STORE_PASSWORD, tempDir } from '../mailbox/helpers.js';

const root = tempDir('postfach-config-cli-');

beforeAll(() => ensureBuilt(), 600_000);

describe('postfach config', () => {
  it('shows values, sources and locks; a broken value is reported and the rest applies', async () => {
    const file = path.join(root, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        settings: { fetchIntervalMinutes: 30, language: 'fr', proxyMode: 'fixed', proxyUrl: 'http://svc:geheim@proxy.kommune.local:3128' },
        defaults: { retentionTrashDays: 14 },
      }),
    );
    const run = await postfach(['config', '--json'], { POSTFACH_MACHINE_CONFIG: file });
    expect(run.status).toBe(3);
    const out = JSON.parse(run.stdout) as {
      ok: boolean;
      settings: Array<{ key: string; value: unknown; source: string; locked: boolean }>;
      problems: Array<{ message: string; detail: string; setting: string }>;
    };
    const setting = (key: string) => out.settings.find((s) => s.key === key);
    expect(setting('fetchIntervalMinutes')).toEqual({ key: 'fetchIntervalMinutes', value: 30, source: 'machine', locked: true });
    expect(setting('retentionTrashDays')).toEqual({ key: 'retentionTrashDays', value: 14, source: 'machine-default', locked: false });
    expect(setting('language')).toMatchObject({ value: 'de', source: 'default' });
    // the proxy password is not shown
    expect(setting('proxyUrl')?.value).toBe('http://svc:***@proxy.kommune.local:3128');
    expect(run.stdout).not.toContain('geheim');
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ setting: 'language' });
    expect(out.problems[0]?.message).toMatch(/^Fehler in der Konfigurationsdatei des PCs: Der Wert für „Sprache der Oberfläche“ ist ungültig/);

    const text = await postfach(['config'], { POSTFACH_MACHINE_CONFIG: file });
    expect(text.stdout).toMatch(/Abrufintervall \(Minuten\)\s+30\s+Konfigurationsdatei \(fest\) · gesperrt \(von Ihrer IT festgelegt \(Konfigurationsdatei des PCs\)\)/);
    expect(text.stderr).toMatch(/^Warnung: Fehler in der Konfigurationsdatei des PCs/);
  }, 60_000);

  it('mailbox commands warn about a broken machine file on stderr and still work', async () => {
    const file = path.join(root, 'kaputt.json');
    writeFileSync(file, '{ "settings": { ');
    const dbPath = path.join(root, 'store', 'postfach.db');
    await createStore(dbPath);
    const run = await postfach(['list', '--store', dbPath, '--json'], { POSTFACH_MACHINE_CONFIG: file, POSTFACH_STORE_PASSWORD: STORE_PASSWORD });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toMatch(/Warnung: Fehler in der Konfigurationsdatei des PCs: Die Datei ist kein gültiges JSON/);
    const rotate = await postfach(['rotate', '--store', dbPath, '--status'], { POSTFACH_MACHINE_CONFIG: path.join(root, 'keine.json'), POSTFACH_STORE_PASSWORD: STORE_PASSWORD });
    expect(rotate.status, rotate.stderr).toBe(0);
    expect(rotate.stdout).toMatch(/^Zertifikatswechsel: kein Zertifikatswechsel begonnen/);
  }, 60_000);
});
