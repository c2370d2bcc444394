/**
 * The Übungsmodus refuses clearly instead of sending anything twice.
 *
 * A second program on the same demo folder (`postfach demo --dir X` twice, two programs on one data folder) would run
 * a second intermediary on the shared SQLite file and rewrite the ledger in turn: it is refused at once, in German,
 * with the folder for IT (app/demo-lock.ts); once the first has ended, the folder is free again, and the
 * intermediary holds each application exactly once. The first program is this test process (the real demo, its
 * lock held), the second the built `postfach demo` as a process of its own.
 *
 * When the Übungsmodus's local intermediary cannot be asked (a message id, the process card of an open intent), the
 * caseworker reads the Übungsmodus's own „kann gerade nicht gestartet werden“, not the intermediary's words; IT
 * reads them in the detail; an open intent stays open for the next start. The real demo folder and intermediary on
 * loopback, made to refuse: the sender's copy of the intermediary's certificate swapped for another (what it
 * encrypts, the intermediary cannot open).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDemoMailbox } from '../../app/demo-mailbox.js';
import { DEMO_APPLICATIONS } from '../../app/demo-applications.js';
import { PostfachError } from '../../core/errors.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { ensureBuilt, postfach, tempDir } from '../mailbox/helpers.js';
import { deliveriesAt, ledgerOf } from './training-helpers.js';

const refusal = async (dir: string): Promise<PostfachError> => {
  const error: unknown = await startDemoMailbox(dir, { firstBatch: 1 }).then(
    async (demo) => {
      await demo.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PostfachError);
  return error as PostfachError;
};

describe('the Übungsmodus when its intermediary cannot be asked', () => {
  it('a message id or a process card refused: the Übungsmodus’s own error, the detail for IT, the intent kept', async () => {
    const dir = tempDir('postfach-training-refused-');
    const demo = await startDemoMailbox(dir, { firstBatch: 0 });
    await demo.close();
    const files = testPkiFiles(demo.pkiDir);
    copyFileSync(files.municipality.cer, files.intermediary.cer);
    const ledgerFile = path.join(dir, 'applications.json');

    const issuing = await refusal(dir);
    expect(issuing.kind).toBe('training-unavailable');
    expect(issuing.text.de).toContain('Der Übungsmodus kann gerade nicht gestartet werden');
    expect(issuing.detail).toContain('message id');
    expect(issuing.detail).toContain('9200');
    expect(JSON.parse(readFileSync(ledgerFile, 'utf8'))).toEqual({ version: 1, sent: [] });

    const intent = { seed: 'demo-grusi', messageId: 'an-open-intent' };
    writeFileSync(ledgerFile, JSON.stringify({ version: 1, sent: [], sending: intent }));
    const checking = await refusal(dir);
    expect(checking.kind).toBe('training-unavailable');
    expect(checking.detail).toContain('process card of an-open-intent');
    expect(JSON.parse(readFileSync(ledgerFile, 'utf8'))).toEqual({ version: 1, sent: [], sending: intent });
    expect(deliveriesAt(dir)).toHaveLength(0);
  }, 240_000);
});

describe('two programs on one demo folder', () => {
  it('the second is refused at once while the first runs; after it, the folder is free; each application once', async () => {
    ensureBuilt();
    const dir = tempDir('postfach-training-two-');
    const first = await startDemoMailbox(dir, { firstBatch: 1 });
    let closed = false;
    try {
      // a second demo in this process is refused as well (two services in one process, a test harness)
      await expect(startDemoMailbox(dir, { firstBatch: 0 })).rejects.toMatchObject({ kind: 'training-running' });
      const second = await postfach(['demo', '--dir', dir, '--json']);
      expect(second.status, second.stdout + second.stderr).not.toBe(0);
      expect(second.stdout + second.stderr).toContain('Der Übungsmodus läuft bereits in einem anderen Programm');
      expect(second.stdout + second.stderr).toContain('demo.lock');
      expect(deliveriesAt(dir)).toHaveLength(1);
      await first.close();
      closed = true;
      const after = await postfach(['demo', '--dir', dir, '--json']);
      expect(after.status, after.stderr).toBe(0);
      expect(deliveriesAt(dir)).toHaveLength(DEMO_APPLICATIONS.length);
      expect(new Set(deliveriesAt(dir).map((d) => d.subject)).size).toBe(DEMO_APPLICATIONS.length);
      expect(ledgerOf(dir)).toEqual({ version: 1, sent: DEMO_APPLICATIONS.map((a) => a.seed) });
    } finally {
      if (!closed) await first.close();
    }
  }, 600_000);
});
