import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database.js';

const caches = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection (preparing costs more than running the small statements here). */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
