/**
 * `postfach demo`: test PKI, the local intermediary, five synthetic applications (different services, one
 * Testantrag, one with evidence attachments) fetched into a demo store, and where everything is. Started again on
 * the same folder (the Übungsmodus after a restart) it keeps everything and sends nothing twice.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeWords } from '../../cli/commands/demo.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromRecord } from '../../core/mailbox/identity.js';
import { startDemoMailbox } from '../../app/demo-mailbox.js';
import { PostfachStore } from '../../core/store/index.js';
import { ensureBuilt, postfach, tempDir } from './helpers.js';

describe('the demo mailbox', () => {
  it('postfach demo sends, fetches and says where everything is; a second start keeps it all', async () => {
    ensureBuilt();
    const dir = path.join(tempDir('postfach-mailbox-demo-'), 'demo');
    const run = await postfach(['demo', '--dir', dir, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { ok: boolean; store: string; storePasswordFile: string; recoveryKeyFile: string | null; created: boolean; sent: string[]; fetch: { newMessages: number; outcome: string }; messages: number };
    expect(out).toMatchObject({ ok: true, created: true, messages: 5, fetch: { outcome: 'complete', newMessages: 5 } });
    expect(out.sent).toHaveLength(5);
    // the files README lists for the demo folder, the two secrets readable by the owner only
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['intermediary', 'logs', 'pki', 'postfach.db', 'recovery-key.txt', 'store-password']));
    expect(out.recoveryKeyFile).toBe(path.join(dir, 'recovery-key.txt'));
    expect(readFileSync(out.recoveryKeyFile!, 'utf8')).toMatch(/^[0-9A-Z]{6}(-[0-9A-Z]{6}){7}\n$/);
    for (const secret of [out.recoveryKeyFile!, out.storePasswordFile]) expect(statSync(secret).mode & 0o077).toBe(0);

    const human = await postfach(['list', '--store', out.store, '--json'], { POSTFACH_STORE_PASSWORD: readFileSync(out.storePasswordFile, 'utf8').trim() });
    const items = JSON.parse(human.stdout) as Array<{ isTest: boolean; attachmentCount: number; benefit: { code: string }; signatureStatus: string }>;
    expect(items).toHaveLength(5);
    expect(items.filter((i) => i.isTest)).toHaveLength(1);
    expect(items.filter((i) => i.attachmentCount === 2)).toHaveLength(1);
    expect(new Set(items.map((i) => i.benefit.code)).size).toBe(5);
    expect(items.every((i) => i.signatureStatus === 'vertrauenswuerdig')).toBe(true);

    const text = await postfach(['demo', '--dir', dir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Im Datenspeicher: 5 Nachricht(en)');
    expect(text.stdout).toContain(`postfach list --store ${out.store}`);
    expect(text.stdout).toContain(`Wiederherstellungsschlüssel:     ${out.recoveryKeyFile!}   (nur für die Demo in einer Datei)`);

    // the Übungsmodus after a restart: same folder, a new port written into the store, nothing sent again
    const again = await startDemoMailbox(dir);
    try {
      expect(again).toMatchObject({ created: false, sent: [], storePath: out.store });
      const store = await PostfachStore.open(again.storePath, again.unlock);
      const identity = identityFromRecord(store.readMailboxIdentity()!);
      expect(identity.connection.intermediaryUrl).toBe(again.intermediaryUrl);
      const result = await runFetch({ store, identity });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 0 });
      expect(store.list().total).toBe(5);
      store.close();
    } finally {
      await again.close();
    }
  }, 240_000);

  it('the summary says how the fetch ended in German words', () => {
    expect(outcomeWords('complete')).toBe('Postfach leer');
    expect(outcomeWords('cancelled')).toBe('abgebrochen');
    expect(outcomeWords('failed')).toBe('fehlgeschlagen');
  });
});
