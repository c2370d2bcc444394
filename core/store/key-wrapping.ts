/**
 * Wrapping the store's data key (random, 256 bit) with a key-encryption key (KEK) derived from
 *  - a password: scrypt N=2^17, r=8, p=1 (128 MiB, about half a second here — OWASP's recommendation), the
 *    password NFC-normalised so "ä" typed on different systems gives the same key; the parameters a key file
 *    asks for are bounded before deriving (scrypt-cost.ts, shared with the backup format);
 *  - the recovery key: its 200 random bits need no slow KDF, HKDF-SHA256 suffices;
 * and AES-256-GCM with the store id and wrapper type as additional data. A wrong password fails the GCM tag: we
 * learn "wrong" without touching the database.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { takeEarlyKek } from './early-kek.js';
import { storeError } from './errors.js';
import { DEFAULT_SCRYPT, scryptCostProblem, scryptOptions, type ScryptParams } from './scrypt-cost.js';
import type { KeyProtector } from './key-protector.js';
import type { PasswordWrapper, ProtectorWrapper, RecoveryWrapper } from './key-file.js';

export const DATA_KEY_BYTES = 32;

export { DEFAULT_SCRYPT, type ScryptParams } from './scrypt-cost.js';
export const MIN_PASSWORD_LENGTH = 8;

interface Sealed {
  iv: string;
  ciphertext: string;
  tag: string;
}

const aad = (storeId: string, type: string): Buffer => Buffer.from(`osci-postfach store key v1|${storeId}|${type}`);

function seal(kek: Buffer, dataKey: Uint8Array, additional: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(additional);
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The data key, or undefined when the KEK is wrong (GCM tag mismatch). */
function unseal(kek: Buffer, sealed: Sealed, additional: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(additional);
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const key = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return key.length === DATA_KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

function scryptKek(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // async scrypt runs on the libuv pool: the UI/worker event loop keeps running meanwhile
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, 32, scryptOptions(params), (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function checkPasswordStrength(password: string): void {
  if ([...password.normalize('NFC')].length < MIN_PASSWORD_LENGTH) {
    throw storeError('store-weak-password', `password shorter than ${MIN_PASSWORD_LENGTH} characters`);
  }
}

export async function wrapWithPassword(dataKey: Uint8Array, password: string, storeId: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<PasswordWrapper> {
  checkPasswordStrength(password);
  // never write a wrapper this program would refuse to open
  const problem = scryptCostProblem(params);
  if (problem !== undefined) throw new RangeError(problem);
  const salt = randomBytes(16);
  const kek = await scryptKek(password, salt, params);
  return {
    type: 'password',
    id: 'password',
    kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
    ...seal(kek, dataKey, aad(storeId, 'password')),
    createdAt: new Date().toISOString(),
  };
}

export async function unwrapWithPassword(wrapper: PasswordWrapper, password: string, storeId: string): Promise<Buffer> {
  const { N, r, p, salt } = wrapper.kdf;
  // the key file's header chooses the work: bounded before any derivation (scrypt-cost.ts)
  const problem = scryptCostProblem({ N, r, p });
  if (problem !== undefined) throw storeError('store-corrupt', `key file: ${problem}`);
  const saltBytes = Buffer.from(salt, 'base64');
  // the same derivation started before the service was ready (early-kek.ts), when it had exactly these inputs
  const kek = await (takeEarlyKek(password, saltBytes, { N, r, p }) ?? scryptKek(password, saltBytes, { N, r, p }));
  const key = unseal(kek, wrapper, aad(storeId, 'password'));
  if (key === undefined) throw storeError('store-wrong-password', 'password wrapper: authentication tag mismatch');
  return key;
}

function recoveryKek(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'ascii'), salt, 'osci-postfach recovery wrap v1', 32));
}

/** `secret` is the output of parseRecoveryKey(). */
export function wrapWithRecoveryKey(dataKey: Uint8Array, secret: string, storeId: string): RecoveryWrapper {
  const salt = randomBytes(16);
  return {
    type: 'recovery',
    id: 'recovery',
    kdf: { name: 'hkdf-sha256', salt: salt.toString('base64') },
    ...seal(recoveryKek(secret, salt), dataKey, aad(storeId, 'recovery')),
    createdAt: new Date().toISOString(),
  };
}

export function unwrapWithRecoveryKey(wrapper: RecoveryWrapper, secret: string, storeId: string): Buffer {
  const key = unseal(recoveryKek(secret, Buffer.from(wrapper.kdf.salt, 'base64')), wrapper, aad(storeId, 'recovery'));
  if (key === undefined) throw storeError('store-wrong-recovery-key', 'recovery wrapper: authentication tag mismatch');
  return key;
}

export async function wrapWithProtector(dataKey: Uint8Array, protector: KeyProtector): Promise<ProtectorWrapper> {
  let blob: Uint8Array;
  try {
    blob = await protector.wrap(Buffer.from(dataKey));
  } catch (error) {
    throw storeError('store-key-unavailable', `key protector ${protector.id}: wrap failed`, error);
  }
  return { type: 'protector', id: protector.id, blob: Buffer.from(blob).toString('base64'), createdAt: new Date().toISOString() };
}

export async function unwrapWithProtector(wrapper: ProtectorWrapper, protector: KeyProtector, storeId: string, expectedCheck: string): Promise<Buffer> {
  let key: Buffer;
  try {
    key = Buffer.from(await protector.unwrap(Buffer.from(wrapper.blob, 'base64')));
  } catch (error) {
    throw storeError('store-key-unavailable', `key protector ${protector.id}: unwrap failed`, error);
  }
  if (!keyCheckMatches(key, storeId, expectedCheck)) {
    key.fill(0);
    throw storeError('store-key-unavailable', `key protector ${protector.id}: unwrapped key fails the key check`);
  }
  return key;
}

export function keyCheck(dataKey: Uint8Array, storeId: string): string {
  return createHmac('sha256', dataKey).update(`osci-postfach key check v1|${storeId}`).digest('base64');
}

export function keyCheckMatches(dataKey: Uint8Array, storeId: string, expected: string): boolean {
  const actual = Buffer.from(keyCheck(dataKey, storeId), 'base64');
  const wanted = Buffer.from(expected, 'base64');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}
