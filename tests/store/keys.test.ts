/**
 * The data key and its wrappers: password (scrypt), recovery key, OS key store protector; wrong password leaves
 * every file untouched; corrupt database or key file give `store-corrupt`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { readKeyFile } from '../../core/store/key-file.js';
import { parseRecoveryKey } from '../../core/store/recovery-key.js';
import { delivery, FAST_SCRYPT, newStore, PASSWORD, snapshot, softwareProtector } from './helpers.js';

const kindOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'no error',
    (e: unknown) => (e as { kind?: string }).kind ?? `not a PostfachError: ${String(e)}`,
  );

describe('password wrapper', () => {
  it('uses scrypt N=2^17, r=8, p=1 by default and opens with the password', async () => {
    const { store, dbPath } = await newStore({ scrypt: undefined });
    await store.saveDelivery(delivery(1));
    store.close();
    const keyFile = readKeyFile(`${dbPath}.keys.json`);
    const pw = keyFile.wrappers.find((w) => w.type === 'password');
    expect(pw?.type === 'password' && pw.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(JSON.stringify(keyFile)).not.toContain(PASSWORD);
    const reopened = await PostfachStore.open(dbPath, { password: PASSWORD });
    expect(reopened.list().total).toBe(1);
    reopened.close();
  });

  it('wrong password: store-wrong-password, and not one byte or mtime of the store changes', async () => {
    const { store, dbPath, dir } = await newStore();
    await store.saveDelivery(delivery(1, { attachments: [{ name: 'a.pdf', mimeType: 'application/pdf', content: Buffer.alloc(1000, 1) }] }));
    store.close();
    const before = snapshot(dir);
    await new Promise((r) => setTimeout(r, 20)); // mtime resolution
    for (const wrong of ['Sommer-Regen-2025!', '', 'sommer-regen-2026!', `${PASSWORD} `]) {
      expect(await kindOf(PostfachStore.open(dbPath, { password: wrong }))).toBe('store-wrong-password');
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('normalises the password to NFC (ä typed as a + combining diaeresis)', async () => {
    const { store, dbPath } = await newStore({ password: 'Bärenstark-2026' });
    store.close();
    const decomposed = 'Ba\u0308renstark-2026';
    expect(decomposed).not.toBe('Bärenstark-2026');
    (await PostfachStore.open(dbPath, { password: decomposed })).close();
  });

  it('refuses a password shorter than 8 characters', async () => {
    expect(await kindOf(newStore({ password: 'kurz' }))).toBe('store-weak-password');
  });

  it('changing the password: the new one opens, the old one no longer does', async () => {
    const { store, dbPath } = await newStore();
    await store.changePassword('Neues-Passwort-123', FAST_SCRYPT);
    store.close();
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-wrong-password');
    const reopened = await PostfachStore.open(dbPath, { password: 'Neues-Passwort-123' });
    expect(reopened.auditEntries().map((e) => [e.action, e.detail])).toContainEqual(['key-wrapper-changed', '{"v":1,"event":"password-set"}']);
    reopened.close();
  });
});

describe('recovery key', () => {
  it('is 8 groups of 6 characters with a check character, and opens the store however it is typed', async () => {
    const { store, dbPath, recoveryKey } = await newStore();
    store.close();
    expect(recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{6}-){7}[0-9A-HJKMNP-TV-Z]{6}$/);
    const typed = ` ${recoveryKey.toLowerCase().replace(/-/g, ' ')} `;
    (await PostfachStore.open(dbPath, { recoveryKey: typed })).close();
  });

  it('names the mistyped group before trying any cryptography', async () => {
    const { store, dbPath, recoveryKey } = await newStore();
    store.close();
    const groups = recoveryKey.split('-');
    const g = groups[2] as string;
    const replacement = g[0] === 'A' ? 'B' : 'A';
    groups[2] = replacement + g.slice(1);
    // 1 in 32 typos passes a group's check: then the key itself fails (GCM tag) with the same kind
    const error = await PostfachStore.open(dbPath, { recoveryKey: groups.join('-') }).catch((e: unknown) => e as { kind: string; detail: string });
    expect(error).toMatchObject({ kind: 'store-wrong-recovery-key' });
    expect(() => parseRecoveryKey('ABC')).toThrowError(expect.objectContaining({ kind: 'store-wrong-recovery-key' }));
    // every single-character substitution in a group is caught by the check character for this key ...
    let caught = 0;
    let total = 0;
    for (const c of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') {
      if (c === g[1]) continue;
      total++;
      try {
        parseRecoveryKey(recoveryKey.slice(0, 15) + c + recoveryKey.slice(16));
      } catch {
        caught++;
      }
    }
    // ... in the vast majority of cases (a 5-bit check lets 1 in 32 through)
    expect(caught / total).toBeGreaterThan(0.8);
  });

  it('renewing it invalidates the old one', async () => {
    const { store, dbPath, recoveryKey } = await newStore();
    const fresh = await store.renewRecoveryKey();
    store.close();
    expect(fresh).not.toBe(recoveryKey);
    expect(await kindOf(PostfachStore.open(dbPath, { recoveryKey }))).toBe('store-wrong-recovery-key');
    (await PostfachStore.open(dbPath, { recoveryKey: fresh })).close();
  });

  it('a recovery key of another store does not open this one', async () => {
    const a = await newStore();
    const b = await newStore();
    a.store.close();
    b.store.close();
    expect(await kindOf(PostfachStore.open(a.dbPath, { recoveryKey: b.recoveryKey }))).toBe('store-wrong-recovery-key');
  });
});

describe('OS key store protector', () => {
  it("opens the store without a password; another user's protector cannot", async () => {
    const protector = softwareProtector();
    const { store, dbPath } = await newStore({ protector });
    await store.saveDelivery(delivery(1));
    store.close();
    const reopened = await PostfachStore.open(dbPath, { protector });
    expect(reopened.list().total).toBe(1);
    reopened.close();
    expect(protector.unwrapCalls).toBeGreaterThan(0);
    const stranger = softwareProtector(protector.id);
    expect(await kindOf(PostfachStore.open(dbPath, { protector: stranger }))).toBe('store-key-unavailable');
    expect(await kindOf(PostfachStore.open(dbPath, { protector: softwareProtector('safestorage:someone-else') }))).toBe('store-key-unavailable');
  });

  it('a protector that returns a wrong key (no authentication of its own) is caught by the key check', async () => {
    const protector = softwareProtector();
    const { store, dbPath } = await newStore({ protector });
    store.close();
    const liar = { id: protector.id, wrap: (key: Uint8Array) => protector.wrap(key), unwrap: () => Buffer.alloc(32, 9) };
    expect(await kindOf(PostfachStore.open(dbPath, { protector: liar }))).toBe('store-key-unavailable');
  });

  it('a protector that cannot give the key back is refused before the store relies on it', async () => {
    const broken = {
      id: 'safestorage:broken',
      wrap: (k: Uint8Array) => Buffer.from(k).reverse(),
      unwrap: () => {
        throw new Error('keychain locked');
      },
    };
    expect(await kindOf(newStore({ protector: broken }))).toBe('store-key-unavailable');
    const { store } = await newStore();
    expect(await kindOf(store.addProtector(broken))).toBe('store-key-unavailable');
    expect(store.keyWrappers().map((w) => w.id)).toEqual(['password', 'recovery']);
    store.close();
  });

  it('wrappers can be added and removed while the store is open; the last one stays', async () => {
    const { store, dbPath, recoveryKey } = await newStore();
    const clerkA = softwareProtector('safestorage:clerk-a');
    const clerkB = softwareProtector('safestorage:clerk-b');
    await store.addProtector(clerkA);
    await store.addProtector(clerkB);
    expect(
      store
        .keyWrappers()
        .map((w) => w.id)
        .sort(),
    ).toEqual(['password', 'recovery', 'safestorage:clerk-a', 'safestorage:clerk-b']);
    await store.removeKeyWrapper('password');
    await store.removeKeyWrapper('safestorage:clerk-a');
    expect(await kindOf(store.removeKeyWrapper('nonexistent'))).toBe('store-key-unavailable');
    store.close();
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-key-unavailable');
    expect(await kindOf(PostfachStore.open(dbPath, { protector: clerkA }))).toBe('store-key-unavailable');
    const viaB = await PostfachStore.open(dbPath, { protector: clerkB });
    await viaB.removeKeyWrapper('recovery');
    expect(await kindOf(viaB.removeKeyWrapper('safestorage:clerk-b'))).toBe('store-last-key-wrapper');
    expect(viaB.auditEntries().filter((e) => e.action === 'key-wrapper-changed')).toHaveLength(5);
    viaB.close();
    expect(await kindOf(PostfachStore.open(dbPath, { recoveryKey }))).toBe('store-key-unavailable');
  });

  it("two open instances adding wrappers do not lose each other's change", async () => {
    const { store, dbPath } = await newStore();
    const second = await PostfachStore.open(dbPath, { password: PASSWORD });
    await Promise.all([store.addProtector(softwareProtector('safestorage:x')), second.addProtector(softwareProtector('safestorage:y'))]);
    expect(
      store
        .keyWrappers()
        .map((w) => w.id)
        .sort(),
    ).toEqual(['password', 'recovery', 'safestorage:x', 'safestorage:y']);
    expect(readKeyFile(`${dbPath}.keys.json`).revision).toBe(3);
    store.close();
    second.close();
  });
});

describe('damaged stores', () => {
  it('corrupt key file (not JSON, wrong shape, altered ciphertext, missing): clear errors, no crash', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    const keyPath = `${dbPath}.keys.json`;
    const good = readFileSync(keyPath, 'utf8');

    writeFileSync(keyPath, good.slice(0, good.length / 2));
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');

    writeFileSync(keyPath, JSON.stringify({ ...JSON.parse(good), version: 7 }));
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');

    // a flipped key check: the password unwraps the key, the check exposes the altered file
    const altered = JSON.parse(good) as { keyCheck: string };
    altered.keyCheck = Buffer.alloc(32, 1).toString('base64');
    writeFileSync(keyPath, JSON.stringify(altered));
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');

    rmSync(keyPath);
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-not-found');

    writeFileSync(keyPath, good);
    (await PostfachStore.open(dbPath, { password: PASSWORD })).close();
  });

  it('a key file asking for an absurd scrypt cost is refused at once, before any derivation (issue 16)', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    const keyPath = `${dbPath}.keys.json`;
    const good = readFileSync(keyPath, 'utf8');
    for (const kdf of [
      { N: 2 ** 14, r: 8, p: 640 },
      { N: 2 ** 14, r: 8, p: 1_000_000 },
      { N: 2 ** 22, r: 8, p: 1 },
      { N: 2 ** 10, r: 2 ** 20, p: 1 },
    ]) {
      const keys = JSON.parse(good) as { wrappers: Array<{ type: string; kdf?: Record<string, unknown> }> };
      for (const w of keys.wrappers) if (w.type === 'password') w.kdf = { ...w.kdf, ...kdf };
      writeFileSync(keyPath, JSON.stringify(keys));
      const started = performance.now();
      const error = await PostfachStore.open(dbPath, { password: PASSWORD }).then(
        () => undefined,
        (e: unknown) => e as { kind: string; detail: string },
      );
      expect(error?.kind).toBe('store-corrupt');
      expect(error?.detail).toMatch(/^key file: scrypt/);
      expect(performance.now() - started).toBeLessThan(200);
    }
    writeFileSync(keyPath, good);
    (await PostfachStore.open(dbPath, { password: PASSWORD })).close();
  });

  it("corrupt database (garbage, truncated, a flipped byte in a page, another store's key file): store-corrupt", async () => {
    const { store, dbPath } = await newStore();
    for (let i = 0; i < 30; i++) await store.saveDelivery(delivery(i));
    store.close();
    const good = readFileSync(dbPath);
    expect(good.length).toBeGreaterThan(8 * 4096);

    writeFileSync(dbPath, Buffer.alloc(good.length, 0x5a));
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');

    writeFileSync(dbPath, good.subarray(0, 100));
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');

    // a flipped byte inside a data page: the page HMAC fails when the page is read
    const flipped = Buffer.from(good);
    const last = flipped.length - 2000;
    flipped[last] = (flipped[last] ?? 0) ^ 0x01;
    writeFileSync(dbPath, flipped);
    const opened = await PostfachStore.open(dbPath, { password: PASSWORD }).catch((e: unknown) => e);
    if (opened instanceof PostfachStore) {
      // the damaged page is not needed to open: reading everything finds it
      const results = [() => opened.list({ limit: 1000 }), () => opened.list({ search: 'antrag', limit: 1000 }), () => opened.checkIntegrity()];
      const outcomes = results.map((r) => {
        try {
          const v = r();
          return 'ok' in (v as object) ? ((v as { ok: boolean }).ok ? 'ok' : 'integrity-problem') : 'ok';
        } catch (e) {
          return (e as { kind?: string }).kind;
        }
      });
      expect(outcomes).toContain('store-corrupt');
      opened.close();
    } else {
      expect(opened).toMatchObject({ kind: 'store-corrupt' });
    }

    // another store's key file beside this database: its password unwraps a key that does not fit
    writeFileSync(dbPath, good);
    const other = await newStore();
    other.store.close();
    writeFileSync(`${dbPath}.keys.json`, readFileSync(`${other.dbPath}.keys.json`));
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-corrupt');
  });

  it('missing database or missing store: store-not-found; creating over an existing store: store-exists', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    expect(await kindOf(PostfachStore.open(`${dbPath}.nope`, { password: PASSWORD }))).toBe('store-not-found');
    expect(await kindOf(PostfachStore.create(dbPath, { password: PASSWORD, scrypt: FAST_SCRYPT }))).toBe('store-exists');
    rmSync(dbPath);
    expect(await kindOf(PostfachStore.open(dbPath, { password: PASSWORD }))).toBe('store-not-found');
  });
});
