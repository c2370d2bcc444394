/**
 * Certificates over their lifetime on the command line, against the real local intermediary: a test PKI made by
 * `postfach pki init --valid-days 20` gives a mailbox certificate that expires soon, and `postfach fetch` warns
 * about it; `postfach rotate` begins the change with a new key (interrupted: the intermediary is down, exit code 3,
 * the interruption said in words), continues it once the intermediary is back, and shows the new key's warnings
 * (2048 bit: below the recommended 3000); `postfach rotate --status` then says when the last change was completed
 * and which certificate it replaced.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityRecord } from '../../core/mailbox/identity.js';
import { createPkcs12, issueCertificate } from '../../core/pki/index.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { loadIntermediaryKeys, startIntermediary, type RunningIntermediary } from '../../intermediary/index.js';
import { createStore, ensureBuilt, openStore, postfach, send, STORE_PASSWORD, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { identityFor } from './mailbox-helpers.js';

const root = tempDir('postfach-ops-rotate-cli-');
const pkiDir = path.join(root, 'pki-kurz');
const imDir = path.join(root, 'im');
const dbPath = path.join(root, 'postfach.db');
const NEW_PASSWORD = 'Folgezertifikat-2027';
const DAY_MS = 86_400_000;
let intermediary: RunningIntermediary;
let newP12 = '';
let newCert: X509Certificate;
const env = (extra: Record<string, string> = {}) => ({ POSTFACH_STORE_PASSWORD: STORE_PASSWORD, POSTFACH_MACHINE_CONFIG: path.join(root, 'keine-vorgabe.json'), ...extra });
const short = (fingerprint: string) => `${fingerprint.split(':').slice(0, 8).join(':')}…`;

beforeAll(async () => {
  ensureBuilt();
  const init = await postfach(['pki', 'init', '--dir', pkiDir, '--valid-days', '20']);
  expect(init.status, init.stderr).toBe(0);
  intermediary = await startTestIntermediary(pkiDir, imDir);
  // the follow-up key: self-signed (allowed unless IT refuses it), RSA 2048 (allowed, but below the recommended 3000)
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  newCert = issueCertificate({
    subject: [
      { type: 'C', value: 'DE' },
      { type: 'CN', value: 'Sozialamt Kurzstadt 2027' },
    ],
    publicKey,
    selfSigningKey: privateKey,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 700 * DAY_MS),
    keyUsage: ['digitalSignature', 'keyEncipherment'],
  });
  newP12 = path.join(root, 'neu.p12');
  writeFileSync(newP12, createPkcs12(privateKey, newCert, NEW_PASSWORD));
  await createStore(dbPath);
  const store = await openStore(dbPath);
  store.saveMailboxIdentity(identityRecord(identityFor(pkiDir, intermediary.url)));
  store.close();
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('postfach fetch and rotate over a certificate’s lifetime', () => {
  it('fetch warns that the mailbox certificate expires in N days', async () => {
    await send(intermediary.url, pkiDir, { count: 1, seed: 'kurz-1' });
    const validTo = new Date(new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer)).validTo);
    const days = Math.ceil((validTo.getTime() - Date.now()) / DAY_MS);
    expect(days).toBe(20);
    const run = await postfach(['fetch', '--store', dbPath], env());
    expect(run.status, run.stderr).toBe(0);
    // the day in the office's time zone (Europe/Berlin), not UTC's: they differ after 23:00 UTC
    const dateDe = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' }).format(validTo);
    expect(run.stderr).toContain(`WARNUNG: Das Zertifikat des Postfachs läuft in ${days} Tagen ab (am ${dateDe}). Bitte rechtzeitig ein neues beantragen und einrichten.`);
    expect(run.stdout).toMatch(/Neu gespeichert: +1/);
  }, 120_000);

  it('rotate: begun while the intermediary is down (resumable), continued, then the status names the completed change', async () => {
    const oldFingerprint = new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer)).fingerprint256;
    await send(intermediary.url, pkiDir, { count: 2, seed: 'kurz-alt' });
    const port = new URL(intermediary.url).port;
    await intermediary.close();

    const begun = await postfach(['rotate', '--store', dbPath, '--p12', newP12, '--password-env', 'NEW_P12_PASSWORD'], env({ NEW_P12_PASSWORD: NEW_PASSWORD }));
    expect(begun.status, begun.stderr).toBe(3);
    expect(begun.stdout).toContain('Zertifikatswechsel: altes Postfach wird geleert (fortsetzbar)');
    expect(begun.stdout).toContain('[x] Neues Zertifikat einlesen');
    expect(begun.stdout).toContain('[ ] Altes Postfach leeren');
    expect(begun.stdout).toContain('zuletzt unterbrochen: Der Intermediär war nicht erreichbar. Der Wechsel wird beim nächsten Aufruf fortgesetzt (technische Angabe: network).');
    // the new key's warning, where the key file is chosen
    expect(begun.stdout).toMatch(/neu: {6}CN=Sozialamt Kurzstadt 2027.*\n {12}Hinweis: Der Schlüssel ist mit 2048 Bit zu kurz \(empfohlen: mindestens 3000 Bit, BSI TR-02102\)\./);
    // and the old one's: it expires soon
    expect(begun.stdout).toMatch(/in Kraft: .*\n {12}Hinweis: Das Zertifikat läuft in \d+ Tagen ab/);

    // the status of an unfinished drain exits with 3 too: "interrupted, run again"
    const status = await postfach(['rotate', '--store', dbPath, '--status'], env());
    expect(status.status, status.stderr).toBe(3);
    expect(status.stdout).toContain('altes Postfach wird geleert (fortsetzbar)');

    intermediary = await startIntermediary({ port: Number(port), dataDir: imDir, keys: loadIntermediaryKeys({ pkiDir }) });
    const continued = await postfach(['rotate', '--store', dbPath], env());
    expect(continued.status, continued.stderr).toBe(0);
    expect(continued.stdout).toMatch(/^Zertifikatswechsel: der letzte Wechsel wurde am \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d Uhr \(MES?Z, UTC\+0[12]:00\) abgeschlossen/);
    expect(continued.stdout).toMatch(/in Kraft: CN=Sozialamt Kurzstadt 2027/);

    const after = await postfach(['rotate', '--store', dbPath, '--status'], env());
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).not.toContain('kein Zertifikatswechsel begonnen');
    expect(after.stdout).toContain(`(abgelöst: SHA-256 ${short(oldFingerprint)}, seitdem in Kraft: SHA-256 ${short(newCert.fingerprint256)}); kein neuer Wechsel begonnen`);
    expect(after.stdout).toContain(`früheres Zertifikat (Schlüssel aufbewahrt): `);

    const json = JSON.parse((await postfach(['rotate', '--store', dbPath, '--status', '--json'], env())).stdout) as {
      state: string;
      lastCompleted: { at: string; retired: { fingerprintSha256: string } };
    };
    expect(json.state).toBe('none');
    expect(json.lastCompleted.retired.fingerprintSha256).toBe(oldFingerprint);
    expect(Date.now() - Date.parse(json.lastCompleted.at)).toBeLessThan(10 * 60_000);

    // all three deliveries for the old certificate are in the store
    const store = await openStore(dbPath);
    try {
      expect(store.list({ limit: 100 }).items).toHaveLength(3);
    } finally {
      store.close();
    }
  }, 180_000);
});
