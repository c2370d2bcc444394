/**
 * One running demo per demo folder, across processes and threads: two would each run an intermediary on the shared
 * `intermediary/intermediary.sqlite` and rewrite the ledger in turn (`postfach demo --dir X` twice, two programs on
 * one data folder), and so send applications twice.
 *
 * The lock is SQLite's own exclusive lock on `<dir>/demo.lock`, held by an open connection for as long as the demo
 * runs, rather than a lock file naming a process: the operating system drops it with the process (a crash, kill
 * -9), and the database library drops it with a worker thread that ends or is terminated — a service restarted in
 * the same process (browser mode) is not locked out by its predecessor, which a file naming the process id would do.
 * SQLite's locks also hold between two connections of one process. Who holds it is written beside it for IT.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { PostfachError } from '../core/errors.js';

export interface DemoLock {
  release(): void;
}

const LOCK = 'demo.lock';
const HOLDER = 'demo.lock.holder';

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

function holderOf(dir: string): string {
  try {
    return readFileSync(path.join(dir, HOLDER), 'utf8').trim().slice(0, 200);
  } catch {
    return 'holder unknown';
  }
}

/** Takes the demo folder's lock, or refuses at once (`training-running`) while another demo runs there. */
export function takeDemoLock(dir: string): DemoLock {
  const db = new Database(path.join(dir, LOCK), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (!isBusy(error)) throw error;
    throw new PostfachError(
      'training-running',
      {
        de: 'Der Übungsmodus läuft bereits in einem anderen Programm. Bitte dort beenden oder dieses Programm schließen.',
        en: 'The training mode is already running in another program. Please end it there or close this program.',
      },
      `demo folder ${dir} is in use (${LOCK} held; ${holderOf(dir)})`,
    );
  }
  try {
    writeFileSync(path.join(dir, HOLDER), `pid ${process.pid} since ${new Date().toISOString()}\n`, { mode: 0o600 });
  } catch {
    // only for IT's reading: the lock itself is held
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      db.close();
    },
  };
}
