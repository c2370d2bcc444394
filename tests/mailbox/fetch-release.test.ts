/**
 * The fetch engine's last step releases the dialog's spools (core/mailbox/fetch-engine.ts `runFetch`, its `finally`:
 * `dialog?.release().catch(() => undefined)`), and a failure of that release is swallowed on purpose: the run's
 * outcome is what the caller must learn — the deliveries stored, or the error that ended the run. A release that
 * fails (a spool file that cannot be closed) must neither replace that error nor turn the result into a thrown one
 * (the deliveries before it are committed and acknowledged; the encrypted spool's key is gone with its object, the
 * file is deleted at the latest when the process ends: core/io/secure-spool.ts).
 *
 * Real intermediary on loopback, real store; the run ends with the store's own error (the store closed while the
 * delivery is being stored), and the release of the dialog's spool scopes fails from then on (injected at
 * SpoolScope.release, after it released for real).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SpoolScope } from '../../core/io/sink.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles } from '../../core/mailbox/identity.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { createStore, openStore, pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const root = tempDir('postfach-fetch-release-');
let pkiDir = '';
let intermediary: RunningIntermediary;

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('the fetch engine: a failing release of the dialog at the end of a run', () => {
  it('leaves the run’s own error and result as they are: no throw, no unhandled rejection', async () => {
    const f = testPkiFiles(pkiDir);
    const identity = identityFromFiles({
      keyFile: f.municipality.p12,
      password: pkiPassword(pkiDir),
      intermediaryUrl: intermediary.url,
      intermediaryCertificateFile: f.intermediary.cer,
      trustedCaFiles: [f.ca],
      timeoutSeconds: 30,
    });
    await send(intermediary.url, pkiDir, {});
    const dbPath = path.join(root, 'store', 'postfach.db');
    await createStore(dbPath);
    const store = await openStore(dbPath);
    const realRelease = Object.getOwnPropertyDescriptor(SpoolScope.prototype, 'release')!.value as (this: SpoolScope) => Promise<void>;
    let failedReleases = 0;
    let failing = false;
    const release = vi.spyOn(SpoolScope.prototype, 'release').mockImplementation(async function (this: SpoolScope) {
      await realRelease.call(this);
      if (!failing) return;
      failedReleases += 1;
      throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO' });
    });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const result = await runFetch({
        store,
        identity,
        onProgress: (p) => {
          // the delivery is in hand and about to be stored: the store goes away, and every release fails from now on
          if (p.phase === 'storing' && !failing) {
            failing = true;
            store.close();
          }
        },
      });
      expect(failedReleases).toBeGreaterThan(0);
      expect(result.outcome).toBe('failed');
      // the store's error, not the release's
      expect(result.error?.detail ?? '').not.toContain('EIO');
      expect(result.newMessages).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      release.mockRestore();
    }
    // the delivery is still at the intermediary (never acknowledged): the next run with a store fetches it
    const again = await openStore(dbPath);
    try {
      const next = await runFetch({ store: again, identity });
      expect(next).toMatchObject({ outcome: 'complete', newMessages: 1 });
    } finally {
      again.close();
    }
  }, 120_000);
});
