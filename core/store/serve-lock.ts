/**
 * One `postfach serve` per store: the service holds `<store>.serve.lock` (created exclusively, 0600, naming the
 * process and machine) for as long as it runs; inside it the mailbox handlers run one fetch at a time (their
 * `fetch-running` lock), so there is exactly one fetcher. A second service on the same store waits up to `waitMs`
 * for the lock and then refuses with `serve-running`, naming who holds it. A lock left by a process that no longer
 * runs on this machine (a crash, kill -9) is taken over; a lock of another machine is never taken over (a store on a
 * share is ruled out by docs/betrieb.md anyway — IT removes such a lock by hand after checking).
 *
 * In core/store because every fetch asks it too (`assertNoServiceElsewhere`, core/mailbox/fetch-engine.ts): while a
 * service holds the store, a desktop app or `postfach fetch` in another process opens no dialog of that mailbox.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostfachError } from '../errors.js';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface ServeLock {
  readonly file: string;
  release(): void;
}

export const serveLockFile = (storePath: string): string => `${storePath}.serve.lock`;

function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string') return value as LockHolder;
  } catch {
    // unreadable or half-written: treated as held (never taken over by guessing)
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() } satisfies LockHolder));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new PostfachError(
      'serve-running',
      { de: 'Die Sperrdatei des Dienstes konnte nicht angelegt werden.', en: 'The service’s lock file could not be created.' },
      `serve lock: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** Takes the store's service lock, waiting up to `waitMs` (0: refuse at once when held). */
export async function takeServeLock(storePath: string, waitMs = 0, pollMs = 250, signal?: AbortSignal): Promise<ServeLock> {
  const file = serveLockFile(storePath);
  const deadline = signal?.aborted === true ? Date.now() : Date.now() + waitMs;
  for (;;) {
    if (tryTake(file)) break;
    const holder = readHolder(file);
    if (holder !== undefined && holder.host === os.hostname() && holder.pid !== process.pid && !alive(holder.pid)) {
      // left behind by a service that ended without releasing it (crash, kill -9): take it over
      rmSync(file, { force: true });
      continue;
    }
    // stopped while waiting (systemctl stop): give up now instead of starting once the lock comes free
    if (Date.now() >= deadline || signal?.aborted === true) {
      const who = holder === undefined ? 'unreadable lock file' : `pid ${holder.pid} on ${holder.host} since ${holder.startedAt}`;
      throw new PostfachError(
        'serve-running',
        {
          de: `Für diesen Datenspeicher läuft schon ein Abrufdienst (postfach serve). Es darf nur einer abrufen. Sperrdatei: ${file}`,
          en: `A fetch service (postfach serve) is already running for this data store. Only one may fetch. Lock file: ${file}`,
        },
        `serve lock held: ${who}`,
      );
    }
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const holder = readHolder(file);
    if (holder?.pid === process.pid && holder.host === os.hostname()) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}

/**
 * Refuses a fetch from this process while a `postfach serve` of another process holds the store (the service's own
 * worker thread shares its process id and passes). A lock of a process gone from this machine does not count.
 */
export function assertNoServiceElsewhere(storePath: string): void {
  const holder = readHolder(serveLockFile(storePath));
  if (holder === undefined) {
    // no lock, or one being written this instant: only an existing, unreadable file is someone's
    try {
      readFileSync(serveLockFile(storePath));
    } catch {
      return;
    }
  } else if (holder.pid === process.pid && holder.host === os.hostname()) return;
  else if (holder.host === os.hostname() && !alive(holder.pid)) return;
  throw new PostfachError(
    'serve-running',
    {
      de: 'Dieses Postfach ruft ein Abrufdienst (postfach serve) ab. Damit nur einer abruft, wird hier nicht abgerufen; die Anträge erscheinen über den Dienst.',
      en: 'A fetch service (postfach serve) fetches this mailbox. So that only one fetches, nothing is fetched here; the applications arrive through the service.',
    },
    holder === undefined ? 'serve lock file present but unreadable' : `serve lock held by pid ${holder.pid} on ${holder.host}`,
  );
}
