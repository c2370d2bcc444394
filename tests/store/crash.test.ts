/**
 * Crash safety and concurrency with real processes: a child saves a delivery with large streamed attachments and
 * is SIGKILLed at chosen moments. Before saveDelivery returns, a kill leaves no half delivery (and the files it
 * left are swept on the next open); after it returns, nothing is lost. A second process reads while one writes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { delivery, newStore, PASSWORD, patternBytes, rawDatabase, sha256 } from './helpers.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'save-child.ts');
const MiB = 1024 * 1024;

interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line that starts with `prefix`. */
  waitFor(prefix: string): Promise<string>;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(dbPath: string, scenario: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, scenario], {
    env: { ...process.env, POSTFACH_STORE_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((x) => line.startsWith(x.prefix))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    lines,
    exited,
    waitFor: (prefix) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen !== undefined) return resolve(seen);
        waiters.push({ prefix, resolve });
        void exited.then(() => reject(new Error(`child exited before "${prefix}": ${stderr.slice(0, 2000)}`)));
      }),
  };
}

async function killAt(child: Child, prefix: string): Promise<void> {
  await child.waitFor(prefix);
  child.process.kill('SIGKILL');
  // wait for the exit: an unreaped (zombie) child would still count as a living writer
  expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
}

const blobFiles = (dir: string): string[] => readdirSync(path.join(dir, 'postfach.db.files'));

async function prepared(): Promise<{ dbPath: string; dir: string; keptId: number; keptAttachment: Buffer }> {
  const { store, dbPath, dir } = await newStore();
  const keptAttachment = patternBytes(700_000, 'kept');
  const { id } = await store.saveDelivery(delivery(1, { attachments: [{ name: 'kept.pdf', mimeType: 'application/pdf', content: keptAttachment }] }));
  store.close();
  return { dbPath, dir, keptId: id, keptAttachment };
}

async function checkConsistent(dbPath: string, dir: string, keptId: number, keptAttachment: Buffer): Promise<PostfachStore> {
  const store = await PostfachStore.open(dbPath, { password: PASSWORD });
  const { db } = await rawDatabase(dbPath);
  const committedBlobs = (db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n;
  expect(db.prepare('SELECT count(*) AS n FROM pending_blobs').get()).toEqual({ n: 0 });
  db.close();
  // after the sweep every file on disk belongs to a committed row
  expect(blobFiles(dir)).toHaveLength(committedBlobs);
  const kept = store.getDelivery(keptId);
  expect((await store.readAttachment(kept.attachments[0]?.id ?? -1)).equals(keptAttachment)).toBe(true);
  expect(store.checkIntegrity().ok).toBe(true);
  expect(store.verifyAuditLog().ok).toBe(true);
  return store;
}

describe('a save killed with SIGKILL', () => {
  it.each([
    ['while the large content streams into its file', 'content'],
    ['while the second attachment streams (the first one complete)', 'attachment-2'],
  ])('%s: no half delivery, the files left behind are swept on the next open', async (_name, scenario) => {
    const { dbPath, dir, keptId, keptAttachment } = await prepared();
    const child = startChild(dbPath, scenario);
    await killAt(child, 'MARK');
    expect(child.lines).not.toContainEqual(expect.stringMatching(/^SAVED/));
    // the kill left partial blob files beside the committed one
    expect(blobFiles(dir).length).toBeGreaterThan(1);
    const store = await checkConsistent(dbPath, dir, keptId, keptAttachment);
    expect(blobFiles(dir)).toHaveLength(1);
    expect(store.findByMessageId(`crash-${scenario}`)).toBeUndefined();
    expect(store.list().total).toBe(1);
    expect(store.auditEntries().filter((e) => e.messageId === `crash-${scenario}`)).toEqual([]);
    // fetching it again after the crash stores it whole
    const again = await store.saveDelivery({
      messageId: `crash-${scenario}`,
      content: Buffer.from('<x/>'),
      attachments: [{ name: 'z', mimeType: 'x/y', content: patternBytes(MiB, 'again') }],
    });
    expect(again.created).toBe(true);
    store.close();
  });

  it('right when the last byte was handed over: all or nothing', async () => {
    const { dbPath, dir, keptId, keptAttachment } = await prepared();
    const child = startChild(dbPath, 'before-commit');
    await killAt(child, 'MARK');
    const store = await checkConsistent(dbPath, dir, keptId, keptAttachment);
    const id = store.findByMessageId('crash-before-commit');
    if (id === undefined) {
      expect(blobFiles(dir)).toHaveLength(1);
    } else {
      const r = store.getDelivery(id);
      expect(sha256(await store.readAttachment(r.attachments[1]?.id ?? -1))).toBe(sha256(patternBytes(3 * MiB, 'a2')));
      expect(blobFiles(dir)).toHaveLength(3);
    }
    store.close();
  });

  it('after saveDelivery returned: everything is there, byte for byte', async () => {
    const { dbPath, dir, keptId, keptAttachment } = await prepared();
    const child = startChild(dbPath, 'after-return');
    await killAt(child, 'SAVED');
    const store = await checkConsistent(dbPath, dir, keptId, keptAttachment);
    const id = store.findByMessageId('crash-after-return');
    expect(id).toBeDefined();
    const r = store.getDelivery(id ?? -1);
    expect(r).toMatchObject({ applicants: ['Absturz, Anna'], attachmentCount: 2 });
    expect(sha256(await store.readContent(id ?? -1))).toBe(sha256(patternBytes(8 * MiB, 'content')));
    expect(sha256(await store.readAttachment(r.attachments[0]?.id ?? -1))).toBe(sha256(patternBytes(3 * MiB, 'a1')));
    expect(sha256(await store.readAttachment(r.attachments[1]?.id ?? -1))).toBe(sha256(patternBytes(3 * MiB, 'a2')));
    expect(store.auditEntries().find((e) => e.messageId === 'crash-after-return')).toMatchObject({ action: 'fetched', osUser: 'abruf-dienst' });
    store.close();
  });
});

describe('two processes on one store', () => {
  it('a reader lists while a writer process saves; the reader never sees a half delivery', async () => {
    const { store: reader, dbPath } = await newStore();
    const child = startChild(dbPath, 'writer');
    await child.waitFor('OPEN');
    const totals: number[] = [];
    while (!child.lines.includes('DONE')) {
      const page = reader.list({ limit: 1000 });
      totals.push(page.total);
      for (const item of page.items) {
        // every delivery visible is complete: its attachment reads back whole
        const r = reader.getDelivery(item.id);
        expect(r.attachments).toHaveLength(1);
      }
      await new Promise((r) => setTimeout(r, 20));
      if ((await Promise.race([child.exited, Promise.resolve('running')])) !== 'running') break;
    }
    expect(await child.exited).toMatchObject({ code: 0 });
    expect(totals.every((t, i) => i === 0 || t >= (totals[i - 1] ?? 0))).toBe(true);
    expect(new Set(totals).size).toBeGreaterThan(2);
    expect(reader.list().total).toBe(30);
    const last = reader.getDelivery({ messageId: 'writer-29' });
    expect((await reader.readAttachment(last.attachments[0]?.id ?? -1)).equals(patternBytes(50_000, 'wa29'))).toBe(true);
    reader.close();
  });
});
