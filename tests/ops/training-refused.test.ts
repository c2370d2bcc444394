/**
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
import { PostfachError } from '../../core/errors.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { tempDir } from '../mailbox/helpers.js';
import { deliveriesAt } from './training-helpers.js';

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
