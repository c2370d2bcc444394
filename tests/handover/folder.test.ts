/**
 * The hand-over module in-process on a real store and a real folder (core/handover/hand-over.ts), for what the
 * end-to-end tests cannot arrange: names of message ids outside the safe alphabet, a folder under a delivery's name
 * that does not match its manifest (left alone, the delivery stays pending, the words say so), a `.done` file
 * without its folder, the temporary leftovers of a stopped run removed, and the switch-on point.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handOverPending, type HandoverOptions } from '../../core/handover/hand-over.js';
import { deliveryFolderName } from '../../core/handover/names.js';
import { ViewCache } from '../../core/mailbox/message-detail.js';
import { PostfachStore, SqliteMailboxStore } from '../../core/store/index.js';
import { butApplication } from '../helpers/but-application.js';
import { FAST_SCRYPT, STORE_PASSWORD, tempDir } from '../mailbox/helpers.js';
import { readHandoverFolder } from './helpers.js';

async function storeWith(): Promise<{ store: PostfachStore; dir: string }> {
  const dir = tempDir('postfach-handover-folder-');
  const { store } = await PostfachStore.create(path.join(dir, 'store', 'postfach.db'), { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
  return { store, dir };
}

async function save(store: PostfachStore, messageId: string): Promise<number> {
  const { xml } = butApplication({ messageId });
  const saved = await store.saveDelivery({
    messageId,
    content: xml,
    processCard: { creation: '2026-12-01T09:30:00Z' },
    summary: { applicants: ['Mia Müller'], benefitCode: '123', benefitText: 'Schulbedarf' },
  });
  return saved.id;
}

const options = (store: PostfachStore, folder: string): HandoverOptions => ({
  store: new SqliteMailboxStore(store),
  folder,
  cache: new ViewCache(),
  timeZone: 'Europe/Berlin',
  appVersion: '0.0.0-test',
});

describe('hand-over folder, in-process', () => {
  it('names ids outside the safe alphabet safely and apart, and hands over only what came after switching on', async () => {
    const { store, dir } = await storeWith();
    try {
      await save(store, 'vorher-1');
      const folder = path.join(dir, 'uebergabe');
      // switched on: the delivery stored before stays out
      expect(store.startHandover()).toEqual({ fromDelivery: 2, started: true });
      expect(store.startHandover().started).toBe(false);
      const odd = ['a/b+c=', 'a_b_c_', '../../etc', 'x'.repeat(300)];
      for (const m of odd) await save(store, m);
      const run = await handOverPending(options(store, folder));
      expect(run).toEqual({ handedOver: 4, refused: 0, pending: 0 });
      const names = odd.map(deliveryFolderName);
      expect(new Set(names).size).toBe(4);
      for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]{1,120}$/);
      const state = readHandoverFolder(folder);
      expect([...state.done.keys()].sort()).toEqual([...names].sort());
      expect(readdirSync(folder).some((e) => e.includes('vorher'))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('leaves a folder that does not match its manifest alone: the delivery stays pending, the words say why', async () => {
    const { store, dir } = await storeWith();
    try {
      store.startHandover();
      const folder = path.join(dir, 'uebergabe');
      const id = await save(store, 'fremd-1');
      const name = deliveryFolderName('fremd-1');
      // someone else's folder under the delivery's name
      mkdirSync(path.join(folder, name), { recursive: true });
      writeFileSync(path.join(folder, name, 'manifest.json'), JSON.stringify({ files: [{ path: 'Antrag.xml', size: 1, sha256: '00' }] }));
      // and what a stopped run left of a second delivery
      await save(store, 'rest-2');
      const rest = deliveryFolderName('rest-2');
      mkdirSync(path.join(folder, `.${rest}.tmp-abc123`));
      writeFileSync(path.join(folder, `.${rest}.tmp-abc123`, 'Antrag.xml'), 'halb');
      const run = await handOverPending(options(store, folder));
      expect(run.error?.kind).toBe('handover-inconsistent');
      expect(run.error?.text.de).toContain('nicht zu seiner Inhaltsliste');
      expect(run.error?.text.en).toContain('does not match');
      // the other delivery went over (its leftover removed); the one with the foreign folder waits
      expect(run.handedOver).toBe(1);
      expect(run.pending).toBe(1);
      expect(store.handoverOf(id)).toBeUndefined();
      expect(existsSync(path.join(folder, `${rest}.done`))).toBe(true);
      expect(readdirSync(folder).filter((e) => e.startsWith('.'))).toEqual([]);
      // IT moves the foreign folder away: it goes over too, the leftover is gone
      renameSync(path.join(folder, name), path.join(dir, 'beiseite'));
      const again = await handOverPending(options(store, folder));
      expect(again).toEqual({ handedOver: 1, refused: 0, pending: 0 });
      const state = readHandoverFolder(folder);
      expect(state.temporary).toEqual([]);
      expect(state.done.has(rest)).toBe(true);
      expect(state.done.has(name)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('refuses a .done file without its folder rather than writing a folder the case system may have taken already', async () => {
    const { store, dir } = await storeWith();
    try {
      store.startHandover();
      const folder = path.join(dir, 'uebergabe');
      mkdirSync(folder);
      await save(store, 'genommen-1');
      writeFileSync(path.join(folder, `${deliveryFolderName('genommen-1')}.done`), '{}');
      const run = await handOverPending(options(store, folder));
      expect(run.error?.kind).toBe('handover-inconsistent');
      expect(run.error?.detail).toContain('.done file without its folder');
      expect(readdirSync(folder)).toEqual([`${deliveryFolderName('genommen-1')}.done`]);
    } finally {
      store.close();
    }
  });
});
