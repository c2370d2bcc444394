/**
 * The demo mailbox's test PKI, made once per demo folder and kept (core/pki/test-pki.ts): four RSA-3072 keys are
 * most of the seconds a new Übungsmodus costs, so the service may start making them while the first-start screen is
 * read (`ensureDemoPki` without a listener), and the Übungsmodus, once chosen, waits for that same run instead of
 * starting a second one — with the key count reported to it from where the run already is.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestPki, testPkiFiles } from '../core/pki/test-pki.js';

export const DEMO_PKI_KEYS = 4;

/** Where a demo folder keeps its test PKI. */
export function demoPkiDir(demoDir: string): string {
  return path.join(path.resolve(demoDir), 'pki');
}

interface Run {
  readonly done: Promise<void>;
  keys: number;
  readonly listeners: Set<(done: number, total: number) => void>;
}

/** Runs per PKI folder in this process; a run that failed is forgotten, so the next call tries again. */
const running = new Map<string, Run>();

/** Makes the test PKI in `pkiDir` unless it is there; `onKey` hears every key made from now on (and where the run is). */
export async function ensureDemoPki(pkiDir: string, onKey?: (done: number, total: number) => void): Promise<void> {
  const dir = path.resolve(pkiDir);
  let run = running.get(dir);
  if (run === undefined) {
    // the password file is written last: with it, the PKI is complete
    if (existsSync(testPkiFiles(dir).password)) return;
    const listeners = new Set<(done: number, total: number) => void>();
    const created: Run = {
      keys: 0,
      listeners,
      done: createTestPki(dir, {
        force: true,
        onKey: (done, total) => {
          created.keys = done;
          for (const listener of listeners) listener(done, total);
        },
      }).then(
        () => undefined,
        (error: unknown) => {
          running.delete(dir);
          throw error;
        },
      ),
    };
    run = created;
    running.set(dir, run);
    void run.done.then(
      () => running.delete(dir),
      () => undefined,
    );
  }
  if (onKey !== undefined) {
    onKey(run.keys, DEMO_PKI_KEYS);
    run.listeners.add(onKey);
  }
  try {
    await run.done;
  } finally {
    if (onKey !== undefined) run.listeners.delete(onKey);
  }
}
