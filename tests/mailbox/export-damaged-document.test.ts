/**
 * A document whose content is no valid base64 (the sender's bytes) cannot be written as a file. The attachments export
 * says so in its notes instead of leaving it out silently, and "Diese Anlage speichern" on it is a clear
 * `document-missing` with German words; the other documents are written as always. A real store, a real generated
 * application with one document's base64 broken.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMessage } from '../../core/mailbox/export.js';
import { storedView, ViewCache } from '../../core/mailbox/message-detail.js';
import { PostfachStore } from '../../core/store/index.js';
import { summarize } from '../../core/xsozial/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';

describe('exporting an application with a damaged document', () => {
  let dir: string;
  let store: PostfachStore;
  let id: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-export-damaged-'));
    ({ store } = await PostfachStore.create(path.join(dir, 'postfach.db'), { password: 'Beschaedigt-2026', durableCommits: false, osUser: 'test' }));
    const app = await generateApplication({ service: 'hzl', seed: 'damaged-document', evidence: { count: 2, size: 6_000 } });
    const xml = app.bytes().toString('utf8');
    // the second document's content: a few characters no base64 has, in the middle of its text
    const second = [...xml.matchAll(/<xsb:inhalt>/g)][1];
    if (second?.index === undefined) throw new Error('the generated application has fewer than two documents');
    const at = second.index + '<xsb:inhalt>'.length + 40;
    const content = Buffer.from(`${xml.slice(0, at)}!?*${xml.slice(at)}`, 'utf8');
    const summary = await summarize(content);
    ({ id } = await store.saveDelivery({
      messageId: 'damaged-document@test',
      content,
      contentType: 'application/xml',
      processCard: { creation: new Date(Date.now() - 3_600_000) },
      summary: { applicants: [...summary.applicants], applicantNames: summary.applicantNames, signatureStatus: 'trusted' },
      fetchedAt: new Date(),
    }));
  });
  afterAll(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the sound documents and names the damaged one in the notes', async () => {
    const view = await storedView(store, store.getDelivery(id), new ViewCache());
    const documents = view?.documents ?? [];
    const damaged = documents.filter((d) => d.problem?.kind === 'document-invalid');
    expect(damaged).toHaveLength(1);
    const target = path.join(dir, 'alle');
    const result = await exportMessage(store, id, 'attachments', target, new ViewCache());
    expect(result.files).toHaveLength(documents.length - 1);
    expect(readdirSync(target)).toHaveLength(documents.length - 1);
    expect(result.notes?.filter((n) => n.includes('Inhalt beschädigt (kein gültiges Base64), nicht gespeichert'))).toHaveLength(1);
  });

  it('refuses "Diese Anlage speichern" on the damaged document with German words, writing nothing', async () => {
    const view = await storedView(store, store.getDelivery(id), new ViewCache());
    const damaged = view?.documents.find((d) => d.problem?.kind === 'document-invalid');
    if (damaged === undefined) throw new Error('no damaged document in the view');
    const target = path.join(dir, 'eine');
    await expect(exportMessage(store, id, 'attachments', target, new ViewCache(), { only: { source: 'inline', ordinal: damaged.ordinal } })).rejects.toMatchObject({
      kind: 'document-missing',
      text: { de: expect.stringContaining('beschädigt') as unknown as string },
    });
    expect(() => readdirSync(target)).toThrow();
  });
});
