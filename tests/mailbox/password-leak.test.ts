/**
 * The p12 password the user types ends up in no file: `postfach fetch` runs (as its own process, TMPDIR pointed at a
 * fresh folder) once with a key file protected by a distinctive password and once with a wrong one; afterwards no
 * file under the store folder (database, key file, blobs, workspace.json, logs/) nor under the child's TMPDIR holds
 * either password, as UTF-8 or as UTF-16LE, and neither is printed. The text summary writes seconds the German
 * way (decimal comma). A password variable that is not set is wrong usage (exit code 2).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPkcs12 } from '../../core/pki/certificate-builder.js';
import { loadCertificate, loadPkcs12 } from '../../core/pki/pkcs12.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { createStore, ensureBuilt, pkiPassword, postfach, send, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir, type Run } from './helpers.js';

/** Distinctive, with characters whose UTF-8 and UTF-16LE forms differ from Latin-1 (umlaut, ß, §). */
const PASSWORD = 'Zaunkönig-Geheimnis-§7Qx-Straße-2026';
const WRONG = 'Rotkehlchen-Irrtum-ß4Wv-Größe-2026';

const root = tempDir('postfach-mailbox-pwleak-');
const storeDir = path.join(root, 'store');
const dbPath = path.join(storeDir, 'postfach.db');
const childTmp = path.join(root, 'child-tmp');
const keyFile = path.join(root, 'kommune.p12');
let pkiDir = '';
let intermediary: RunningIntermediary | undefined;
let good: Run;
let wrong: Run;

function fetchWith(password: string | undefined, extraEnv: Record<string, string> = {}): Promise<Run> {
  const f = testPkiFiles(pkiDir);
  return postfach(
    [
      'fetch',
      '--store',
      dbPath,
      '--intermediary',
      intermediary!.url,
      '--intermediary-cert',
      f.intermediary.cer,
      '--p12',
      keyFile,
      '--password-env',
      'LEAK_TEST_P12_PASSWORD',
      '--trusted-ca',
      f.ca,
    ],
    { LEAK_TEST_P12_PASSWORD: password, POSTFACH_STORE_PASSWORD: STORE_PASSWORD, TMPDIR: childTmp, ...extraEnv },
    60_000,
  );
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  const f = testPkiFiles(pkiDir);
  // the municipality's key again, protected by the distinctive password
  const municipality = loadPkcs12(readFileSync(f.municipality.p12), pkiPassword(pkiDir)).keys[0]!;
  writeFileSync(keyFile, createPkcs12(municipality.privateKey, municipality.certificate, PASSWORD, { alias: 'kommune', chain: [loadCertificate(readFileSync(f.ca))] }), {
    mode: 0o600,
  });
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  await send(intermediary.url, pkiDir, { count: 1, seed: 'passwort-leck' });
  mkdirSync(storeDir, { recursive: true });
  mkdirSync(childTmp, { recursive: true });
  await createStore(dbPath);
  good = await fetchWith(PASSWORD);
  wrong = await fetchWith(WRONG);
}, 120_000);

afterAll(async () => {
  await intermediary?.close();
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const needles = [PASSWORD, WRONG].flatMap((p, i) => {
  const which = i === 0 ? 'password' : 'wrong password';
  return [
    { what: `${which} (UTF-8)`, bytes: Buffer.from(p, 'utf8') },
    { what: `${which} (UTF-16LE)`, bytes: Buffer.from(p, 'utf16le') },
    // a distinctive part alone, in case a line was cut or escaped around it
    { what: `${which} part (UTF-8)`, bytes: Buffer.from(p.split('-')[2]!, 'utf8') },
    { what: `${which} part (UTF-16LE)`, bytes: Buffer.from(p.split('-')[2]!, 'utf16le') },
  ];
});

describe('a p12 password typed by the user ends up in no file', () => {
  it('fetch with the right password stores the deliveries; with a wrong one it fails as pkcs12-wrong-password', () => {
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Neu gespeichert: +1\n/);
    expect(wrong.status, wrong.stderr).toBe(1);
    expect(wrong.stderr).toContain('Das Passwort für die Schlüsseldatei ist falsch.');
  });

  it('the fetch summary writes seconds with a decimal comma', () => {
    expect(good.stdout).toMatch(/Empfangen: +[\d,]+ (Byte|KB|MB) in \d+,\d s\n/);
    expect(good.stdout).not.toMatch(/ in \d+\.\d s/);
  });

  it('no file under the store folder, its logs/ or the child TMPDIR holds either password (UTF-8, UTF-16LE); nothing printed holds it', () => {
    const files = [...filesUnder(storeDir), ...filesUnder(childTmp)];
    // the scan covers what the fetch wrote: the database, its key file, blobs and the technical log
    expect(files).toContain(dbPath);
    expect(files.some((f) => f.endsWith('.blob'))).toBe(true);
    const logs = files.filter((f) => path.dirname(f) === path.join(storeDir, 'logs'));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.reduce((n, f) => n + statSync(f).size, 0)).toBeGreaterThan(0);
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const n of needles) if (bytes.includes(n.bytes)) found.push(`${n.what} in ${path.relative(root, file)}`);
    }
    for (const [name, run] of [
      ['right', good],
      ['wrong', wrong],
    ] as const) {
      for (const [stream, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
      ] as const) {
        for (const n of needles) if (Buffer.from(text, 'utf8').includes(n.bytes)) found.push(`${n.what} on ${stream} of the ${name} run`);
      }
    }
    expect(found).toEqual([]);
    // the needles do find a password where it is: the test would see a leak
    const probe = path.join(root, 'probe.log');
    writeFileSync(probe, Buffer.concat([Buffer.from('{"x":"'), Buffer.from(PASSWORD, 'utf16le'), Buffer.from('"}')]));
    expect(needles.some((n) => readFileSync(probe).includes(n.bytes))).toBe(true);
  });

  it('a password variable that is not set is wrong usage: exit code 2, German message naming the variable', async () => {
    const unset = await fetchWith(undefined);
    expect(unset.status).toBe(2);
    expect(unset.stderr).toContain('Die Umgebungsvariable LEAK_TEST_P12_PASSWORD ist nicht gesetzt');
  });
});
