import type { Db } from '../database.js';

/**
 * One forward-only schema step. `version` k turns a database at user_version k-1 into k. Released migrations
 * are never edited: a change is a new migration. Each runs in its own transaction with the user_version bump.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}
