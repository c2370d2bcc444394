/**
 * The schema check of every open: a store at the current version (the common case) needs nothing more than its
 * PRAGMA user_version, so the migrations and their runner are loaded only for a store that is older (or newer,
 * which the runner refuses with `store-too-new`) — their 20 modules cost 10–15 ms of CPU at each service start.
 */
import type { Db } from './database.js';
import { LATEST_SCHEMA_VERSION } from './migrations/latest.js';

/** Brings the database to the current schema (migrations/index.ts); loads the migrations only when it is not there. */
export async function migrateToLatest(db: Db): Promise<void> {
  if (Number(db.pragma('user_version', { simple: true })) === LATEST_SCHEMA_VERSION) return;
  const { migrate } = await import('./migrations/index.js');
  migrate(db);
}
