/**
 * The store password's key derivation started early (core/store/early-kek.ts, issue 14 cold start): the open takes
 * the early result — the derivation is done once — but only for exactly the same password, salt and parameters;
 * every other case derives as always and ends as always (right password opens, wrong one is store-wrong-password).
 * Real stores, real scrypt (the tests' small N; the default N only in the first case).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveStoreKekEarly, takeEarlyKek } from '../../core/store/early-kek.js';
import { PostfachStore } from '../../core/store/index.js';
import { readKeyFile } from '../../core/store/key-file.js';
import { FAST_SCRYPT, newStore, PASSWORD } from './helpers.js';

const kindOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'no error',
    (e: unknown) => (e as { kind?: string }).kind ?? `not a PostfachError: ${String(e)}`,
  );

/** The password wrapper's salt and parameters as the key file holds them. */
function passwordKdf(dbPath: string): { salt: Buffer; params: { N: number; r: number; p: number } } {
  const wrapper = readKeyFile(`${dbPath}.keys.json`).wrappers.find((w) => w.type === 'password');
  if (wrapper?.type !== 'password') throw new Error('no password wrapper');
  return { salt: Buffer.from(wrapper.kdf.salt, 'base64'), params: { N: wrapper.kdf.N, r: wrapper.kdf.r, p: wrapper.kdf.p } };
}

describe('the store key derived early', () => {
  it('is taken by the open (derived once, at the default N=2^17) and the store opens', async () => {
    const { store, dbPath } = await newStore({ scrypt: undefined });
    store.close();
    deriveStoreKekEarly(dbPath, PASSWORD);
    const opened = await PostfachStore.open(dbPath, { password: PASSWORD });
    opened.close();
    // the open consumed it: nothing is left to take for the very same inputs
    const { salt, params } = passwordKdf(dbPath);
    expect(params.N).toBe(131072);
    expect(takeEarlyKek(PASSWORD, salt, params)).toBeUndefined();
  }, 60_000);

  it('is offered only for exactly the inputs it was derived from', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    const { salt, params } = passwordKdf(dbPath);
    deriveStoreKekEarly(dbPath, PASSWORD);
    expect(takeEarlyKek(`${PASSWORD} `, salt, params)).toBeUndefined();
    deriveStoreKekEarly(dbPath, PASSWORD);
    expect(takeEarlyKek(PASSWORD, Buffer.alloc(16, 7), params)).toBeUndefined();
    deriveStoreKekEarly(dbPath, PASSWORD);
    expect(takeEarlyKek(PASSWORD, salt, { ...params, N: params.N * 2 })).toBeUndefined();
    deriveStoreKekEarly(dbPath, PASSWORD);
    const taken = takeEarlyKek(PASSWORD, salt, params);
    expect(taken).toBeDefined();
    expect((await taken!).length).toBe(32);
    // handed out once
    expect(takeEarlyKek(PASSWORD, salt, params)).toBeUndefined();
  });

  it('with a wrong password early, the right password still opens', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    deriveStoreKekEarly(dbPath, 'Falsches-Passwort-1');
    (await PostfachStore.open(dbPath, { password: PASSWORD })).close();
  });

  it('with the right password early, a wrong password at the open is still store-wrong-password', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    deriveStoreKekEarly(dbPath, PASSWORD);
    expect(await kindOf(PostfachStore.open(dbPath, { password: 'Falsches-Passwort-1' }))).toBe('store-wrong-password');
  });

  it('a wrong password early for a wrong password at the open: store-wrong-password', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    deriveStoreKekEarly(dbPath, 'Falsches-Passwort-1');
    expect(await kindOf(PostfachStore.open(dbPath, { password: 'Falsches-Passwort-1' }))).toBe('store-wrong-password');
  });

  it('the password changed after the early start: the new one opens (derived again with the new salt)', async () => {
    const { store, dbPath } = await newStore();
    deriveStoreKekEarly(dbPath, PASSWORD);
    await store.changePassword('Neues-Passwort-123', FAST_SCRYPT);
    store.close();
    (await PostfachStore.open(dbPath, { password: 'Neues-Passwort-123' })).close();
  });

  it('does no work for a key file that asks for more than the bound, and the open reports it', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    const keyFile = `${dbPath}.keys.json`;
    const file = JSON.parse(readFileSync(keyFile, 'utf8')) as { wrappers: Array<{ type: string; kdf: { N: number } }> };
    for (const w of file.wrappers) if (w.type === 'password') w.kdf.N = 2 ** 24;
    writeFileSync(keyFile, JSON.stringify(file));
    const { salt, params } = passwordKdf(dbPath);
    deriveStoreKekEarly(dbPath, PASSWORD);
    expect(takeEarlyKek(PASSWORD, salt, params)).toBeUndefined();
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');
  });

  it('does nothing where there is no store or no readable key file', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    deriveStoreKekEarly(`${dbPath}-missing`, PASSWORD);
    writeFileSync(`${dbPath}.keys.json`, 'kein JSON');
    deriveStoreKekEarly(dbPath, PASSWORD);
    expect(takeEarlyKek(PASSWORD, Buffer.alloc(16), FAST_SCRYPT)).toBeUndefined();
  });
});
