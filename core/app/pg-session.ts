/**
 * The shared store on PostgreSQL as the service's one store (issue 13): opened with the mailbox key file and the
 * store password (or the recovery key), created together with its key file, and what the UI may know about it
 * (the same StoreStatus as the SQLite store's; `path` names the key file). The SQLite store's counterpart is
 * core/mailbox/store-session.ts; MailboxService picks one of the two at construction (store-factory.ts).
 */
import { rmSync } from 'node:fs';
import type { PgSettings } from '../api/service-protocol.js';
import type { StoreStatus } from '../mailbox/store-session.js';
import { mailboxError } from '../mailbox/errors.js';
import { storeError } from '../store/errors.js';
import { readKeyFile, writeKeyFile, type KeyFile } from '../store/key-file.js';
import { unlockDataKey, wrapperInfo } from '../store/keyring.js';
import type * as StorePg from '../store-pg/index.js';
import type { PgMailboxStore } from '../store-pg/index.js';

/**
 * The PostgreSQL part (the `pg` driver and core/store-pg) is loaded when a PostgreSQL store is first touched: a
 * service on the single-PC store never needs it, and loading it cost about 60 ms of CPU at every start of the
 * service — the CLI's `postfach fetch` included (issue 14, cold start).
 */
const storePg = (): Promise<typeof StorePg> => import('../store-pg/index.js');

export type PgUnlock = { readonly password: string } | { readonly recoveryKey: string } | { readonly protector: true };

export class PgStoreSession {
  private current: PgMailboxStore | undefined;
  private identityKnown: boolean | undefined;

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

  private async connect(dataKey: Buffer): Promise<PgMailboxStore> {
    try {
      const { PgMailboxStore, pgPoolConfig } = await storePg();
      return await PgMailboxStore.open({ connection: pgPoolConfig(this.settings), dataKey });
    } finally {
      dataKey.fill(0);
    }
  }

  async open(unlock: PgUnlock): Promise<PgMailboxStore> {
    if (this.current !== undefined) return this.current;
    if ('protector' in unlock) throw storeError('store-key-unavailable', 'the PostgreSQL store opens with password or recovery key only');
    this.current = await this.connect(await (await storePg()).unlockPgKeyFile(this.settings.keyFile, unlock));
    return this.current;
  }

  /**
   * Creates the key file and opens the database with the new key (a database already keyed with another key is
   * refused by its key check; the new key file is then removed again). `prepare` runs on the opened store.
   */
  async create(password: string, prepare?: (store: PgMailboxStore) => Promise<void>): Promise<{ store: PgMailboxStore; recoveryKey: string }> {
    const { dataKey, recoveryKey } = await (await storePg()).createPgKeyFile(this.settings.keyFile, password);
    let store: PgMailboxStore | undefined;
    try {
      store = await this.connect(dataKey);
      if (prepare) await prepare(store);
    } catch (error) {
      await store?.close().catch(() => undefined);
      rmSync(this.settings.keyFile, { force: true });
      throw error;
    }
    await this.close();
    this.current = store;
    return { store, recoveryKey };
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
    let store: PgMailboxStore | undefined;
    try {
      store = await this.connect(dataKey);
      await prepare(store);
    } catch (error) {
      await store?.close().catch(() => undefined);
      rmSync(this.settings.keyFile, { force: true });
      throw error;
    }
    await this.close();
    this.current = store;
    return store;
  }

  async close(): Promise<void> {
    const store = this.current;
    this.current = undefined;
    this.identityKnown = undefined;
    await store?.close();
  }
}
