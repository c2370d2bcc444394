/**
 * `postfach pki init` and `postfach pki show` through the built CLI (`node dist/cli/main.js`). `npm test` builds
 * first; when run alone and the build is missing or older than the sources, this file builds it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot, vectorPath, VECTOR_PIN } from '../helpers/shared.js';
import { fixture, fixturesDir, FIXTURE_PASSWORD } from './helpers.js';

const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function postfach(args: string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const root = mkdtempSync(path.join(tmpdir(), 'postfach-pki-cli-'));
const pkiDir = path.join(root, 'pki');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  ensureCliBuilt(['pki.js']);
}, 180_000);

describe('postfach pki init', () => {
  let init: Run;
  beforeAll(() => {
    init = postfach(['pki', 'init', '--dir', pkiDir, '--json']);
  }, 120_000);

  it('creates the test PKI and reports it (JSON)', () => {
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const report = JSON.parse(init.stdout) as {
      ok: boolean;
      dir: string;
      files: string[];
      certificates: Record<string, { subject: string; fingerprintSha256: string; keyBits: number }>;
    };
    expect(report.ok).toBe(true);
    expect(report.dir).toBe(pkiDir);
    expect(report.files.map((f) => path.basename(f)).sort()).toEqual([
      'ca.cer',
      'intermediary.cer',
      'intermediary.p12',
      'municipality.cer',
      'municipality.p12',
      'password',
      'sender.cer',
      'sender.p12',
    ]);
    expect(report.certificates.municipality?.subject).toBe('CN=Sozialamt Musterstadt,OU=Sozialamt,O=Stadt Musterstadt,L=Musterstadt,C=DE');
    expect(report.certificates.sender?.keyBits).toBe(3072);
    expect(statSync(path.join(pkiDir, 'municipality.p12')).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite without --force (exit 1, German reason on stderr)', () => {
    const again = postfach(['pki', 'init', '--dir', pkiDir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^Fehler: In diesem Ordner gibt es schon eine Test-PKI/);
    expect(again.stderr).toMatch(/--force/);
  });

  it('wrong usage exits 2', () => {
    expect(postfach(['pki', 'init']).status).toBe(2);
    expect(postfach(['pki', 'init', '--dir', path.join(root, 'x'), '--key-size', '2048']).status).toBe(2);
    expect(postfach(['pki', 'init', '--dir', path.join(root, 'x'), '--valid-days', 'viele']).status).toBe(2);
    expect(existsSync(path.join(root, 'x'))).toBe(false);
  });

  it('pki show opens the created p12 with the password file content and confirms the chain to ca.cer', () => {
    const password = readFileSync(path.join(pkiDir, 'password'), 'utf8').trim();
    const shown = postfach(
      ['pki', 'show', path.join(pkiDir, 'municipality.p12'), '--password-env', 'PKI_PASSWORD', '--ca', path.join(pkiDir, 'ca.cer'), '--role', 'both', '--json'],
      { PKI_PASSWORD: password },
    );
    expect(shown.status).toBe(0);
    const report = JSON.parse(shown.stdout) as { keys: { alias: string; certificate: { warnings: unknown[] }; trust: { status: string; revocation: string } }[] };
    expect(report.keys).toHaveLength(1);
    expect(report.keys[0]?.alias).toBe('municipality');
    expect(report.keys[0]?.trust.status).toBe('trusted');
    expect(report.keys[0]?.trust.revocation).toBe('not-checked');
    expect(report.keys[0]?.certificate.warnings).toEqual([]);
  });
});

describe('postfach pki show', () => {
  it('a .cer in German, without password', () => {
    const shown = postfach(['pki', 'show', vectorPath('certs/bob_cipher_4096.cer'), '--at', '2030-01-01T00:00:00Z']);
    expect(shown.status).toBe(0);
    expect(shown.stderr).toBe('');
    const out = shown.stdout;
    expect(out).toMatch(/^Datei: .*bob_cipher_4096\.cer\nArt: 1 Zertifikat\n/);
    expect(out).toContain('Inhaber:                CN=Bob Cipher 4096, OU=Testcertificate Governikus, O=Governikus KG, C=de');
    expect(out).toContain('Aussteller:             CN=Governikus CA 8:PN, OU=Governikus CA, O=Governikus KG, L=Bremen, C=DE');
    // office time (Europe/Berlin) with the zone stated, as every text that leaves the program
    expect(out).toContain('Gültig:                 04.06.2021, 14:34 Uhr (MESZ, UTC+02:00) bis 03.05.2036, 09:18 Uhr (MESZ, UTC+02:00)');
    expect(out).toContain('Schlüssel:              RSA, 4096 Bit');
    expect(out).toContain('digitale Signatur (digitalSignature), Schlüsselverschlüsselung (keyEncipherment), Datenverschlüsselung (dataEncipherment)');
    expect(out).toContain('Geeignet für:           Verschlüsselung, Signatur');
    expect(out).toMatch(/SHA-256-Fingerabdruck: {2}([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
    expect(out).toContain('Hinweise:               keine');
    expect(out).not.toContain('Vertrauen');
  });

  it('warnings in German: expiring soon, then expired', () => {
    const soon = postfach(['pki', 'show', vectorPath('certs/bob_cipher_4096.cer'), '--at', '2036-04-23T07:18:12Z']);
    expect(soon.stdout).toContain('Hinweise:               ! Das Zertifikat läuft in 10 Tagen ab (am 03.05.2036).');
    const expired = postfach(['pki', 'show', vectorPath('certs/bob_cipher_4096.cer'), '--at', '2037-01-01T00:00:00Z', '--json']);
    expect(expired.status).toBe(0);
    const report = JSON.parse(expired.stdout) as { certificates: { certificate: { warnings: { code: string }[] } }[] };
    expect(report.certificates[0]?.certificate.warnings.map((w) => w.code)).toEqual(['expired']);
  });

  it('a vector p12 with the PIN from the environment: key, alias, the two CA certificates, trust', () => {
    const shown = postfach(['pki', 'show', vectorPath('certs/bob_signature_4096.p12'), '--password-env', 'PIN', '--ca', vectorPath('certs/governikus_root_ca_3_pn.cer')], {
      PIN: VECTOR_PIN,
    });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Art: PKCS#12-Schlüsseldatei mit 1 Schlüssel und 2 weiteren Zertifikaten');
    expect(shown.stdout).toContain('Schlüssel 1 (Alias „bob signature 4096“)');
    expect(shown.stdout).toContain('Weiteres Zertifikat 2');
    expect(shown.stdout).toContain('Vertrauen:              Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft');
    // the PIN never appears in the output
    expect(shown.stdout + shown.stderr).not.toContain(VECTOR_PIN);
  });

  it('JSON for a keytool file with two keys', () => {
    const shown = postfach(['pki', 'show', path.join(fixturesDir, 'keytool-two-keys.p12'), '--password-env', 'PW', '--json'], { PW: FIXTURE_PASSWORD });
    expect(shown.status).toBe(0);
    const report = JSON.parse(shown.stdout) as {
      ok: boolean;
      format: string;
      keys: { alias: string; certificate: { suitableFor: { cipher: boolean; signature: boolean }; key: { bits: number } } }[];
    };
    expect(report.ok).toBe(true);
    expect(report.format).toBe('pkcs12');
    expect(Object.fromEntries(report.keys.map((k) => [k.alias, k.certificate.suitableFor]))).toEqual({
      verschluesselung: { cipher: true, signature: false },
      signatur: { cipher: false, signature: true },
    });
    expect(report.keys[0]?.certificate.key.bits).toBe(3072);
  });

  it('wrong key usage for the role asked for', () => {
    const shown = postfach(['pki', 'show', path.join(fixturesDir, 'keytool-two-keys.p12'), '--password-env', 'PW', '--role', 'cipher'], { PW: FIXTURE_PASSWORD });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('! Der Schlüssel ist laut Zertifikat nicht für Verschlüsselung vorgesehen.');
  });

  it('errors: wrong password, damaged file, missing password or password variable, unreadable file — exit codes per README', () => {
    const wrong = postfach(['pki', 'show', path.join(fixturesDir, 'openssl3.p12'), '--password-env', 'PW'], { PW: 'falsch' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^Fehler: Das Passwort für die Schlüsseldatei ist falsch\.\n {2}Technische Angabe: /);
    expect(wrong.stdout).toBe('');

    const wrongJson = postfach(['pki', 'show', path.join(fixturesDir, 'openssl3.p12'), '--password-env', 'PW', '--json'], { PW: 'falsch' });
    expect(wrongJson.status).toBe(1);
    expect(JSON.parse(wrongJson.stdout)).toMatchObject({ ok: false, error: { kind: 'pkcs12-wrong-password' } });

    const truncatedFile = path.join(root, 'abgeschnitten.p12');
    writeFileSync(truncatedFile, fixture('openssl3.p12').subarray(0, 700));
    const truncated = postfach(['pki', 'show', truncatedFile, '--password-env', 'PW', '--json'], { PW: FIXTURE_PASSWORD });
    expect(truncated.status).toBe(1);
    expect(JSON.parse(truncated.stdout)).toMatchObject({ ok: false, error: { kind: 'pkcs12-corrupt' } });

    const noPassword = postfach(['pki', 'show', path.join(fixturesDir, 'openssl3.p12')]);
    expect(noPassword.status).toBe(2);
    expect(noPassword.stderr).toMatch(/--password-env/);

    // a named variable that is not set (or empty) is wrong usage, like a missing --password-env
    const unset = postfach(['pki', 'show', path.join(fixturesDir, 'openssl3.p12'), '--password-env', 'POSTFACH_TEST_UNSET']);
    expect(unset.status).toBe(2);
    expect(unset.stderr).toMatch(/^Fehler: Kein Passwort: Die Umgebungsvariable POSTFACH_TEST_UNSET ist nicht gesetzt\./);
    const empty = postfach(['pki', 'show', path.join(fixturesDir, 'openssl3.p12'), '--password-env', 'POSTFACH_TEST_EMPTY', '--json'], { POSTFACH_TEST_EMPTY: '' });
    expect(empty.status).toBe(2);
    expect(JSON.parse(empty.stdout)).toMatchObject({ ok: false, error: { kind: 'password-missing' } });

    const missing = postfach(['pki', 'show', path.join(root, 'gibt-es-nicht.cer')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^Fehler: Eine angegebene Datei kann nicht gelesen werden\./);
    expect(missing.stderr).toMatch(/ENOENT reading gibt-es-nicht\.cer/);
    const missingCa = postfach(['pki', 'show', vectorPath('certs/bob_cipher_4096.cer'), '--ca', path.join(root, 'keine-ca.cer')]);
    expect(missingCa.status).toBe(1);
    expect(missingCa.stderr).toMatch(/ENOENT reading keine-ca\.cer/);
  });
});
