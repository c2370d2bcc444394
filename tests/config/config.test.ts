/**
 * core/config: the three layers (policy through a fake registry reader, the machine file read for real from disk,
 * the user's settings), their precedence and locking, and every kind of broken input reported with a German
 * message and a detail — while the program goes on with the valid rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertUnlocked, loadConfig, lockReason } from '../../core/config/load-config.js';
import { machineFilePath } from '../../core/config/machine-file.js';
import { fakePolicySource, parseRegQuery, POLICY_KEY_FULL, registryPolicySource, type ExecFile } from '../../core/config/policy-source.js';
import { PostfachError } from '../../core/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'postfach-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtureCert = path.resolve('tests/fixtures/intermediary-pki/intermediary.cer');
const fixtureCa = path.resolve('tests/fixtures/intermediary-pki/ca.cer');

function machineFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('precedence and locking', () => {
  it('policy over machine file over user over machine defaults over built-in defaults; policy and machine file lock', async () => {
    const file = machineFile('layers.json', {
      settings: { fetchIntervalMinutes: 30, retentionTransferredDays: 10, intermediaryUrl: 'https://intermediaer.example.de/osci' },
      defaults: { language: 'en', retentionTrashDays: 7 },
    });
    const config = await loadConfig({
      policy: fakePolicySource({
        FetchIntervalMinutes: { type: 'REG_DWORD', data: 60 },
        TrainingModeOffered: { type: 'REG_DWORD', data: 0 },
        AllowedExportFolders: { type: 'REG_MULTI_SZ', data: ['/srv/akten', '/srv/export'] },
      }),
      machineFile: file,
      user: { fetchIntervalMinutes: 5, language: 'de' },
    });
    expect(config.problems).toEqual([]);
    expect(config.values.fetchIntervalMinutes).toBe(60);
    expect(config.state.fetchIntervalMinutes).toEqual({ source: 'policy', locked: true });
    expect(config.values.trainingModeOffered).toBe(false);
    expect(config.values.allowedExportFolders).toEqual(['/srv/akten', '/srv/export']);
    expect(config.values.retentionTransferredDays).toBe(10);
    expect(config.state.retentionTransferredDays).toEqual({ source: 'machine', locked: true });
    expect(config.values.intermediaryUrl).toBe('https://intermediaer.example.de/osci');
    // the user's language wins over the machine file's default; the default wins where the user has none
    expect(config.values.language).toBe('de');
    expect(config.state.language).toEqual({ source: 'user', locked: false });
    expect(config.values.retentionTrashDays).toBe(7);
    expect(config.state.retentionTrashDays).toEqual({ source: 'machine-default', locked: false });
    expect(config.values.proxyMode).toBe('system');
    expect(config.state.proxyMode).toEqual({ source: 'default', locked: false });
    expect(config.state.proxyUrl).toEqual({ source: 'none', locked: false });

    expect(lockReason(config, 'fetchIntervalMinutes')?.de).toBe('von Ihrer IT festgelegt (Gruppenrichtlinie)');
    expect(lockReason(config, 'retentionTransferredDays')?.de).toBe('von Ihrer IT festgelegt (Konfigurationsdatei des PCs)');
    expect(lockReason(config, 'language')).toBeUndefined();
    expect(() => assertUnlocked(config, 'fetchIntervalMinutes')).toThrow(/von Ihrer IT festgelegt/);
    try {
      assertUnlocked(config, 'fetchIntervalMinutes');
    } catch (error) {
      expect((error as PostfachError).kind).toBe('setting-locked');
    }
    expect(() => assertUnlocked(config, 'language')).not.toThrow();
  });

  it('without policy and machine file the user settings and defaults apply, nothing locked', async () => {
    const config = await loadConfig({ policy: fakePolicySource({}), machineFile: path.join(dir, 'absent.json'), user: { fetchIntervalMinutes: 0 } });
    expect(config.problems).toEqual([]);
    expect(config.values.fetchIntervalMinutes).toBe(0);
    expect(config.values.minimumKeyBits).toBe(2048);
    expect(Object.values(config.state).some((s) => s.locked)).toBe(false);
  });

  it('policy types: REG_SZ numbers and booleans accepted, paths expanded from the environment, certificate files read', async () => {
    const config = await loadConfig({
      policy: fakePolicySource({
        RetentionTrashDays: { type: 'REG_SZ', data: '90' },
        RefuseSelfSignedMailboxCertificates: { type: 'REG_SZ', data: 'true' },
        StoreFolder: { type: 'REG_EXPAND_SZ', data: '%POSTFACH_TEST_BASE%/daten' },
        IntermediaryCertificateFile: { type: 'REG_SZ', data: fixtureCert },
        TlsCaFiles: { type: 'REG_MULTI_SZ', data: [fixtureCa] },
      }),
      machineFile: null,
      env: { POSTFACH_TEST_BASE: '/var/lib/postfach' },
    });
    expect(config.problems).toEqual([]);
    expect(config.values.retentionTrashDays).toBe(90);
    expect(config.values.refuseSelfSignedMailboxCertificates).toBe(true);
    expect(config.values.storeFolder).toBe('/var/lib/postfach/daten');
    expect(config.values.intermediaryCertificateFile).toBe(fixtureCert);
    expect(config.values.tlsCaFiles).toEqual([fixtureCa]);
  });
});

describe('broken input is reported, never silently ignored, and the rest still applies', () => {
  it('a wrong policy value: German message and detail; the machine file value applies instead', async () => {
    const file = machineFile('fallback.json', { settings: { fetchIntervalMinutes: 20 } });
    const config = await loadConfig({
      policy: fakePolicySource({
        FetchIntervalMinutes: { type: 'REG_DWORD', data: 99_999 },
        Language: { type: 'REG_SZ', data: 'fr' },
        ProxyMode: { type: 'REG_DWORD', data: 1 },
        Bogus: { type: 'REG_SZ', data: 'x' },
        TrainingModeOffered: { type: 'REG_DWORD', data: 0 },
      }),
      machineFile: file,
    });
    expect(config.values.fetchIntervalMinutes).toBe(20);
    expect(config.state.fetchIntervalMinutes.source).toBe('machine');
    expect(config.values.language).toBe('de');
    expect(config.values.trainingModeOffered).toBe(false);
    const byDetail = (s: string) => config.problems.find((p) => p.detail.includes(s));
    expect(byDetail('FetchIntervalMinutes')?.text.de).toMatch(/^Fehler in der Gruppenrichtlinie: Der Wert für „Abrufintervall \(Minuten\)“ ist ungültig\./);
    expect(byDetail('FetchIntervalMinutes')?.detail).toMatch(/1440/);
    expect(byDetail('Language')?.setting).toBe('language');
    expect(byDetail('ProxyMode')?.text.de).toMatch(/falschen Typ/);
    expect(byDetail('Bogus')?.text.de).toMatch(/Unbekannter Richtlinienwert „Bogus“/);
    expect(config.problems).toHaveLength(4);
    for (const p of config.problems) expect(p.layer).toBe('policy');
  });

  it('a machine file that is not JSON: reported with line and column; policy and user still apply', async () => {
    const file = machineFile('broken.json', '{\n  "settings": {\n    "fetchIntervalMinutes": 30,\n  }\n}\n');
    const config = await loadConfig({ policy: fakePolicySource({ Language: { type: 'REG_SZ', data: 'en' } }), machineFile: file, user: { fetchIntervalMinutes: 45 } });
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]?.layer).toBe('machine-file');
    expect(config.problems[0]?.text.de).toBe(
      'Fehler in der Konfigurationsdatei des PCs: Die Datei ist kein gültiges JSON. Der Wert wird nicht verwendet; bitte die IT informieren.',
    );
    expect(config.problems[0]?.detail).toContain(file);
    expect(config.problems[0]?.detail).toMatch(/line 4, column/);
    expect(config.values.language).toBe('en');
    expect(config.values.fetchIntervalMinutes).toBe(45);
  });

  it('machine file: unknown keys, wrong values, relative paths, missing certificate files, fixed-only settings in defaults', async () => {
    const file = machineFile('wrong-values.json', {
      settings: {
        intermediaryUrl: 'ftp://intermediaer.example.de',
        allowedExportFolders: ['relativ/ordner'],
        intermediaryCertificateFile: path.join(dir, 'fehlt.cer'),
        tlsCaFiles: [fixtureCa],
        retentionTrashDays: -1,
        unbekannt: 1,
      },
      defaults: { proxyMode: 'direct' },
      extra: true,
    });
    const config = await loadConfig({ policy: fakePolicySource({}), machineFile: file });
    const kinds = config.problems.map((p) => p.text.de);
    expect(kinds).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Unbekannter Eintrag „extra“/),
        expect.stringMatching(/„Adresse des OSCI-Intermediärs“ ist ungültig/),
        expect.stringMatching(/„Erlaubte Exportordner“ muss ein vollständiger Pfad sein/),
        expect.stringMatching(/Zertifikatsdatei für „Verschlüsselungszertifikat des Intermediärs“ fehlt oder ist beschädigt/),
        expect.stringMatching(/„Aufbewahrung im Papierkorb \(Tage\)“ ist ungültig/),
        expect.stringMatching(/Unbekannte Einstellung „unbekannt“/),
        expect.stringMatching(/„Proxy-Modus“ kann nur fest vorgegeben werden/),
      ]),
    );
    expect(config.problems).toHaveLength(7);
    // the one valid value of the file applies
    expect(config.values.tlsCaFiles).toEqual([fixtureCa]);
    expect(config.values.intermediaryUrl).toBeUndefined();
    expect(config.values.allowedExportFolders).toEqual([]);
    expect(config.values.retentionTrashDays).toBe(30);
  });

  it('a proxy mode without its address is reported', async () => {
    const fixed = await loadConfig({ policy: fakePolicySource({ ProxyMode: { type: 'REG_SZ', data: 'fixed' } }), machineFile: null });
    expect(fixed.problems).toHaveLength(1);
    expect(fixed.problems[0]).toMatchObject({ layer: 'policy', setting: 'proxyMode' });
    expect(fixed.problems[0]?.text.de).toMatch(/^Fehler in der Gruppenrichtlinie: Zum Proxy-Modus „fixed“ fehlt „Fester Proxy“/);
    const pac = await loadConfig({ policy: fakePolicySource({}), machineFile: machineFile('pac-ohne-url.json', { settings: { proxyMode: 'pac' } }) });
    expect(pac.problems.map((p) => [p.layer, p.detail])).toEqual([['machine-file', 'proxyMode pac (machine) without proxyPacUrl']]);
    const complete = await loadConfig({
      policy: fakePolicySource({ ProxyMode: { type: 'REG_SZ', data: 'fixed' }, ProxyUrl: { type: 'REG_SZ', data: 'http://proxy.kommune.local:3128' } }),
      machineFile: null,
    });
    expect(complete.problems).toEqual([]);
  });

  it('the office time zone: Europe/Berlin by default, set by IT (locked), an unknown zone refused', async () => {
    const plain = await loadConfig({ policy: fakePolicySource({}), machineFile: null });
    expect(plain.values.officeTimeZone).toBe('Europe/Berlin');
    expect(plain.state.officeTimeZone).toEqual({ source: 'default', locked: false });
    const set = await loadConfig({ policy: fakePolicySource({ OfficeTimeZone: { type: 'REG_SZ', data: 'Europe/Vienna' } }), machineFile: null });
    expect(set.values.officeTimeZone).toBe('Europe/Vienna');
    expect(set.state.officeTimeZone.locked).toBe(true);
    const wrong = await loadConfig({ policy: fakePolicySource({}), machineFile: machineFile('zone.json', { settings: { officeTimeZone: 'Europa/Berlin' } }) });
    expect(wrong.values.officeTimeZone).toBe('Europe/Berlin');
    expect(wrong.problems.map((p) => [p.setting, p.text.de])).toEqual([['officeTimeZone', expect.stringContaining('„Zeitzone des Amtes“ ist ungültig')]]);
  });

  it('a certificate file that is no certificate is refused', async () => {
    const notCert = machineFile('kein-zertifikat.cer', 'das ist kein Zertifikat');
    const config = await loadConfig({ policy: fakePolicySource({ IntermediaryCertificateFile: { type: 'REG_SZ', data: notCert } }), machineFile: null });
    expect(config.values.intermediaryCertificateFile).toBeUndefined();
    expect(config.problems[0]?.detail).toMatch(/certificate-unreadable|kein-zertifikat/);
  });

  it('an unreadable policy (reg.exe failed) is reported and the program goes on', async () => {
    const config = await loadConfig({ policy: fakePolicySource({}, 'reg query exit 5: Zugriff verweigert'), machineFile: null });
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]?.text.de).toMatch(/Gruppenrichtlinie kann nicht gelesen werden/);
    expect(config.values.fetchIntervalMinutes).toBe(15);
  });

  it('user settings outside their range are reported too', async () => {
    const config = await loadConfig({ policy: fakePolicySource({}), machineFile: null, user: { fetchIntervalMinutes: 5000, proxyMode: 'direct' } });
    expect(config.values.fetchIntervalMinutes).toBe(15);
    expect(config.values.proxyMode).toBe('system');
    expect(config.problems.map((p) => p.layer)).toEqual(['user']);
  });
});

describe('the Windows registry reader (reg query), with a fake reg.exe', () => {
  const output = [
    '',
    POLICY_KEY_FULL,
    '    IntermediaryUrl    REG_SZ    https://intermediaer.example.de/osci-manager/osci',
    '    FetchIntervalMinutes    REG_DWORD    0x1e',
    '    AllowedExportFolders    REG_MULTI_SZ    D:\\Akten\\0E:\\Export Sozialamt',
    '    StoreFolder    REG_EXPAND_SZ    %LOCALAPPDATA%\\OSCI-Postfach',
    '    ProxyUrl    REG_SZ    ',
    '',
    `${POLICY_KEY_FULL}\\Unterschlüssel`,
    '',
  ].join('\r\n');

  it('parses values of every type', () => {
    const values = parseRegQuery(output);
    expect(values.get('IntermediaryUrl')).toEqual({ type: 'REG_SZ', data: 'https://intermediaer.example.de/osci-manager/osci' });
    expect(values.get('FetchIntervalMinutes')).toEqual({ type: 'REG_DWORD', data: 30 });
    expect(values.get('AllowedExportFolders')).toEqual({ type: 'REG_MULTI_SZ', data: ['D:\\Akten', 'E:\\Export Sozialamt'] });
    expect(values.get('StoreFolder')).toEqual({ type: 'REG_EXPAND_SZ', data: '%LOCALAPPDATA%\\OSCI-Postfach' });
    expect(values.get('ProxyUrl')).toEqual({ type: 'REG_SZ', data: '' });
    expect(values.size).toBe(5);
  });

  it('runs reg.exe query on the policy key in the 64-bit view; a missing key is no policy; failures are errors', async () => {
    const calls: string[][] = [];
    const exec =
      (result: Awaited<ReturnType<ExecFile>>): ExecFile =>
      async (file, args) => {
        calls.push([file, ...args]);
        return result;
      };
    const found = await registryPolicySource(exec({ code: 0, stdout: output, stderr: '' })).read();
    expect(calls[0]).toEqual(['reg.exe', 'query', POLICY_KEY_FULL, '/reg:64']);
    expect(found.values.size).toBe(5);
    expect(found.error).toBeUndefined();
    const missing = await registryPolicySource(exec({ code: 1, stdout: '', stderr: 'FEHLER: Der angegebene Registrierungsschlüssel wurde nicht gefunden.' })).read();
    expect(missing).toEqual({ values: new Map() });
    const denied = await registryPolicySource(exec({ code: 5, stdout: '', stderr: 'Zugriff verweigert' })).read();
    expect(denied.error).toMatch(/exit 5/);
    const noReg = await registryPolicySource(exec({ code: -1, stdout: '', stderr: '', spawnError: 'ENOENT' })).read();
    expect(noReg.error).toBe('reg.exe: ENOENT');

    // on Windows-shaped input the whole chain gives typed, validated values (paths judged as Windows paths)
    const config = await loadConfig({
      policy: registryPolicySource(exec({ code: 0, stdout: output, stderr: '' })),
      machineFile: null,
      platform: 'win32',
      env: { LOCALAPPDATA: 'C:\\Users\\sb1\\AppData\\Local' },
    });
    expect(config.values.fetchIntervalMinutes).toBe(30);
    expect(config.values.allowedExportFolders).toEqual(['D:\\Akten', 'E:\\Export Sozialamt']);
    expect(config.values.storeFolder).toBe('C:\\Users\\sb1\\AppData\\Local\\OSCI-Postfach');
    // the empty ProxyUrl is reported, not silently taken as "no proxy"
    expect(config.problems.map((p) => p.setting)).toEqual(['proxyUrl']);
  });
});

describe('where the machine file is', () => {
  it('per platform, and overridable', () => {
    expect(machineFilePath({ ProgramData: 'C:\\ProgramData' }, 'win32')).toBe('C:\\ProgramData\\OSCI-Postfach\\config.json');
    expect(machineFilePath({}, 'linux')).toBe('/etc/osci-postfach/config.json');
    expect(machineFilePath({}, 'darwin')).toBe('/Library/Application Support/OSCI-Postfach/config.json');
    expect(machineFilePath({ POSTFACH_MACHINE_CONFIG: '/tmp/x.json' }, 'win32')).toBe('/tmp/x.json');
  });
});
