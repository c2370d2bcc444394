/**
 * A fetch sent beside `store.open` waits for the whole open (issue 14, cold fetch; the review of branch coldfetch4):
 * the store's key derived before the mailbox's modules have loaded, then the open's second half (IT's retention
 * values, stored deliveries judged again, the code-list folder imported — MailboxService.storeOpened) still to come.
 * The real staged service in this process (core/api/service-start.ts), a real SQLite store, a policy folder of code
 * lists, the local intermediary on loopback. The mailbox stage's load is held until the key is derived, and the
 * second half is held a while longer (a slow one: what a large code-list folder or many stored deliveries judged
 * again take); the fetch's transport layer may go ahead meanwhile, but nothing is committed or acknowledged before
 * the second half has ended, and the delivery is committed after the folder's code list was imported.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../core/api/api-types.js';
import { createStagedHandlers } from '../../core/api/service-start.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, openStore, pkiPassword, send, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir } from './helpers.js';

const root = tempDir('postfach-early-order-');
const dataDir = path.join(root, 'daten');
const dbPath = path.join(dataDir, 'postfach.db');
const folder = path.join(root, 'Codelisten');
let pkiDir = '';
let intermediary: RunningIntermediary;
/** The intermediary's own record of the requests it answered (its `log`): "<time> <type> … → <answer> <codes>". */
const requests: string[] = [];
const savedConfig = process.env.POSTFACH_MACHINE_CONFIG;

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'), { log: (line) => requests.push(line) });
  mkdirSync(folder);
  copyFileSync(path.resolve('tests/fixtures/codelists/leistungsart_1.xml'), path.join(folder, 'leistungsart_1.xml'));
  const machineFile = path.join(root, 'config.json');
  writeFileSync(machineFile, JSON.stringify({ settings: { codeListFolder: folder } }));
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  await createStore(dbPath);
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
  if (savedConfig === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
  else process.env.POSTFACH_MACHINE_CONFIG = savedConfig;
});

const count = (type: string): number => requests.filter((l) => l.split(' ')[1] === type).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`waited in vain for ${what}`);
    await sleep(20);
  }
}

describe('a fetch sent beside store.open, the key derived before the mailbox stage loaded', () => {
  it('commits and acknowledges only after the open’s second half (code-list folder) has ended, with one dialog', async () => {
    const [sent] = await send(intermediary.url, pkiDir, { content: readFileSync(vectorPath('content/antrag-1.xml')), count: 1, seed: 'early-order' });
    let loadStage!: () => void;
    const stageHeld = new Promise<void>((resolve) => (loadStage = resolve));
    let endSecondHalf!: () => void;
    const secondHalfHeld = new Promise<void>((resolve) => (endSecondHalf = resolve));
    let secondHalfDone = false;
    const staged = createStagedHandlers({ dataDir, appVersion: '0.1.0-test', host: 'cli' }, { protector: undefined }, async () => {
      await stageHeld;
      const module = await import('../../core/api/service.js');
      return {
        mailboxStage: (options, start) => {
          const stage = module.mailboxStage(options, start);
          const storeOpened = stage.service.storeOpened.bind(stage.service);
          // a slow second half: held until the test lets it run
          stage.service.storeOpened = async (input, context, open) => {
            await secondHalfHeld;
            const status = await storeOpened(input, context, open);
            secondHalfDone = true;
            return status;
          };
          return stage;
        },
      };
    });
    const context: ServiceContext = { emit: () => undefined };
    const early = staged.early;
    if (early['store.open'] === undefined || early['store.status'] === undefined) throw new Error('store.open and store.status belong to the first stage');
    const status = early['store.status'];
    const opening = Promise.resolve(early['store.open']({ path: dbPath, unlock: { password: STORE_PASSWORD } }, context));
    // the key is derived and the store unlocked while the mailbox's modules have not loaded
    await until('the unlock', async () => (await status({ path: dbPath }, context)).state === 'open');
    loadStage();
    const handlers = await staged.rest();
    const f = testPkiFiles(pkiDir);
    requests.length = 0;
    const fetching = Promise.resolve(
      handlers['mailbox.fetch'](
        {
          identity: {
            keyFile: f.municipality.p12,
            password: pkiPassword(pkiDir),
            intermediaryUrl: intermediary.url,
            intermediaryCertificateFile: f.intermediary.cer,
            trustedCaFiles: [f.ca],
          },
          maxDeliveries: 1,
        },
        context,
      ),
    );
    let settled = false;
    void fetching.finally(() => (settled = true)).catch(() => undefined);
    // the transport layer goes ahead: the dialog and its first FetchDelivery answered ...
    await until('the first FetchDelivery', () => count('FetchDelivery') >= 1 || settled);
    // ... and then nothing: no commit, no acknowledging request, while the second half is held
    await sleep(1500);
    expect(settled).toBe(false);
    expect(count('FetchDelivery')).toBe(1);
    expect(count('FetchProcessCard')).toBe(0);
    const meanwhile = await openStore(dbPath);
    try {
      expect(meanwhile.list({ limit: 10 }).items).toEqual([]);
    } finally {
      meanwhile.close();
    }

    endSecondHalf();
    expect((await opening).state).toBe('open');
    const result = await fetching;
    expect(secondHalfDone).toBe(true);
    expect(result).toMatchObject({ outcome: 'complete', newMessages: 1, duplicates: 0 });
    // one dialog: the one begun while the store opened was the run's
    expect(count('InitDialog')).toBe(1);
    const store = await openStore(dbPath);
    try {
      expect(store.list({ limit: 10 }).items.map((i) => i.messageId)).toEqual([sent!.messageId]);
      const audit = store.auditEntries();
      const imported = audit.findIndex((e) => e.action === 'codelist-imported');
      const fetched = audit.findIndex((e) => e.action === 'fetched');
      expect(imported).toBeGreaterThanOrEqual(0);
      expect(fetched).toBeGreaterThanOrEqual(0);
      // committed after the folder's code list was imported (audit entries in the order they were written)
      expect(audit[fetched]!.seq).toBeGreaterThan(audit[imported]!.seq);
    } finally {
      store.close();
    }
    await (await staged.rest())['store.close']({}, context);
  }, 180_000);
});
