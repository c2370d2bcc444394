import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyProtector } from '../../core/store/key-protector.js';
import { describeProtection, safeStorageKeyProtector, type OsKeyProtector, type SafeStorageLike } from '../../electron/key-protector.js';

/**
 * A stand-in for the OS key store behind safeStorage: real AES-256-GCM under a key that belongs to one "OS user"
 * (as DPAPI binds to the Windows user). Another user's store cannot decrypt.
 */
function osKeyStore(backend = 'gnome_libsecret'): SafeStorageLike {
  const userKey = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', userKey, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(blob) {
      const decipher = createDecipheriv('aes-256-gcm', userKey, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('safeStorage key protector', () => {
  it('has the store’s KeyProtector shape', () => {
    const protector: KeyProtector = safeStorageKeyProtector(osKeyStore(), 'mmuster', 'win32');
    expect(protector.id).toBe('safestorage:mmuster');
  });

  it('wraps and unwraps the 32-byte data key; the blob does not contain the key', () => {
    const protector: OsKeyProtector = safeStorageKeyProtector(osKeyStore(), 'mmuster', 'win32');
    const key = randomBytes(32);
    const blob = Buffer.from(protector.wrap(key));
    expect(blob.includes(key)).toBe(false);
    expect(blob.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(Buffer.from(protector.unwrap(blob)).equals(key)).toBe(true);
    expect(() => protector.wrap(randomBytes(16))).toThrow(TypeError);
  });

  it('reports another user’s or a tampered blob as keystore-unavailable, without crashing', () => {
    const key = randomBytes(32);
    const blob = Buffer.from(safeStorageKeyProtector(osKeyStore(), 'a', 'win32').wrap(key));
    const otherUser = safeStorageKeyProtector(osKeyStore(), 'a', 'win32');
    expect(() => otherUser.unwrap(blob)).toThrow(expect.objectContaining({ kind: 'keystore-unavailable' }));
    const own = osKeyStore();
    const protector = safeStorageKeyProtector(own, 'a', 'win32');
    const good = Buffer.from(protector.wrap(key));
    good.writeUInt8(good.readUInt8(good.length - 1) ^ 1, good.length - 1);
    expect(() => protector.unwrap(good)).toThrow(expect.objectContaining({ kind: 'keystore-unavailable' }));
    const notAKey = own.encryptString('not a key');
    expect(() => protector.unwrap(notAKey)).toThrow(expect.objectContaining({ kind: 'keystore-unavailable' }));
  });

  it('refuses where safeStorage protects nothing: unavailable, or Linux basic_text', () => {
    expect(() => safeStorageKeyProtector({ ...osKeyStore(), isEncryptionAvailable: () => false }, 'a', 'win32')).toThrow(expect.objectContaining({ kind: 'keystore-unavailable' }));
    expect(() => safeStorageKeyProtector(osKeyStore('basic_text'), 'a', 'linux')).toThrow(expect.objectContaining({ kind: 'keystore-unavailable' }));
    expect(describeProtection(osKeyStore('kwallet6'), 'linux')).toEqual({ usable: true, detail: 'linux kwallet6' });
    expect(describeProtection(osKeyStore('basic_text'), 'win32')).toEqual({ usable: true, detail: 'DPAPI' });
  });
});
