/**
 * The data key's life: created with the store, unlocked by any one wrapper, wrappers added and removed while the
 * store is open (the data key in memory re-wraps). Every change re-reads the key file under its lock, so programs
 * sharing the store do not overwrite each other's wrappers.
 */
import { randomBytes } from 'node:crypto';
import { storeError } from './errors.js';
import type { KeyProtector } from './key-protector.js';
import { readKeyFile, withKeyFileLock, writeKeyFile, type KeyFile, type KeyWrapper } from './key-file.js';
import {
  DATA_KEY_BYTES,
  DEFAULT_SCRYPT,
  keyCheck,
  keyCheckMatches,
  unwrapWithPassword,
  unwrapWithProtector,
  unwrapWithRecoveryKey,
  wrapWithPassword,
  wrapWithProtector,
  wrapWithRecoveryKey,
  type ScryptParams,
} from './key-wrapping.js';
import { generateRecoveryKey, parseRecoveryKey } from './recovery-key.js';
import type { StorePaths } from './paths.js';

/** One way to open the store. */
export type StoreUnlock = { readonly password: string } | { readonly recoveryKey: string } | { readonly protector: KeyProtector };

export interface KeyWrapperInfo {
  readonly id: string;
  readonly type: 'password' | 'recovery' | 'protector';
  readonly createdAt: string;
}

export interface NewKeyring {
  readonly storeId: string;
  readonly dataKey: Buffer;
  /** Shown once to the user; not kept anywhere. */
  readonly recoveryKey: string;
}

export async function createKeyring(paths: StorePaths, wrappers: { password?: string; protector?: KeyProtector; scrypt?: ScryptParams }): Promise<NewKeyring> {
  const storeId = randomBytes(16).toString('hex');
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const recoveryKey = generateRecoveryKey();
  const list: KeyWrapper[] = [wrapWithRecoveryKey(dataKey, parseRecoveryKey(recoveryKey), storeId)];
  if (wrappers.password !== undefined) list.unshift(await wrapWithPassword(dataKey, wrappers.password, storeId, wrappers.scrypt ?? DEFAULT_SCRYPT));
  if (wrappers.protector !== undefined) list.push(...(await setProtectorWrapper([], dataKey, storeId, wrappers.protector)));
  const file: KeyFile = {
    format: 'osci-postfach-store-keys',
    version: 1,
    storeId,
    cipher: 'sqlcipher-4-rawkey',
    keyCheck: keyCheck(dataKey, storeId),
    revision: 1,
    wrappers: list,
  };
  writeKeyFile(paths.keyFile, file, true);
  return { storeId, dataKey, recoveryKey };
}

export async function unlockDataKey(file: KeyFile, unlock: StoreUnlock): Promise<Buffer> {
  let key: Buffer;
  if ('password' in unlock) {
    const wrapper = file.wrappers.find((w) => w.type === 'password');
    if (wrapper?.type !== 'password') throw storeError('store-key-unavailable', 'no password wrapper in the key file');
    key = await unwrapWithPassword(wrapper, unlock.password, file.storeId);
  } else if ('recoveryKey' in unlock) {
    const secret = parseRecoveryKey(unlock.recoveryKey);
    const wrapper = file.wrappers.find((w) => w.type === 'recovery');
    if (wrapper?.type !== 'recovery') throw storeError('store-key-unavailable', 'no recovery wrapper in the key file');
    key = unwrapWithRecoveryKey(wrapper, secret, file.storeId);
  } else {
    const wrapper = file.wrappers.find((w) => w.type === 'protector' && w.id === unlock.protector.id);
    if (wrapper?.type !== 'protector') throw storeError('store-key-unavailable', `no wrapper for key protector ${unlock.protector.id}`);
    return unwrapWithProtector(wrapper, unlock.protector, file.storeId, file.keyCheck);
  }
  // a GCM-authenticated key that fails the key check: the key file itself was altered
  if (!keyCheckMatches(key, file.storeId, file.keyCheck)) {
    key.fill(0);
    throw storeError('store-corrupt', 'key file: key check does not match the unwrapped key');
  }
  return key;
}

export function wrapperInfo(file: KeyFile): KeyWrapperInfo[] {
  return file.wrappers.map((w) => ({ id: w.id, type: w.type, createdAt: w.createdAt }));
}

/** Re-reads the key file under its lock, applies `change` to its wrappers and writes it back. */
export async function changeWrappers(paths: StorePaths, storeId: string, dataKey: Buffer, change: (wrappers: KeyWrapper[]) => Promise<KeyWrapper[]>): Promise<KeyFile> {
  return withKeyFileLock(paths.keyLock, async () => {
    const current = readKeyFile(paths.keyFile);
    if (current.storeId !== storeId || !keyCheckMatches(dataKey, storeId, current.keyCheck)) {
      throw storeError('store-corrupt', 'key file belongs to another store');
    }
    const wrappers = await change([...current.wrappers]);
    if (wrappers.length === 0) throw storeError('store-last-key-wrapper', 'refusing to remove the last key wrapper');
    const next: KeyFile = { ...current, revision: current.revision + 1, wrappers };
    writeKeyFile(paths.keyFile, next);
    return next;
  });
}

export async function setPasswordWrapper(wrappers: KeyWrapper[], dataKey: Buffer, storeId: string, password: string, scrypt?: ScryptParams): Promise<KeyWrapper[]> {
  const wrapper = await wrapWithPassword(dataKey, password, storeId, scrypt ?? DEFAULT_SCRYPT);
  return [wrapper, ...wrappers.filter((w) => w.type !== 'password')];
}

export async function setProtectorWrapper(wrappers: KeyWrapper[], dataKey: Buffer, storeId: string, protector: KeyProtector): Promise<KeyWrapper[]> {
  const wrapper = await wrapWithProtector(dataKey, protector);
  // the protector must give the key back before the store relies on it
  const roundTrip = await unwrapWithProtector(wrapper, protector, storeId, keyCheck(dataKey, storeId));
  roundTrip.fill(0);
  return [...wrappers.filter((w) => w.id !== protector.id), wrapper];
}

export function newRecoveryWrapper(wrappers: KeyWrapper[], dataKey: Buffer, storeId: string): { wrappers: KeyWrapper[]; recoveryKey: string } {
  const recoveryKey = generateRecoveryKey();
  const wrapper = wrapWithRecoveryKey(dataKey, parseRecoveryKey(recoveryKey), storeId);
  return { wrappers: [...wrappers.filter((w) => w.type !== 'recovery'), wrapper], recoveryKey };
}
