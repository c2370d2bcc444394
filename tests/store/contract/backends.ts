/**
 * The two store backends for the contract suite: each factory makes a fresh, empty store behind the MailboxStore
 * interface — a real encrypted SQLite store in a temporary folder, or a new database in a throw-away PostgreSQL
 * cluster (initdb + pg_ctl on loopback, started once per test file, stopped at its end) — and can change an audit
 * entry behind the program's back the way someone with direct database access would.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { SqliteMailboxStore, type MailboxStore, type PostfachStore } from '../../../core/store/index.js';
import { PgMailboxStore, startLocalCluster, type LocalCluster } from '../../../core/store-pg/index.js';
import { newStore, rawDatabase } from '../helpers.js';

export interface Backend {
  readonly name: 'sqlite' | 'postgresql';
  /** Whether the search finds words of the content's text (SQLite: yes; PostgreSQL: no, the content stays sealed). */
  readonly searchesContent: boolean;
  /** A fresh, empty store; closed by the suite's afterEach through `close`. */
  open(osUser?: string): Promise<MailboxStore>;
  /** Changes the os_user of audit entry `seq` directly in the database (triggers bypassed). */
  tamperAuditUser(store: MailboxStore, seq: number): Promise<void>;
}

const sqlitePaths = new WeakMap<MailboxStore, string>();

export const sqliteBackend: Backend = {
  name: 'sqlite',
  searchesContent: true,
  async open(osUser = 'sachbearbeitung1') {
    const { store, dbPath } = await newStore({ osUser });
    const adapter = new SqliteMailboxStore(store);
    sqlitePaths.set(adapter, dbPath);
    return adapter;
  },
  async tamperAuditUser(store, seq) {
    const dbPath = sqlitePaths.get(store);
    if (dbPath === undefined) throw new Error('not a store of this backend');
    // the SQLite store holds the database open; the raw connection writes beside it (WAL)
    const { db } = await rawDatabase(dbPath);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET os_user = 'jemand' WHERE seq = ?").run(seq);
    db.close();
  },
};

/** The PostgreSQL cluster of this test file, started in beforeAll and stopped in afterAll. */
export function usePgCluster(): { readonly cluster: () => LocalCluster; readonly backend: Backend } {
  let cluster: LocalCluster | undefined;
  let admin: pg.Client | undefined;
  let counter = 0;
  const databases = new WeakMap<MailboxStore, string>();
  beforeAll(async () => {
    cluster = await startLocalCluster();
    admin = new pg.Client({ connectionString: cluster.url });
    // the server going away at the end of the file must not surface as an uncaught error
    admin.on('error', () => undefined);
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    await admin?.end();
    await cluster?.stop();
  }, 60_000);
  const connection = (database: string): pg.ClientConfig => {
    if (cluster === undefined) throw new Error('cluster not started');
    return { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database };
  };
  const backend: Backend = {
    name: 'postgresql',
    searchesContent: false,
    async open(osUser = 'sachbearbeitung1') {
      if (admin === undefined) throw new Error('cluster not started');
      const database = `postfach_${process.pid}_${++counter}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const store = await PgMailboxStore.open({ connection: connection(database), dataKey: randomBytes(32), osUser });
      databases.set(store, database);
      return store;
    },
    async tamperAuditUser(store, seq) {
      const database = databases.get(store);
      if (database === undefined) throw new Error('not a store of this backend');
      const raw = new pg.Client(connection(database));
      raw.on('error', () => undefined);
      await raw.connect();
      try {
        await raw.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
        await raw.query("UPDATE audit_log SET os_user = 'jemand' WHERE seq = $1", [seq]);
      } finally {
        await raw.end();
      }
    },
  };
  return {
    cluster: () => {
      if (cluster === undefined) throw new Error('cluster not started');
      return cluster;
    },
    backend,
  };
}

/** The PostfachStore behind an adapter (for tests that need a SQLite-only call). */
export function sqliteStoreOf(store: MailboxStore): PostfachStore | undefined {
  return store instanceof SqliteMailboxStore ? store.store : undefined;
}
