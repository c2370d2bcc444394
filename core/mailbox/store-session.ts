/**
 * The one store a service works on: where it lies, whether it exists, opening (password, recovery key, the host's
 * OS key store protector) and creating it, and what the UI may know about it (StoreStatus). The store itself is
 * core/store; this only keeps it for the handlers between calls.
 */
import path from 'node:path';
import { PostfachStore, type KeyProtector, type OpenStoreOptions, type StoreUnlock } from '../store/index.js';
import { storeError } from '../store/errors.js';
import { readKeyFile } from '../store/key-file.js';
import { wrapperInfo } from '../store/keyring.js';
import { storePaths } from '../store/paths.js';
import { mailboxError } from './errors.js';

/** What the UI may know about the store (the contract's `storeStatusSchema`). */
export interface StoreStatus {
  /** none: no store at the path yet · locked: a store exists, not opened · open: ready. */
  state: 'none' | 'locked' | 'open';
  path: string;
  wrappers: Array<{ id: string; type: 'password' | 'recovery' | 'protector'; createdAt: string }>;
  protectorAvailable: boolean;
  identityConfigured: boolean;
}

export const DEFAULT_STORE_FILE = 'postfach.db';

export type SessionUnlock = { readonly password: string } | { readonly recoveryKey: string } | { readonly protector: true };

export interface StoreSessionOptions {
  /** The data folder: the store is `<dataDir>/postfach.db` unless a call names another path. */
  readonly dataDir: string;
  /** The host's OS key store (desktop app), where there is one. */
  readonly protector?: KeyProtector;
  /** Passed to the store on every open (tests: size cap, injected write errors). */
  readonly storeOptions?: OpenStoreOptions;
}

export class StoreSession {
  private current: { store: PostfachStore; path: string } | undefined;
  private storeFolder: string | undefined;

  constructor(private readonly options: StoreSessionOptions) {}

  /** The folder of the default store when the settings name one (policy "StoreFolder"); else the data folder. */
  setStoreFolder(folder: string | undefined): void {
    this.storeFolder = folder;
  }

  resolvePath(wanted?: string): string {
    return path.resolve(wanted ?? path.join(this.storeFolder ?? this.options.dataDir, DEFAULT_STORE_FILE));
  }

  get store(): PostfachStore | undefined {
    return this.current?.store.isOpen ? this.current.store : undefined;
  }

  /** The open store, or `store-not-open`. */
  require(): PostfachStore {
    const store = this.store;
    if (store === undefined) throw mailboxError('store-not-open', 'no store opened in this service');
    return store;
  }

  status(wanted?: string): StoreStatus {
    const file = wanted === undefined && this.current ? this.current.path : this.resolvePath(wanted);
    const open = this.current !== undefined && this.current.path === file && this.current.store.isOpen;
    const exists = open || PostfachStore.exists(file);
    let wrappers: StoreStatus['wrappers'] = [];
    if (exists) {
      try {
        wrappers = wrapperInfo(readKeyFile(storePaths(file).keyFile)).map((w) => ({ id: w.id, type: w.type, createdAt: w.createdAt }));
      } catch {
        // an unreadable key file is reported when opening; the status stays answerable
      }
    }
    return {
      state: open ? 'open' : exists ? 'locked' : 'none',
      path: file,
      wrappers,
      protectorAvailable: this.options.protector !== undefined,
      identityConfigured: open ? this.current!.store.hasMailboxIdentity() : false,
    };
  }

  private unlockOf(unlock: SessionUnlock): StoreUnlock {
    if ('protector' in unlock) {
      if (this.options.protector === undefined) {
        throw storeError('store-key-unavailable', 'unlock with protector requested, but the host offers none');
      }
      return { protector: this.options.protector };
    }
    return unlock;
  }

  async open(wanted: string | undefined, unlock: SessionUnlock): Promise<PostfachStore> {
    const file = this.resolvePath(wanted);
    if (this.current?.path === file && this.current.store.isOpen) return this.current.store;
    const store = await PostfachStore.open(file, this.unlockOf(unlock), this.options.storeOptions);
    this.close();
    this.current = { store, path: file };
    return store;
  }

  /**
   * Creates the store and opens it. `prepare` (e.g. saving the mailbox identity of a set-up) runs on the new store
   * first; when it fails, the new store is removed again and the one open before stays open.
   */
  async create(
    wanted: string | undefined,
    wrappers: { password?: string; protector?: boolean },
    prepare?: (store: PostfachStore) => void | Promise<void>,
  ): Promise<{ store: PostfachStore; recoveryKey: string }> {
    const file = this.resolvePath(wanted);
    if (wrappers.protector === true && this.options.protector === undefined) {
      throw storeError('store-key-unavailable', 'store creation with protector requested, but the host offers none');
    }
    const created = await PostfachStore.create(
      file,
      {
        ...this.options.storeOptions,
        ...(wrappers.password === undefined ? {} : { password: wrappers.password }),
        ...(wrappers.protector === true && this.options.protector ? { protector: this.options.protector } : {}),
      },
      prepare,
    );
    this.close();
    this.current = { store: created.store, path: file };
    return created;
  }

  async addProtector(): Promise<void> {
    const store = this.require();
    if (this.options.protector === undefined) throw storeError('store-key-unavailable', 'no protector offered by the host');
    await store.addProtector(this.options.protector);
  }

  close(): void {
    this.current?.store.close();
    this.current = undefined;
  }
}
