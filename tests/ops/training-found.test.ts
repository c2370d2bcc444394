/**
 * `postfach demo` says truthfully what its start brought to the intermediary: an application that a stopped or
 * killed run had stored there, whose intent was still open, is found by its process card and recorded as sent
 * without sending it again — the progress counted it, but `demo.start`'s `sent` did not name it, so the output
 * spoke of four where five were there. Now it is in `found`; `sent` and `found` together are exactly what is at the
 * intermediary. The state is the one a kill at `demo-delivered` leaves (tests/ops/training-kill.test.ts makes it by
 * killing the process; made here step by step with the real sender): the real service, the real intermediary on
 * loopback, its SQLite file read from here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_APPLICATIONS } from '../../app/demo-applications.js';
import { startDemoMailbox } from '../../app/demo-mailbox.js';
import { deliveredWords } from '../../cli/commands/demo.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import { createTestPki } from '../../core/pki/test-pki.js';
import { issueMessageId, loadSenderSetup, sendApplications } from '../../intermediary/index.js';
import { tempDir } from '../mailbox/helpers.js';
import { deliveriesAt, ledgerOf } from './training-helpers.js';

describe('an application found at the intermediary by its open intent', () => {
  it('is named in found, not in sent; sent and found are what is at the intermediary', async () => {
    const dir = tempDir('postfach-training-found-');
    mkdirSync(dir, { recursive: true });
    await createTestPki(path.join(dir, 'pki'));
    // a stopped run: the folder set up, the first application stored at the intermediary under the id of its
    // intent, the ledger not yet told (a kill at demo-delivered)
    const demo = await startDemoMailbox(dir, { firstBatch: 0 });
    const app = DEMO_APPLICATIONS[0]!;
    let messageId: string;
    try {
      const setup = loadSenderSetup({ pkiDir: demo.pkiDir });
      messageId = await issueMessageId(demo.intermediaryUrl, setup);
      writeFileSync(path.join(dir, 'applications.json'), `${JSON.stringify({ version: 1, sent: [], sending: { seed: app.seed, messageId } })}\n`);
      await sendApplications({ intermediaryUrl: demo.intermediaryUrl, setup, service: app.service, seed: app.seed, messageId });
    } finally {
      await demo.close();
    }
    expect(deliveriesAt(dir).map((d) => d.messageId)).toEqual([messageId]);

    const service = await startInProcessService({ dataDir: dir, appVersion: '0.1.0-test', host: 'cli' });
    try {
      const api = createApiClient(service.asBridge());
      const started = await api.call('demo.start', {});
      expect(started.created).toBe(false);
      expect(started.found).toEqual([messageId]);
      expect(started.sent).toHaveLength(DEMO_APPLICATIONS.length - 1);
      expect(started.sent).not.toContain(messageId);
      const stored = deliveriesAt(dir).map((d) => d.messageId);
      expect(stored).toHaveLength(DEMO_APPLICATIONS.length);
      expect([...stored].sort()).toEqual([...started.sent, ...started.found].sort());
      expect(ledgerOf(dir)).toEqual({ version: 1, sent: DEMO_APPLICATIONS.map((a) => a.seed) });
      // the command's words name both
      expect(deliveredWords(started)).toBe(`4 Anträge an ${started.intermediaryUrl} gesendet, 1 Antrag schon beim Intermediär vorgefunden (nicht noch einmal gesendet)`);
      await api.call('store.close', {});
      await api.call('demo.stop', {});
    } finally {
      await service.close();
    }
  }, 240_000);

  it('the words: only sent, only found, neither', () => {
    const url = 'http://127.0.0.1:1';
    expect(deliveredWords({ sent: ['a', 'b'], found: [], intermediaryUrl: url })).toBe(`2 Anträge an ${url} gesendet`);
    expect(deliveredWords({ sent: [], found: ['a'], intermediaryUrl: url })).toBe(`1 Antrag schon beim Intermediär ${url} vorgefunden (nicht noch einmal gesendet)`);
    expect(deliveredWords({ sent: [], found: [], intermediaryUrl: url })).toBeUndefined();
  });
});
