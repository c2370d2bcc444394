/**
 * The shared store on PostgreSQL as the service's one store (issue 13): opened with the mailbox key file and the
 * store password (or the recovery key), created together with its key file, and what the UI may know about it
 * (the same StoreStatus as the SQLite store's; `path` names the key file). The SQLite store's counterpart is
 * core/mailbox/store-session.ts; MailboxService picks one of the two at construction (store-factory.ts).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { PgSettings } from '../api/service-protocol.js';
import type { StoreStatus } from '../mailbox/store-session.js';
import { mailboxError } from '../mailbox/errors.js';
import { storeError } from '../store/errors.js';
import { readKeyFile, writeKeyFile, type KeyFile } from '../store/key-file.js';
import { changeWrappers, newRecoveryWrapper, setPasswordWrapper, unlockDataKey, wrapperInfo } from '../store/keyring.js';
import { checkPasswordStrength } from '../store/key-wrapping.js';
import { storePaths, type StorePaths } from '../store/paths.js';
import type * as StorePg from '../store-pg/index.js';
import type { PgMailboxStore } from '../store-pg/index.js';

/**
 * The PostgreSQL part (the `pg` driver and core/store-pg) is loaded when a PostgreSQL store is first touched: a
 * service on the single-PC store never needs it, and loading it cost about 60 ms of CPU at every start of the
 * service — the CLI's `postfach fetch` included (issue 14, cold start).
 */
const storePg = (): Promise<typeof StorePg> => import('../store-pg/index.js');

type KeyWrappers = KeyFile['wrappers'];

export type PgUnlock = { readonly password: string } | { readonly recoveryKey: string } | { readonly protector: true };

export class PgStoreSession {
  private current: PgMailboxStore | undefined;
  private identityKnown: boolean | undefined;
  /** A copy of the data key while the store is open (as the SQLite store keeps its own): re-wraps it in the key file. */
  private dataKey: Buffer | undefined;

  constructor(readonly settings: PgSettings) {}

  get store(): PgMailboxStore | undefined {
    return this.current;
  }

  require(): PgMailboxStore {
    if (this.current === undefined) throw mailboxError('store-not-open', 'the PostgreSQL store is not opened in this service');
    return this.current;
  }

  async status(): Promise<StoreStatus> {
    const exists = (await storePg()).pgKeyFileExists(this.settings.keyFile);
    let wrappers: StoreStatus['wrappers'] = [];
    if (exists) {
      try {
        wrappers = wrapperInfo(readKeyFile(this.settings.keyFile)).map((w) => ({ id: w.id, type: w.type, createdAt: w.createdAt }));
      } catch {
        // reported when opening
      }
    }
    if (this.current !== undefined) this.identityKnown = await this.current.hasMailboxIdentity();
    return {
      state: this.current !== undefined ? 'open' : exists ? 'locked' : 'none',
      path: this.settings.keyFile,
      wrappers,
      protectorAvailable: false,
      identityConfigured: this.current !== undefined && this.identityKnown === true,
    };
  }

  /** Opens the database with `dataKey` (wiped afterwards); the store and a copy of the key for the session. */
  private async connect(dataKey: Buffer): Promise<{ store: PgMailboxStore; key: Buffer }> {
    try {
      const { PgMailboxStore, pgPoolConfig } = await storePg();
      const store = await PgMailboxStore.open({ connection: pgPoolConfig(this.settings), dataKey });
      return { store, key: Buffer.from(dataKey) };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The opened store becomes the session's (after the previous one is closed). */
  private use(opened: { store: PgMailboxStore; key: Buffer }): PgMailboxStore {
    this.current = opened.store;
    this.dataKey = opened.key;
    return opened.store;
  }

  /** The key file's paths: the file IT named, and its lock beside it (as createPgKeyFile made it). */
  private keyPaths(): StorePaths {
    return { ...storePaths(this.settings.keyFile), keyFile: path.resolve(this.settings.keyFile) };
  }

  /** Re-wraps the open store's data key in the key file (under the key file's lock); audited in the database. */
  private async changeKeyFile(
    event: 'password-set' | 'recovery-renewed',
    change: (wrappers: KeyWrappers, dataKey: Buffer, storeId: string) => Promise<KeyWrappers>,
  ): Promise<void> {
    const store = this.require();
    const dataKey = this.dataKey;
    if (dataKey === undefined) throw mailboxError('store-not-open', 'the PostgreSQL store is not opened in this service');
    const storeId = readKeyFile(this.settings.keyFile).storeId;
    await changeWrappers(this.keyPaths(), storeId, dataKey, (w) => change(w, dataKey, storeId));
    await store.recordKeyWrapperChange(event);
  }

  /** Sets or replaces the store password in the key file (the old one stops working; the recovery key stays). */
  async changePassword(password: string): Promise<void> {
    checkPasswordStrength(password);
    await this.changeKeyFile('password-set', (w, dataKey, storeId) => setPasswordWrapper(w, dataKey, storeId, password));
  }

  /** A new recovery key in the key file (the old one stops working); returned once, to be shown to IT. */
  async renewRecoveryKey(): Promise<string> {
    let recoveryKey = '';
    await this.changeKeyFile('recovery-renewed', async (w, dataKey, storeId) => {
      const next = newRecoveryWrapper(w, dataKey, storeId);
      recoveryKey = next.recoveryKey;
      return Promise.resolve(next.wrappers);
    });
    return recoveryKey;
  }

  async open(unlock: PgUnlock): Promise<PgMailboxStore> {
    if (this.current !== undefined) return this.current;
    if ('protector' in unlock) throw storeError('store-key-unavailable', 'the PostgreSQL store opens with password or recovery key only');
    return this.use(await this.connect(await (await storePg()).unlockPgKeyFile(this.settings.keyFile, unlock)));
  }

  /**
   * Creates the key file and opens the database with the new key (a database already keyed with another key is
   * refused by its key check; the new key file is then removed again). `prepare` runs on the opened store.
   */
  async create(password: string, prepare?: (store: PgMailboxStore) => Promise<void>): Promise<{ store: PgMailboxStore; recoveryKey: string }> {
    const { dataKey, recoveryKey } = await (await storePg()).createPgKeyFile(this.settings.keyFile, password);
    let opened: { store: PgMailboxStore; key: Buffer } | undefined;
    try {
      opened = await this.connect(dataKey);
      if (prepare) await prepare(opened.store);
    } catch (error) {
      opened?.key.fill(0);
      await opened?.store.close().catch(() => undefined);
      rmSync(this.settings.keyFile, { force: true });
      throw error;
    }
    await this.close();
    return { store: this.use(opened), recoveryKey };
  }

  /**
   * Takes the mailbox key over from the single-PC store (its key file, without the OS key store wrappers, which
   * belong to Windows users of that PC): the same data key, so the store password and the recovery key of the
   * single-PC store open the shared store too and no new recovery key has to be kept. `prepare` copies what the
   * service needs (identity, CAs, code lists); on any failure the new key file is removed again.
   */
  async adopt(keyFile: KeyFile, password: string, prepare: (store: PgMailboxStore) => Promise<void>): Promise<PgMailboxStore> {
    const dataKey = await unlockDataKey(keyFile, { password });
    writeKeyFile(this.settings.keyFile, { ...keyFile, wrappers: keyFile.wrappers.filter((w) => w.type !== 'protector') }, true);
    let opened: { store: PgMailboxStore; key: Buffer } | undefined;
    try {
      opened = await this.connect(dataKey);
      await prepare(opened.store);
    } catch (error) {
      opened?.key.fill(0);
      await opened?.store.close().catch(() => undefined);
      rmSync(this.settings.keyFile, { force: true });
      throw error;
    }
    await this.close();
    return this.use(opened);
  }

  async close(): Promise<void> {
    const store = this.current;
    this.current = undefined;
    this.identityKnown = undefined;
    this.dataKey?.fill(0);
    this.dataKey = undefined;
    await store?.close();
  }
}
