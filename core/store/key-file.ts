/**
 * PATH.keys.json: the store's random data key, wrapped several ways. Holds no secret in clear — only salts, KDF
 * parameters, AES-256-GCM ciphertexts and a key check (an HMAC under the data key, which tells a protector's
 * unwrapped key is the right one without revealing anything about it).
 *
 * Written atomically (temporary file, fsync, rename, directory fsync) under PATH.keys.lock, so a crash leaves
 * either the old or the new file and two programs adding wrappers at once do not lose each other's change.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { syncFolderSync } from '../io/durable-file.js';
import { fromFsError, storeError } from './errors.js';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const sealed = { iv: b64, ciphertext: b64, tag: b64 };

const passwordWrapper = z.object({
  type: z.literal('password'),
  id: z.literal('password'),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int().min(2),
    r: z.number().int().min(1),
    p: z.number().int().min(1),
    salt: b64,
  }),
  ...sealed,
  createdAt: z.string(),
});

const recoveryWrapper = z.object({
  type: z.literal('recovery'),
  id: z.literal('recovery'),
  kdf: z.object({ name: z.literal('hkdf-sha256'), salt: b64 }),
  ...sealed,
  createdAt: z.string(),
});

const protectorWrapper = z.object({
  type: z.literal('protector'),
  id: z.string().min(1).max(200),
  blob: b64,
  createdAt: z.string(),
});

export const keyWrapperSchema = z.discriminatedUnion('type', [passwordWrapper, recoveryWrapper, protectorWrapper]);
export type KeyWrapper = z.infer<typeof keyWrapperSchema>;
export type PasswordWrapper = z.infer<typeof passwordWrapper>;
export type RecoveryWrapper = z.infer<typeof recoveryWrapper>;
export type ProtectorWrapper = z.infer<typeof protectorWrapper>;

export const keyFileSchema = z.object({
  format: z.literal('osci-postfach-store-keys'),
  version: z.literal(1),
  /** Random id of this store; bound into every wrapper (GCM additional data), so wrappers cannot be moved between stores. */
  storeId: z.string().regex(/^[0-9a-f]{32}$/),
  /** Database encryption scheme, for IT and future migrations. */
  cipher: z.literal('sqlcipher-4-rawkey'),
  keyCheck: b64,
  revision: z.number().int().min(1),
  wrappers: z.array(keyWrapperSchema),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

export function readKeyFile(file: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw storeError('store-not-found', 'key file missing', error);
    throw fromFsError(error, 'key file');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw storeError('store-corrupt', 'key file is not valid JSON', error);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '?';
    throw storeError('store-corrupt', `key file does not match its format (at ${where})`);
  }
  const ids = parsed.data.wrappers.map((w) => w.id);
  if (new Set(ids).size !== ids.length) throw storeError('store-corrupt', 'key file lists a wrapper id twice');
  return parsed.data;
}

/** Atomic replace (or create with `exclusive`, failing if the file exists). */
export function writeKeyFile(file: string, content: KeyFile, exclusive = false): void {
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (exclusive) {
      // link() fails atomically when the target exists: two programs creating one store cannot both win
      try {
        linkSync(tmp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw storeError('store-exists', 'key file already exists');
        throw error;
      }
      unlinkSync(tmp);
    } else {
      renameSync(tmp, file);
    }
    syncFolderSync(path.dirname(file));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw fromFsError(error, 'key file');
  }
}

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** Runs `change` while holding PATH.keys.lock (exclusive create; a lock older than 30 s is taken as stale). */
export async function withKeyFileLock<T>(lockFile: string, change: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fromFsError(error, 'key lock file');
      try {
        if (Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS) unlinkSync(lockFile);
      } catch {
        // gone meanwhile: retry
      }
      if (Date.now() > deadline) throw storeError('store-busy', 'key file lock held by another program');
      await sleep(50);
    }
  }
  try {
    return await change();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
