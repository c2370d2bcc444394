/**
 * The schema's history, oldest first, and the runner. PRAGMA user_version holds the number of the last
 * migration applied; a database newer than this program is refused (`store-too-new`) rather than guessed at.
 */
import type { Db } from '../database.js';
import { storeError } from '../errors.js';
import { migration001 } from './001-deliveries.js';
import { migration002 } from './002-audit-log.js';
import { migration003 } from './003-search.js';
import { migration004 } from './004-workflow.js';
import { migration005 } from './005-list-indexes.js';
import { migration006 } from './006-mailbox-identity.js';
import { migration007 } from './007-key-rotation.js';
import { migration008 } from './008-unreadable-kind.js';
import { migration009 } from './009-creation-check.js';
import { migration010 } from './010-part-coverage.js';
import { migration011 } from './011-trusted-cas.js';
import { migration012 } from './012-names-and-code-lists.js';
import { migration013 } from './013-evidence-codes.js';
import { migration014 } from './014-case-work.js';
import { migration015 } from './015-handover.js';
import { migration016 } from './016-english-tokens.js';
import { migration017 } from './017-shared-inbox.js';
import { migration018 } from './018-combined-filter-indexes.js';
import { migration019 } from './019-search-list-index.js';
import type { Migration } from './migration.js';
import { LATEST_SCHEMA_VERSION as LATEST_DECLARED } from './latest.js';

export type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
];

export const LATEST_SCHEMA_VERSION = migrations.length;

// the open skips this module for a store at latest.ts's version: a list longer than that number would never run
if (LATEST_DECLARED !== LATEST_SCHEMA_VERSION) throw new Error(`migrations/latest.ts says ${LATEST_DECLARED}, the list has ${LATEST_SCHEMA_VERSION}: update latest.ts`);

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies every migration above the database's version, up to `target` (default: the latest). */
export function migrate(db: Db, target: number = LATEST_SCHEMA_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw storeError('store-too-new', `schema version ${current}, this program knows up to ${LATEST_SCHEMA_VERSION}`);
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    // IMMEDIATE: two programs opening an old store at once migrate it once; the second sees the new version
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
