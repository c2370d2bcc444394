/**
 * The store's data key, wrapped by the operating system's key store through Electron's safeStorage (DPAPI on
 * Windows: bound to the Windows user; Keychain on macOS; libsecret/kwallet on Linux).
 *
 * The shape matches core/store/key-protector.ts (`{ id; wrap(key); unwrap(blob) }`); the store checks every
 * unwrapped key against its key check, so this adapter need not authenticate. It refuses to wrap where safeStorage
 * would not protect anything: before the app is ready, or on Linux with the "basic_text" backend (a hard-coded
 * password) — the caseworker then opens the store with the password or the recovery key instead.
 */
import type { HostServices } from '../core/api/service-host.js';
import { PostfachError } from '../core/errors.js';

/** The parts of Electron's safeStorage this adapter uses (so tests can pass a stand-in OS key store). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface OsKeyProtector {
  readonly id: string;
  wrap(key: Uint8Array): Uint8Array;
  unwrap(blob: Uint8Array): Uint8Array;
}

const unavailable = (detail: string): PostfachError =>
  new PostfachError(
    'keystore-unavailable',
    {
      de: 'Der Schlüsselspeicher des Betriebssystems ist nicht verfügbar. Bitte öffnen Sie das Postfach mit dem Passwort oder dem Wiederherstellungsschlüssel.',
      en: 'The operating system’s key store is not available. Please open the mailbox with the password or the recovery key.',
    },
    detail,
  );

/** Whether safeStorage really protects data here (not the Linux "basic_text" fallback). */
export function describeProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): { usable: boolean; detail: string } {
  if (!safeStorage.isEncryptionAvailable()) return { usable: false, detail: 'safeStorage.isEncryptionAvailable() is false' };
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return { usable: false, detail: `safeStorage backend ${backend} offers no protection` };
    return { usable: true, detail: `linux ${backend}` };
  }
  return { usable: true, detail: platform === 'win32' ? 'DPAPI' : platform === 'darwin' ? 'Keychain' : platform };
}

/**
 * `osUser` names the wrapper in the store's key file (one wrapper per OS user: DPAPI ties it to that user).
 * Throws `keystore-unavailable` when the OS key store offers no protection.
 */
export function safeStorageKeyProtector(safeStorage: SafeStorageLike, osUser: string, platform: NodeJS.Platform = process.platform): OsKeyProtector {
  const protection = describeProtection(safeStorage, platform);
  if (!protection.usable) throw unavailable(protection.detail);
  return {
    id: `safestorage:${osUser}`,
    wrap(key) {
      if (key.length !== 32) throw new TypeError('data key must be 32 bytes');
      return safeStorage.encryptString(Buffer.from(key).toString('base64'));
    },
    unwrap(blob) {
      let text: string;
      try {
        text = safeStorage.decryptString(Buffer.from(blob));
      } catch (error) {
        throw unavailable(`safeStorage.decryptString failed: ${error instanceof Error ? error.name : 'unknown'} (another Windows user or a reset profile?)`);
      }
      const key = Buffer.from(text, 'base64');
      if (key.length !== 32 || key.toString('base64') !== text) throw unavailable('unwrapped blob is not a 32-byte key');
      return key;
    },
  };
}

/**
 * What the desktop host offers the service: the OS key store where it protects anything (DPAPI on Windows); none
 * where it does not (Linux without a secret service), and the store is then opened with its password or the
 * recovery key instead.
 */
export function osKeyStoreServices(safeStorage: SafeStorageLike, osUser: string, platform: NodeJS.Platform = process.platform): HostServices {
  try {
    return { protector: safeStorageKeyProtector(safeStorage, osUser, platform) };
  } catch {
    return {};
  }
}
