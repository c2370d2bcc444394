/**
 * core/store-pg — the shared store on PostgreSQL (public surface): PgMailboxStore behind the MailboxStore interface
 * of core/store, its schema, and a throw-away local cluster for tests, the bench and trying out.
 */
export { PgMailboxStore, type PgStoreOptions } from './pg-store.js';
export { PG_LATEST_VERSION, PG_MIGRATIONS } from './migrations.js';
export { findPostgresBin, startLocalCluster, type LocalCluster, type LocalClusterOptions } from './local-cluster.js';
export { createPgKeyFile, pgKeyFileExists, unlockPgKeyFile } from './pg-key-file.js';
export { pgPoolConfig, type PgConnectionSettings } from './pg-connect.js';
export { fetchRunningElsewhere } from './pg-service-data.js';
