/**
 * What the Übungsmodus tests read of a demo folder from outside: the ledger of its sending (applications.json) and
 * the deliveries its local intermediary has stored (the intermediary's own SQLite file, read only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';

export interface Ledger {
  readonly version: number;
  readonly sent: readonly string[];
  readonly sending?: { readonly seed: string; readonly messageId: string };
}

export const ledgerOf = (dir: string): Ledger => JSON.parse(readFileSync(path.join(dir, 'applications.json'), 'utf8')) as Ledger;

/** Message id and subject of every delivery the demo's intermediary has stored, oldest first. */
export function deliveriesAt(dir: string): Array<{ messageId: string; subject: string }> {
  const db = new Database(path.join(dir, 'intermediary', 'intermediary.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT message_id AS messageId, subject FROM deliveries ORDER BY seq').all() as Array<{ messageId: string; subject: string }>;
  } finally {
    db.close();
  }
}
