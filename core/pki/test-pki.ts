/**
 * The test PKI of `postfach pki init --dir DIR` (DESIGN.md, command-line contract): a small CA (DIR/ca.cer) and
 * one key each for the intermediary, the sender ("Sozialplattform") and the municipality, as
 * DIR/{intermediary,sender,municipality}.p12 and .cer, each key for encryption and signature; the p12 password
 * (random) alone on one line in DIR/password. p12 and password files are created 0600, certificates 0644.
 * The CA's private key is not kept: the PKI is made once, complete.
 *
 * Keys are generated natively (`node:crypto`), certificates and p12 by certificate-builder.ts.
 */
import { generateKeyPair, randomBytes, type KeyObject, type X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PostfachError } from '../errors.js';
import { createPkcs12, issueCertificate, type NameSpec } from './certificate-builder.js';
import { loadCertificate, loadPkcs12, type KeyEntry } from './pkcs12.js';

export const TEST_PKI_ROLES = ['intermediary', 'sender', 'municipality'] as const;
export type TestPkiRole = (typeof TEST_PKI_ROLES)[number];

/** Invented subjects. */
export const TEST_PKI_SUBJECTS: Readonly<Record<TestPkiRole | 'ca', NameSpec>> = {
  ca: [
    { type: 'C', value: 'DE' },
    { type: 'O', value: 'OSCI-Postfach Übungsumgebung' },
    { type: 'CN', value: 'OSCI-Postfach Test-CA' },
  ],
  intermediary: [
    { type: 'C', value: 'DE' },
    { type: 'O', value: 'Landesrechenzentrum Musterland' },
    { type: 'CN', value: 'OSCI-Intermediär Musterland (Test)' },
  ],
  sender: [
    { type: 'C', value: 'DE' },
    { type: 'O', value: 'Sozialplattform Musterland' },
    { type: 'CN', value: 'Sozialplattform (Test)' },
  ],
  municipality: [
    { type: 'C', value: 'DE' },
    { type: 'L', value: 'Musterstadt' },
    { type: 'O', value: 'Stadt Musterstadt' },
    { type: 'OU', value: 'Sozialamt' },
    { type: 'CN', value: 'Sozialamt Musterstadt' },
  ],
};

export const TEST_PKI_KEY_SIZES = [3072, 4096] as const;
export type TestPkiKeySize = (typeof TEST_PKI_KEY_SIZES)[number];

export interface TestPkiOptions {
  /** RSA modulus length of every key (default 3072). */
  readonly keySize?: TestPkiKeySize;
  /** Validity of the three end-entity certificates in days (default 730; 1..3650). */
  readonly validDays?: number;
  /** End-entity certificates that expired yesterday (the CA stays valid): for tests of expiry handling. */
  readonly expired?: boolean;
  /** Replace an existing test PKI in the folder. */
  readonly force?: boolean;
  /** The creation time (default: now). */
  readonly now?: Date;
  /** After each RSA key is made (the CA's and one per role; the slow part): how many of how many. */
  readonly onKey?: (done: number, total: number) => void;
}

export interface CreatedTestPki {
  readonly dir: string;
  /** Absolute paths of the files written. */
  readonly files: readonly string[];
  readonly certificates: Readonly<Record<TestPkiRole | 'ca', X509Certificate>>;
}

export interface TestPki {
  readonly dir: string;
  readonly ca: X509Certificate;
  readonly intermediary: KeyEntry;
  readonly sender: KeyEntry;
  readonly municipality: KeyEntry;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start an hour early, so that a peer whose clock is slightly behind accepts them. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;
const CA_VALID_DAYS = 3650;

export function testPkiFiles(dir: string): { ca: string; password: string } & Record<TestPkiRole, { p12: string; cer: string }> {
  const role = (r: TestPkiRole): { p12: string; cer: string } => ({ p12: path.join(dir, `${r}.p12`), cer: path.join(dir, `${r}.cer`) });
  return {
    ca: path.join(dir, 'ca.cer'),
    password: path.join(dir, 'password'),
    intermediary: role('intermediary'),
    sender: role('sender'),
    municipality: role('municipality'),
  };
}

function allFiles(dir: string): string[] {
  const f = testPkiFiles(dir);
  return [f.ca, ...TEST_PKI_ROLES.flatMap((r) => [f[r].p12, f[r].cer]), f.password];
}

function usageError(detail: string): never {
  throw new PostfachError('invalid-argument', { de: 'Ungültige Angabe für die Test-PKI.', en: 'Invalid option for the test PKI.' }, detail);
}

/** Writes through a temporary file and a rename, so that no half-written file carries the final name. */
function writeFileAtomic(file: string, data: Buffer | string, mode: number): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, data, { mode, flag: 'wx' });
  try {
    chmodSync(temporary, mode); // the umask may have narrowed it; state it exactly
    renameSync(temporary, file);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeyPair(bits: number): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return generateRsa('rsa', { modulusLength: bits, publicExponent: 0x10001 });
}

/** Creates the test PKI in `dir` (created if missing). Refuses to overwrite one unless `force`. */
export async function createTestPki(dir: string, options: TestPkiOptions = {}): Promise<CreatedTestPki> {
  const keySize = options.keySize ?? 3072;
  const validDays = options.validDays ?? 730;
  if (!TEST_PKI_KEY_SIZES.includes(keySize)) usageError(`key size ${keySize}: 3072 or 4096`);
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) usageError(`valid days ${validDays}: 1 to 3650`);

  const absolute = path.resolve(dir);
  if (existsSync(absolute) && !statSync(absolute).isDirectory()) usageError('the given path exists and is not a folder');
  const existing = allFiles(absolute).filter((f) => existsSync(f));
  if (existing.length > 0 && !options.force) {
    throw new PostfachError(
      'test-pki-exists',
      {
        de: 'In diesem Ordner gibt es schon eine Test-PKI. Sie wird nur mit --force ersetzt.',
        en: 'This folder already holds a test PKI. It is replaced only with --force.',
      },
      `existing: ${existing.map((f) => path.basename(f)).join(', ')}`,
    );
  }

  // the folder first: an unwritable place is reported before seconds of key generation
  try {
    mkdirSync(absolute, { recursive: true, mode: 0o700 });
  } catch (cause) {
    writeFailed(absolute, cause);
  }

  const now = options.now ?? new Date();
  const start = new Date(now.getTime() - CLOCK_SKEW_MS);
  const keyCount = 1 + TEST_PKI_ROLES.length;
  let keysMade = 0;
  const counted = async (): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> => {
    const keys = await rsaKeyPair(keySize);
    options.onKey?.(++keysMade, keyCount);
    return keys;
  };
  const [caKeys, ...roleKeys] = await Promise.all([counted(), ...TEST_PKI_ROLES.map(() => counted())]);
  if (!caKeys) throw new Error('key generation returned nothing');
  const caNotBefore = options.expired ? new Date(start.getTime() - (validDays + 2) * DAY_MS) : start;
  const ca = issueCertificate({
    subject: TEST_PKI_SUBJECTS.ca,
    publicKey: caKeys.publicKey,
    selfSigningKey: caKeys.privateKey,
    notBefore: caNotBefore,
    notAfter: new Date(now.getTime() + Math.max(CA_VALID_DAYS, validDays + 365) * DAY_MS),
    keyUsage: ['keyCertSign', 'cRLSign'],
    ca: true,
    pathLength: 0,
  });
  const notAfter = options.expired ? new Date(now.getTime() - DAY_MS) : new Date(start.getTime() + validDays * DAY_MS);
  const notBefore = options.expired ? new Date(notAfter.getTime() - validDays * DAY_MS) : start;

  const password = randomBytes(24).toString('base64url');
  const files = testPkiFiles(absolute);
  const written: string[] = [];
  const certificates: Partial<Record<TestPkiRole | 'ca', X509Certificate>> = { ca };
  const p12s: { role: TestPkiRole; cert: X509Certificate; p12: Buffer }[] = TEST_PKI_ROLES.map((role, index) => {
    const keys = roleKeys[index];
    if (!keys) throw new Error('key generation returned too few keys');
    const cert = issueCertificate({
      subject: TEST_PKI_SUBJECTS[role],
      publicKey: keys.publicKey,
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      notBefore,
      notAfter,
      keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'],
    });
    certificates[role] = cert;
    return { role, cert, p12: createPkcs12(keys.privateKey, cert, password, { alias: role, chain: [ca] }) };
  });

  const write = (file: string, data: Buffer | string, mode: number): void => {
    try {
      writeFileAtomic(file, data, mode);
    } catch (cause) {
      writeFailed(file, cause);
    }
    written.push(file);
  };
  write(files.ca, ca.raw, 0o644);
  for (const { role, cert, p12 } of p12s) {
    write(files[role].p12, p12, 0o600);
    write(files[role].cer, cert.raw, 0o644);
  }
  write(files.password, `${password}\n`, 0o600);
  return { dir: absolute, files: written, certificates: certificates as Record<TestPkiRole | 'ca', X509Certificate> };
}

function writeFailed(file: string, cause: unknown): never {
  throw new PostfachError(
    'test-pki-write-failed',
    { de: 'Die Test-PKI kann in diesem Ordner nicht angelegt werden.', en: 'The test PKI cannot be created in this folder.' },
    `${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message} writing ${path.basename(file)}`,
    { cause },
  );
}

function missing(file: string, cause: unknown): never {
  throw new PostfachError(
    'test-pki-missing',
    {
      de: 'Der Ordner enthält keine vollständige Test-PKI (anlegen mit „postfach pki init --dir ORDNER“).',
      en: 'The folder holds no complete test PKI (create one with "postfach pki init --dir DIR").',
    },
    `cannot read ${path.basename(file)}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
    { cause },
  );
}

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    missing(file, cause);
  }
}

/** Loads a test PKI made by createTestPki (for the intermediary, the sender and the demo). */
export function loadTestPki(dir: string): TestPki {
  const absolute = path.resolve(dir);
  const files = testPkiFiles(absolute);
  const password = read(files.password)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  const ca = loadCertificate(read(files.ca));
  const key = (role: TestPkiRole): KeyEntry => {
    const contents = loadPkcs12(read(files[role].p12), password);
    const only = contents.keys[0];
    if (!only || contents.keys.length !== 1) {
      throw new PostfachError(
        'test-pki-invalid',
        { de: 'Die Test-PKI im Ordner ist nicht so aufgebaut wie erwartet.', en: 'The test PKI in the folder is not built as expected.' },
        `${role}.p12 holds ${contents.keys.length} keys, expected 1`,
      );
    }
    return only;
  };
  return { dir: absolute, ca, intermediary: key('intermediary'), sender: key('sender'), municipality: key('municipality') };
}
