/**
 * Helpers for the store tests: temporary folders, invented deliveries, a software key protector standing in for
 * Electron's safeStorage, and a byte scanner over a store folder (like `strings | grep`).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { PostfachStore, type CreateStoreOptions, type KeyProtector, type NewDelivery } from '../../core/store/index.js';
import { openEncryptedDatabase, type Db } from '../../core/store/database.js';
import { readKeyFile } from '../../core/store/key-file.js';
import { unlockDataKey, type StoreUnlock } from '../../core/store/keyring.js';
import { storePaths } from '../../core/store/paths.js';

/** Cheap scrypt for tests that are not about the password KDF (the KDF test uses the default). */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
export const PASSWORD = 'Sommer-Regen-2026!';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'postfach-store-'));
  dirs.push(d);
  return d;
}

export async function newStore(options: CreateStoreOptions = {}): Promise<{ store: PostfachStore; dbPath: string; recoveryKey: string; dir: string }> {
  const dir = tempDir();
  const dbPath = path.join(dir, 'postfach.db');
  const { store, recoveryKey } = await PostfachStore.create(dbPath, { password: PASSWORD, scrypt: FAST_SCRYPT, osUser: 'sachbearbeitung1', ...options });
  return { store, dbPath, recoveryKey, dir };
}

/** Invented applicants (DIN 91379 letters included). */
export const APPLICANTS = [
  'Musterfrau, Erika',
  'Öztürk, Ayşe',
  'Łukasiewicz, Jan',
  'Müller, Jürgen',
  'Nguyễn, Thị Hoa',
  'Groß, Sören',
  'Ødegård, Bjørn',
  'Đorđević, Milica',
  'Schäfer, Änne',
  'Beispiel, Max',
];

export const BENEFITS = [
  ['HZL', 'Hilfe zum Lebensunterhalt'],
  ['GRUSI', 'Grundsicherung im Alter und bei Erwerbsminderung'],
  ['BUT', 'Bildung und Teilhabe'],
  ['ASYLBLG', 'Asylbewerberleistungen'],
  ['WBS', 'Wohnberechtigungsschein'],
] as const;

export function contentXml(applicant: string, extra = ''): Buffer {
  const [family, given] = applicant.split(', ');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<antrag xmlns="urn:xsozial-basis:test"><person><familienname>${family}</familienname>` +
      `<vorname>${given}</vorname><anschrift>Hauptstraße 1, 12345 Musterstadt</anschrift></person>${extra}</antrag>`,
  );
}

export function delivery(i: number, overrides: Partial<NewDelivery> = {}): NewDelivery {
  const applicant = APPLICANTS[i % APPLICANTS.length] as string;
  const [code, text] = BENEFITS[i % BENEFITS.length] as readonly [string, string];
  return {
    messageId: `osci-msg-${String(i).padStart(5, '0')}-a1b2c3`,
    subject: `Antrag ${text}`,
    content: contentXml(applicant),
    contentType: 'application/xml',
    processCard: { creation: new Date(Date.UTC(2026, 10, 1, 8, 0, 0) + i * 3_600_000), forwarding: new Date(Date.UTC(2026, 10, 28)), inspectionReport: { ok: true } },
    signatureResult: { valid: true, signer: 'CN=Sozialplattform Test' },
    certificateResult: { status: 'trusted' },
    summary: { applicants: [applicant], benefitCode: code, benefitText: text, applicationDate: '2026-10-30', isTest: false, signatureStatus: 'gueltig' },
    fetchedAt: new Date(Date.UTC(2026, 10, 28, 9, 0, 0)),
    ...overrides,
  };
}

export { patternBytes } from './fixtures/pattern.js';

export async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A key protector with real AES-256-GCM under a key that lives in this object only (stands in for safeStorage). */
export function softwareProtector(id = 'safestorage:sachbearbeitung1'): KeyProtector & { readonly unwrapCalls: number } {
  const secret = randomBytes(32);
  let calls = 0;
  return {
    id,
    get unwrapCalls() {
      return calls;
    },
    wrap(key) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', secret, iv);
      return Buffer.concat([iv, c.update(key), c.final(), c.getAuthTag()]);
    },
    unwrap(blob) {
      calls++;
      const b = Buffer.from(blob);
      const d = createDecipheriv('aes-256-gcm', secret, b.subarray(0, 12));
      d.setAuthTag(b.subarray(b.length - 16));
      return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
    },
  };
}

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/**
 * Every (file, needle) where the needle's bytes occur in the file — UTF-8 and UTF-16LE, case as given.
 * Needles must be 6 bytes or longer: shorter ones occur in megabytes of ciphertext by chance ("Max" does).
 */
export function scanForPlaintext(dir: string, needles: ReadonlyArray<string | Buffer>): Array<{ file: string; needle: string }> {
  for (const n of needles) if (Buffer.byteLength(n) < 6) throw new Error(`needle too short for a meaningful scan: ${String(n.length)} bytes`);
  const found: Array<{ file: string; needle: string }> = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    for (const needle of needles) {
      const forms = typeof needle === 'string' ? [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')] : [needle];
      if (forms.some((f) => bytes.includes(f))) found.push({ file: path.relative(dir, file), needle: typeof needle === 'string' ? needle : `<${needle.length} bytes>` });
    }
  }
  return found;
}

/** Snapshot of bytes and mtimes of every file in a folder. */
export function snapshot(dir: string): Map<string, { sha: string; mtimeMs: number; size: number }> {
  return new Map(
    filesUnder(dir).map((f) => {
      const s = statSync(f);
      return [path.relative(dir, f), { sha: sha256(readFileSync(f)), mtimeMs: s.mtimeMs, size: s.size }];
    }),
  );
}

/** The data key and a raw connection, for tests that tamper below the store's API. */
export async function rawDatabase(dbPath: string, unlock: StoreUnlock = { password: PASSWORD }): Promise<{ db: Db; dataKey: Buffer }> {
  const paths = storePaths(dbPath);
  const dataKey = await unlockDataKey(readKeyFile(paths.keyFile), unlock);
  return { db: openEncryptedDatabase(paths.database, Buffer.from(dataKey), { create: false }), dataKey };
}

/** Collects a stream into one buffer. */
export async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
