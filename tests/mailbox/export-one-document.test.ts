/**
 * "Diese Anlage speichern" (issue 17): `messages.export` with format attachments and one document writes that
 * document only — an inline document of the XML by its ordinal, an OSCI attachment by its id — byte for byte as the
 * full export writes it; a reference that is not in the message is a clear `document-missing`, and nothing is written.
 * A real store (tests/ui/helpers/fixture-store.ts: synthetic applications with inline documents and OSCI attachments).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMessage } from '../../core/mailbox/export.js';
import { storedView, ViewCache } from '../../core/mailbox/message-detail.js';
import { PostfachStore } from '../../core/store/index.js';
import { createFixtureStore, FIXTURE_PASSWORD } from '../ui/helpers/fixture-store.js';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('exporting one document of a message', () => {
  let dir: string;
  let store: PostfachStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-export-one-'));
    const fixture = await createFixtureStore(path.join(dir, 'postfach.db'), 4);
    store = await PostfachStore.open(fixture.storePath, { password: FIXTURE_PASSWORD });
  });
  afterAll(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes just the chosen inline document or OSCI attachment, the same bytes as the full export', async () => {
    const record = store
      .list({ limit: 100 })
      .items.map((i) => store.getDelivery(i.id))
      .find((r) => r.attachments.length > 0);
    if (record === undefined) throw new Error('the fixture has no message with an OSCI attachment');
    const view = await storedView(store, record, new ViewCache());
    const inline = view?.documents[0];
    if (inline === undefined) throw new Error('the fixture message has no inline document');
    const all = path.join(dir, 'all');
    const full = await exportMessage(store, record.id, 'attachments', all, new ViewCache());
    expect(full.files.length).toBe((view?.documents.length ?? 0) + record.attachments.length);

    const one = path.join(dir, 'one-inline');
    const written = await exportMessage(store, record.id, 'attachments', one, new ViewCache(), { only: { source: 'inline', ordinal: inline.ordinal } });
    expect(written.files).toHaveLength(1);
    expect(readdirSync(one)).toHaveLength(1);
    const same = full.files.find((f) => path.basename(f.path) === path.basename(written.files[0]?.path ?? ''));
    expect(same).toBeDefined();
    expect(sha(written.files[0]?.path ?? '')).toBe(sha(same?.path ?? ''));

    const attachment = record.attachments[0];
    if (attachment === undefined) throw new Error('no attachment');
    const other = path.join(dir, 'one-attachment');
    const stored = await exportMessage(store, record.id, 'attachments', other, new ViewCache(), { only: { source: 'attachment', attachmentId: attachment.id } });
    expect(stored.files).toHaveLength(1);
    expect(full.files.map((f) => f.sha256)).toContain(stored.files[0]?.sha256);
  });

  it('refuses a document that is not in the message with document-missing, writing nothing', async () => {
    const id = store.list({ limit: 100 }).items.find((i) => store.getDelivery(i.id).unreadableReason === null)?.id ?? 0;
    const target = path.join(dir, 'none');
    await expect(exportMessage(store, id, 'attachments', target, new ViewCache(), { only: { source: 'inline', ordinal: 999_999 } })).rejects.toMatchObject({
      kind: 'document-missing',
    });
    await expect(exportMessage(store, id, 'attachments', target, new ViewCache(), { only: { source: 'attachment', attachmentId: 999_999 } })).rejects.toMatchObject({
      kind: 'document-missing',
    });
    await expect(exportMessage(store, id, 'attachments', target, new ViewCache(), { only: { source: 'content' } })).rejects.toMatchObject({ kind: 'document-missing' });
    expect(() => readdirSync(target)).toThrow();
  });
});
