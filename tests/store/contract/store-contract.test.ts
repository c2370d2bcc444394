/**
 * The store contract: the same cases against both backends of MailboxStore — the embedded encrypted SQLite store
 * (real files) and the PostgreSQL store (a real throw-away cluster on loopback). Idempotent save by message id,
 * reading back content and attachments byte-exact, list/filter/sort/paging/day counts, search (German folding,
 * prefixes, every word), counts, the caseworker's steps with their audit entries, case work, the audit hash chain
 * and its tamper detection, retention (plan, apply, legal hold), deletion.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runAsAuditActor } from '../../../core/store/audit-actor.js';
import type { MailboxStore, NewDelivery } from '../../../core/store/index.js';
import { APPLICANTS, chunked, contentXml, delivery, sha256 } from '../helpers.js';
import { sqliteBackend, usePgCluster, type Backend } from './backends.js';

const pgCluster = usePgCluster();
const BACKENDS: ReadonlyArray<readonly [string, Backend]> = [
  ['sqlite', sqliteBackend],
  ['postgresql', pgCluster.backend],
];

const DAY = 24 * 60 * 60 * 1000;

const opened: MailboxStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** Twelve deliveries: attachments on every third, one Testantrag, one "nicht lesbar", one without Creation. */
function sample(i: number, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return delivery(i, {
    attachments: i % 3 === 0 ? [{ name: `Anlage ${i}.pdf`, mimeType: 'application/pdf', content: Buffer.from(`%PDF-1.7 anlage ${i}`) }] : [],
    summary: { ...delivery(i).summary, isTest: i === 7 },
    content: contentXml(APPLICANTS[i % APPLICANTS.length] as string, i === 5 ? '<hinweis>Nebenkostenabrechnung</hinweis>' : ''),
    unreadableReason: i === 9 ? 'no-matching-key' : undefined,
    unreadableKind: i === 9 ? 'no-matching-key' : undefined,
    processCard: i === 11 ? { creation: null } : delivery(i).processCard,
    ...overrides,
  });
}

describe.each(BACKENDS)('store contract: %s', (_name, backend) => {
  async function open(osUser?: string): Promise<MailboxStore> {
    const store = await backend.open(osUser);
    opened.push(store);
    return store;
  }
  async function filled(n = 12): Promise<MailboxStore> {
    const store = await open();
    for (let i = 0; i < n; i++) await store.saveDelivery(sample(i));
    return store;
  }
  const ids = async (store: MailboxStore, q: Parameters<MailboxStore['list']>[0] = {}) => (await store.list({ limit: 1000, ...q })).items.map((i) => i.id);

  it('saves a delivery and gives back every field, the content and the attachments byte-exact', async () => {
    const store = await open();
    const attachment = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(600 * 1024, 7)]);
    const d = sample(1, {
      attachments: [
        { name: 'Mietvertrag Öztürk.pdf', mimeType: 'application/pdf', content: attachment, coverage: { version: 1, status: 'signed' } },
        { name: 'leer.txt', mimeType: 'text/plain', content: Buffer.alloc(0) },
      ],
      senderCertificate: Buffer.from([0x30, 0x82, 1, 2, 3]),
      contentCoverage: { version: 1, role: 'application', status: 'signed' },
    });
    const saved = await store.saveDelivery(d);
    expect(saved.created).toBe(true);
    const record = await store.getDelivery(saved.id);
    expect(record).toMatchObject({
      id: saved.id,
      messageId: d.messageId,
      subject: d.subject,
      eingang: '2026-11-01T09:00:00.000Z',
      eingangKnown: true,
      applicants: ['Öztürk, Ayşe'],
      applicantNames: [{ family: 'Öztürk', given: 'Ayşe' }],
      benefitCode: 'GRUSI',
      attachmentCount: 2,
      state: 'new',
      unread: true,
      signatureResult: { valid: true, signer: 'CN=Sozialplattform Test' },
      certificateResult: { status: 'trusted' },
      processCard: { creation: '2026-11-01T09:00:00.000Z', forwarding: '2026-11-28T00:00:00.000Z', inspectionReport: { ok: true } },
      content: {
        size: (d.content as Buffer).length,
        sha256: sha256(d.content as Buffer),
        contentType: 'application/xml',
        coverage: { version: 1, role: 'application', status: 'signed' },
      },
      checklist: [],
      note: null,
    });
    expect(Buffer.from(record.senderCertificate ?? [])).toEqual(Buffer.from([0x30, 0x82, 1, 2, 3]));
    expect(record.attachments.map((a) => [a.position, a.name, a.mimeType, a.size, a.sha256, a.coverage])).toEqual([
      [0, 'Mietvertrag Öztürk.pdf', 'application/pdf', attachment.length, sha256(attachment), { version: 1, status: 'signed' }],
      [1, 'leer.txt', 'text/plain', 0, sha256(Buffer.alloc(0)), null],
    ]);
    expect(await store.readContent(saved.id)).toEqual(d.content);
    expect(await store.readAttachment(record.attachments[0]!.id)).toEqual(attachment);
    expect(await store.readAttachment(record.attachments[1]!.id)).toEqual(Buffer.alloc(0));
    const fetched = await store.auditEntries({ deliveryId: saved.id });
    expect(fetched.map((e) => e.action)).toEqual(['fetched']);
  });

  it('streams a large content given as a stream back byte-exact, chunk by chunk', async () => {
    const store = await open();
    const big = Buffer.concat([contentXml('Musterfrau, Erika', `<anlage>${'A'.repeat(700 * 1024)}</anlage>`)]);
    const { id } = await store.saveDelivery(sample(0, { content: chunked(big, 64 * 1024) }));
    const record = await store.getDelivery(id);
    expect(record.content).toMatchObject({ size: big.length, sha256: sha256(big) });
    const parts: Buffer[] = [];
    for await (const part of await store.openContent(id)) parts.push(part as Buffer);
    expect(parts.length).toBeGreaterThan(1);
    expect(Buffer.concat(parts)).toEqual(big);
    await expect(store.readContent(id, 1024)).rejects.toMatchObject({ kind: 'store-invalid-input' });
  });

  it('is idempotent by OSCI message id: a second save, also a simultaneous one, writes nothing', async () => {
    const store = await open();
    const first = await store.saveDelivery(sample(2));
    const again = await store.saveDelivery(sample(2, { subject: 'anders' }));
    expect(again).toEqual({ id: first.id, created: false });
    const racing = await Promise.all([store.saveDelivery(sample(3)), store.saveDelivery(sample(3)), store.saveDelivery(sample(3))]);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect((await store.counts()).inbox).toBe(2);
    expect((await store.getDelivery(first.id)).subject).toBe(sample(2).subject);
    expect((await store.auditEntries()).filter((e) => e.action === 'fetched')).toHaveLength(2);
    expect(await store.findByMessageId(sample(3).messageId)).toBe(racing[0].id);
    expect(await store.findByMessageId('gibt-es-nicht')).toBeUndefined();
  });

  it('refuses an attachment whose bytes differ from the expected SHA-256 and keeps nothing of it', async () => {
    const store = await open();
    const d = sample(4, { attachments: [{ name: 'a.pdf', mimeType: 'application/pdf', content: Buffer.from('abc'), expectedSha256: '0'.repeat(64) }] });
    await expect(store.saveDelivery(d)).rejects.toMatchObject({ kind: 'store-invalid-input' });
    expect(await store.findByMessageId(d.messageId)).toBeUndefined();
    expect((await store.counts()).inbox).toBe(0);
  });

  it('lists newest Eingang first with paging, the total and day counts', async () => {
    const store = await filled();
    const all = await ids(store);
    expect(all).toHaveLength(12);
    // id 12 (i = 11) has no Creation: its fetch time (28.11.) is its Eingang, the newest
    expect(all[0]).toBe(12);
    expect(all.slice(1)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const page = await store.list({ limit: 5, offset: 5 });
    expect(page.total).toBe(12);
    expect(page.offset).toBe(5);
    expect(page.items.map((i) => i.id)).toEqual([7, 6, 5, 4, 3]);
    expect(page.items[0]?.eingangKnown).toBe(true);
    const withCounts = await store.list({ countFrom: ['2026-11-01T12:00:00Z', '2026-11-28T00:00:00Z'] });
    expect(withCounts.atOrAfter).toEqual([8, 1]);
    expect(await ids(store, { descending: false })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('gives every page of every sort as the same slice of the whole list, and the total past the end', async () => {
    const store = await filled();
    await store.markTransferred(2);
    await store.markRead(5);
    await store.setCaseWork(4, { followUpOn: '2026-12-01' });
    await store.moveToTrash(6);
    const sorts = ['eingang', 'applicant', 'benefit', 'state', 'followUp'] as const;
    for (const sort of sorts) {
      for (const descending of [false, true]) {
        for (const filter of [{}, { unread: true }, { withAttachments: false, notTransferred: true }, { trash: true }]) {
          const q = { sort, descending, ...filter };
          const whole = await store.list({ ...q, limit: 1000, countFrom: ['2026-11-01T12:00:00Z'] });
          for (const offset of [0, 2, 5]) {
            const page = await store.list({ ...q, limit: 3, offset, countFrom: ['2026-11-01T12:00:00Z'] });
            expect(
              page.items.map((i) => i.id),
              JSON.stringify({ ...q, offset }),
            ).toEqual(whole.items.slice(offset, offset + 3).map((i) => i.id));
            expect(page.total).toBe(whole.total);
            expect(page.atOrAfter).toEqual(whole.atOrAfter);
          }
          const past = await store.list({ ...q, offset: 50 });
          expect(past).toMatchObject({ items: [], total: whole.total, offset: 50 });
        }
      }
    }
    expect((await store.list({ offset: 50 })).total).toBe(11);
    expect((await store.list({ trash: true })).items.map((i) => i.id)).toEqual([6]);
  });

  it('filters by the quick filters and the Eingang range', async () => {
    const store = await filled();
    expect(await ids(store, { withAttachments: true, descending: false })).toEqual([1, 4, 7, 10]);
    expect(await ids(store, { test: true })).toEqual([8]);
    expect((await ids(store, { test: false })).length).toBe(11);
    expect(await ids(store, { unreadable: true })).toEqual([10]);
    expect(await ids(store, { from: '2026-11-01T10:00:00Z', to: '2026-11-01T12:00:00Z', descending: false })).toEqual([3, 4]);
    const unreadable = (await store.list({ unreadable: true })).items[0];
    expect(unreadable).toMatchObject({ unreadableReason: 'no-matching-key', unreadableKind: 'no-matching-key' });
  });

  it('sorts by applicant in German order, by benefit and by state, ties by Eingang', async () => {
    const store = await filled(10);
    const byName = (await store.list({ sort: 'applicant', limit: 100 })).items.map((i) => i.applicantNames?.[0]?.family);
    expect(byName).toEqual(['Beispiel', 'Đorđević', 'Groß', 'Łukasiewicz', 'Müller', 'Musterfrau', 'Nguyễn', 'Ødegård', 'Öztürk', 'Schäfer']);
    const byBenefit = (await store.list({ sort: 'benefit', limit: 100 })).items.map((i) => `${i.benefitCode}:${i.id}`);
    expect(byBenefit).toEqual(['ASYLBLG:4', 'ASYLBLG:9', 'BUT:3', 'BUT:8', 'GRUSI:2', 'GRUSI:7', 'HZL:1', 'HZL:6', 'WBS:5', 'WBS:10']);
    await store.markTransferred(2);
    await store.markRead(5);
    const byState = (await store.list({ sort: 'state', descending: true, limit: 3 })).items.map((i) => [i.id, i.state]);
    expect(byState).toEqual([
      [2, 'transferred'],
      [5, 'read'],
      [10, 'new'],
    ]);
  });

  it('searches names, ids and subject: every word, as a prefix, with umlauts and DIN 91379 letters folded', async () => {
    const store = await filled();
    const found = async (search: string) => ids(store, { search, descending: false });
    expect(await found('Musterfr')).toEqual([1, 11]);
    expect(await found('musterfrau erika')).toEqual([1, 11]);
    expect(await found('Lukasiewicz')).toEqual([3]);
    expect(await found('Mueller')).toEqual([4]);
    expect(await found('Müller')).toEqual([4]);
    expect(await found('Strasse Groß')).toEqual([]);
    expect(await found('Gross')).toEqual([6]);
    expect(await found('Ødegård')).toEqual([7]);
    expect(await found('Teilhabe')).toEqual([3, 8]);
    expect(await found('osci-msg-00004')).toEqual([5]);
    expect(await found('Teilhabe Łukasiewicz')).toEqual([3]);
    expect(await found('  ...  ')).toHaveLength(12);
    const page = await store.list({ search: 'Musterfrau', countFrom: ['2026-11-01T12:00:00Z'] });
    expect(page.total).toBe(2);
    expect(page.atOrAfter).toEqual([1]);
    await store.moveToTrash(1);
    expect(await found('Musterfrau')).toEqual([11]);
    expect(await ids(store, { search: 'Musterfrau', trash: true })).toEqual([1]);
  });

  it(`the content's text is searchable only where it is kept in an encrypted index (${backend.searchesContent ? 'found' : 'not found'})`, async () => {
    const store = await filled();
    expect(await ids(store, { search: 'Nebenkostenabrechnung' })).toEqual(backend.searchesContent ? [6] : []);
  });

  it("records the caseworker's steps with their audit entries, and counts the folders", async () => {
    const store = await filled();
    expect(await store.counts()).toEqual({ inbox: 12, unread: 12, notTransferred: 12, transferred: 0, unreadable: 1, test: 1, trash: 0, followUp: 0, mine: 0, unassigned: 12 });
    const record = await store.openDelivery(1);
    expect(record.unread).toBe(false);
    expect(record.state).toBe('read');
    await store.markUnread(1);
    expect((await store.getDelivery(1)).unread).toBe(true);
    await store.recordExported(2, 'pdf');
    await store.recordPrinted(2);
    await store.markTransferred(3);
    await store.markTransferred(3);
    await store.moveToTrash(4);
    await store.moveToTrash(4);
    await store.restoreFromTrash(4);
    await store.moveToTrash(5);
    await store.setChecklist(6, ['person', 'einkommen', 'person']);
    await store.recordProcessCard(12, { creation: '2026-11-02T07:00:00Z', inspectionReport: { ok: false, code: 'late' } });
    expect((await store.getDelivery(2)).state).toBe('exported');
    expect((await store.getDelivery(3)).state).toBe('transferred');
    expect((await store.getDelivery(6)).checklist).toEqual(['person', 'einkommen']);
    const twelve = await store.getDelivery(12);
    expect(twelve).toMatchObject({ eingang: '2026-11-02T07:00:00.000Z', eingangKnown: true, processCard: { inspectionReport: { ok: false, code: 'late' } } });
    expect(await store.counts()).toEqual({ inbox: 11, unread: 9, notTransferred: 10, transferred: 1, unreadable: 1, test: 1, trash: 1, followUp: 0, mine: 0, unassigned: 11 });
    expect(await ids(store, { unread: true, descending: false })).toEqual([1, 6, 7, 8, 9, 10, 11, 12, 4].sort((a, b) => a - b));
    expect(await ids(store, { trash: true })).toEqual([5]);
    expect(await ids(store, { transferred: true })).toEqual([3]);
    const actions = (await store.auditEntries()).filter((e) => e.action !== 'fetched' && e.action !== 'store-created').map((e) => [e.action, e.deliveryId, e.osUser]);
    expect(actions).toEqual([
      ['opened', 1, 'sachbearbeitung1'],
      ['exported', 2, 'sachbearbeitung1'],
      ['printed', 2, 'sachbearbeitung1'],
      ['marked-transferred', 3, 'sachbearbeitung1'],
      ['trashed', 4, 'sachbearbeitung1'],
      ['restored', 4, 'sachbearbeitung1'],
      ['trashed', 5, 'sachbearbeitung1'],
    ]);
    await expect(store.markRead(999)).rejects.toMatchObject({ kind: 'store-unknown-message' });
    await expect(store.getDelivery({ messageId: 'nicht-da' })).rejects.toMatchObject({ kind: 'store-unknown-message' });
  });

  it('records the process cards of a fetch in one step: all of them, or none when one names no message', async () => {
    const store = await filled(3);
    await store.recordProcessCards([
      { ref: 1, card: { reception: '2026-11-29T09:15:00Z' } },
      {
        ref: { messageId: (await store.getDelivery(2)).messageId },
        card: { forwarding: '2026-11-29T09:14:00Z', reception: '2026-11-29T09:16:00Z', inspectionReport: { ok: true } },
      },
    ]);
    expect((await store.getDelivery(1)).processCard.reception).toBe('2026-11-29T09:15:00.000Z');
    expect((await store.getDelivery(2)).processCard).toMatchObject({
      forwarding: '2026-11-29T09:14:00.000Z',
      reception: '2026-11-29T09:16:00.000Z',
      inspectionReport: { ok: true },
    });
    // the second names no message: the first is not recorded either
    await expect(
      store.recordProcessCards([
        { ref: 3, card: { reception: '2026-11-29T09:17:00Z' } },
        { ref: 999, card: { reception: '2026-11-29T09:18:00Z' } },
      ]),
    ).rejects.toMatchObject({ kind: 'store-unknown-message' });
    expect((await store.getDelivery(3)).processCard.reception).toBeNull();
    await store.recordProcessCards([]);
  });

  it('keeps the case work, finds the Aktenzeichen, counts the Wiedervorlage, audits lengths and days only', async () => {
    const store = await filled(4);
    const work = await store.setCaseWork(2, { aktenzeichen: 'SO-2026/4711', note: '  Rückruf bei Frau Öztürk\r\nwegen Mietvertrag  ', followUpOn: '2026-12-10' });
    expect(work).toEqual({ aktenzeichen: 'SO-2026/4711', note: 'Rückruf bei Frau Öztürk\nwegen Mietvertrag', followUpOn: '2026-12-10' });
    expect(await store.getDelivery(2)).toMatchObject({ aktenzeichen: 'SO-2026/4711', note: 'Rückruf bei Frau Öztürk\nwegen Mietvertrag', followUpOn: '2026-12-10' });
    expect(await ids(store, { search: 'SO-2026/4711' })).toEqual([2]);
    expect(await ids(store, { followUp: true })).toEqual([2]);
    expect((await store.counts()).followUp).toBe(1);
    expect((await store.list({ sort: 'followUp', descending: true, limit: 1 })).items[0]?.id).toBe(2);
    const unchanged = await store.setCaseWork(2, { aktenzeichen: 'SO-2026/4711' });
    expect(unchanged.note).toBe('Rückruf bei Frau Öztürk\nwegen Mietvertrag');
    await store.setCaseWork(2, { followUpOn: null, aktenzeichen: '' });
    expect((await store.getDelivery(2)).aktenzeichen).toBeNull();
    expect(await ids(store, { search: '4711' })).toEqual([]);
    await expect(store.setCaseWork(2, { followUpOn: '2026-02-30' })).rejects.toMatchObject({ kind: 'store-invalid-input' });
    const entries = (await store.auditEntries({ deliveryId: 2 })).slice(1).map((e) => [e.action, e.detail]);
    expect(entries).toEqual([
      ['aktenzeichen-changed', '{"v":1,"length":12}'],
      ['note-changed', `{"v":1,"length":${'Rückruf bei Frau Öztürk\nwegen Mietvertrag'.length}}`],
      ['follow-up-set', '{"v":1,"due":"2026-12-10"}'],
      ['aktenzeichen-changed', '{"v":1,"removed":true}'],
      ['follow-up-cleared', null],
    ]);
  });

  it('chains the audit log: verification passes, and finds an entry changed behind its back', async () => {
    const store = await filled(3);
    await store.openDelivery(2);
    const before = await store.verifyAuditLog();
    const entries = await store.auditEntries();
    expect(before).toEqual({ ok: true, entries: entries.length, head: entries[entries.length - 1]?.hash });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(await store.auditEntries({ afterSeq: 2, limit: 2 })).toEqual(entries.slice(2, 4));
    expect((await store.auditEntries({ messageId: sample(1).messageId })).map((e) => e.action)).toEqual(['fetched', 'opened']);
    await backend.tamperAuditUser(store, 3);
    expect(await store.verifyAuditLog()).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'hash' });
  });

  it('plans and applies retention: due transferred and trashed messages, never one on legal hold, only those shown', async () => {
    const store = await filled(6);
    await store.markTransferred(1);
    await store.markTransferred(2);
    await store.moveToTrash(3);
    await store.moveToTrash(4);
    await store.setLegalHold(4, true);
    expect(await store.planRetention()).toEqual([]);
    const later = new Date(Date.now() + 31 * DAY);
    const plan = await store.planRetention(later);
    expect(plan.map((c) => [c.id, c.reason])).toEqual([
      [1, 'transferred'],
      [2, 'transferred'],
      [3, 'trash'],
    ]);
    const result = await store.applyRetention({ now: later, onlyIds: [1, 3] });
    expect(result.deleted.map((c) => c.id)).toEqual([1, 3]);
    await expect(store.getDelivery(1)).rejects.toMatchObject({ kind: 'store-unknown-message' });
    expect((await store.planRetention(later)).map((c) => c.id)).toEqual([2]);
    expect((await store.auditEntries({ deliveryId: 3 })).map((e) => [e.action, e.detail]).slice(-1)).toEqual([['retention-deleted', '{"v":1,"reason":"trash"}']]);
    await expect(store.deletePermanently(4)).rejects.toMatchObject({ kind: 'store-legal-hold' });
    await store.setLegalHold(4, false);
    await store.deletePermanently(4);
    expect(await ids(store, { trash: true })).toEqual([]);
    expect((await store.verifyAuditLog()).ok).toBe(true);
  });

  it('keeps the retention settings, audited, and refuses impossible ones', async () => {
    const store = await open();
    expect(await store.getSettings()).toEqual({ retentionTransferredDays: 30, retentionTrashDays: 30 });
    expect(await store.updateSettings({ retentionTrashDays: 7 })).toEqual({ retentionTransferredDays: 30, retentionTrashDays: 7 });
    await expect(store.updateSettings({ retentionTrashDays: -1 })).rejects.toMatchObject({ kind: 'store-invalid-input' });
    const last = (await store.auditEntries()).at(-1);
    expect(last).toMatchObject({ action: 'settings-changed', detail: '{"v":1,"event":"retention","changes":["retention.trashDays=30→7"]}' });
    await store.saveDelivery(sample(0));
    await store.moveToTrash(1);
    expect((await store.planRetention(new Date(Date.now() + 8 * DAY))).map((c) => c.id)).toEqual([1]);
  });

  // ---- the shared inbox (issue 13): persons as the service names them (the call's audit actor) ----
  const anna = 'serve:anna';
  const berta = 'serve:berta';
  const chef = 'serve:chef';
  const as = <T>(who: string, work: () => Promise<T>): Promise<T> => runAsAuditActor(who, work);

  it('shared inbox: a claim is shown to everyone, refused to colleagues, handed and taken over explicitly, each audited', async () => {
    const store = await filled(4);
    const claimed = await as(anna, () => store.claimStep(2, { kind: 'claim' }));
    expect(claimed.claim).toMatchObject({ by: anna, mine: true });
    expect(Date.parse(claimed.claim!.at)).toBeGreaterThan(Date.now() - 60_000);
    // Berta sees Anna's claim, and cannot claim, release or hand it over: a colleague's claim is not overridden
    expect((await as(berta, () => store.getDelivery(2))).claim).toMatchObject({ by: anna, mine: false });
    for (const step of [{ kind: 'claim' }, { kind: 'release' }, { kind: 'hand', to: berta }] as const) {
      await expect(as(berta, () => store.claimStep(2, step))).rejects.toMatchObject({ kind: 'store-claimed' });
    }
    expect((await store.getDelivery(2)).claim?.by).toBe(anna);
    // claiming again is no step (no second audit entry)
    await as(anna, () => store.claimStep(2, { kind: 'claim' }));
    // Anna hands it to Berta; the Leitung takes it over from Berta; then releases it
    expect((await as(anna, () => store.claimStep(2, { kind: 'hand', to: berta }))).claim).toMatchObject({ by: berta, mine: false });
    expect((await as(chef, () => store.claimStep(2, { kind: 'take-over' }))).claim).toMatchObject({ by: chef, mine: true });
    expect((await as(chef, () => store.claimStep(2, { kind: 'release' }))).claim).toBeNull();
    // releasing what nobody holds changes nothing
    await as(anna, () => store.claimStep(2, { kind: 'release' }));
    const steps = (await store.auditEntries({ deliveryId: 2 })).filter((e) => e.action.startsWith('claim')).map((e) => [e.action, e.osUser, e.detail]);
    expect(steps).toEqual([
      ['claimed', anna, null],
      ['claim-handed', anna, '{"v":1,"to":"berta","from":"anna"}'],
      ['claim-taken-over', chef, '{"v":1,"from":"berta"}'],
      ['claim-released', chef, null],
    ]);
    await expect(as(anna, () => store.claimStep(2, { kind: 'hand', to: '' }))).rejects.toMatchObject({ kind: 'store-invalid-input' });
    await expect(as(anna, () => store.claimStep(99, { kind: 'claim' }))).rejects.toMatchObject({ kind: 'store-unknown-message' });
    expect((await store.verifyAuditLog()).ok).toBe(true);
  });

  it('shared inbox: the views "Meine" and "Nicht zugewiesen" and their counts, per person', async () => {
    const store = await filled(5);
    await as(anna, () => store.claimStep(1, { kind: 'claim' }));
    await as(anna, () => store.claimStep(3, { kind: 'claim' }));
    await as(berta, () => store.claimStep(4, { kind: 'claim' }));
    expect((await as(anna, () => ids(store, { view: 'mine' }))).sort()).toEqual([1, 3]);
    expect(await as(berta, () => ids(store, { view: 'mine' }))).toEqual([4]);
    expect((await as(chef, () => ids(store, { view: 'unassigned' }))).sort()).toEqual([2, 5]);
    expect(await as(chef, () => ids(store, { view: 'mine' }))).toEqual([]);
    expect(await as(anna, () => store.counts())).toMatchObject({ inbox: 5, mine: 2, unassigned: 2 });
    expect(await as(berta, () => store.counts())).toMatchObject({ mine: 1, unassigned: 2 });
    // a trashed message leaves the views
    await store.moveToTrash(3);
    expect(await as(anna, () => ids(store, { view: 'mine' }))).toEqual([1]);
    expect((await as(anna, () => store.list({ view: 'mine' }))).items[0]?.claim).toMatchObject({ by: anna, mine: true });
  });

  it('shared inbox: read and unread per person; without a person (single PC) the one read mark as before', async () => {
    const store = await filled(3);
    await as(anna, () => store.openDelivery(1));
    await as(anna, () => store.markRead(2));
    expect((await as(anna, () => store.getDelivery(1))).unread).toBe(false);
    expect((await as(berta, () => store.getDelivery(1))).unread).toBe(true);
    expect(await as(anna, () => ids(store, { unread: true }))).toEqual([3]);
    expect((await as(berta, () => ids(store, { unread: true }))).sort()).toEqual([1, 2, 3]);
    expect(await as(berta, () => ids(store, { unread: false }))).toEqual([]);
    expect((await as(anna, () => store.counts())).unread).toBe(1);
    expect((await as(berta, () => store.counts())).unread).toBe(3);
    // Anna marks one unread again: Berta's view does not change, the state "read" (by anyone) stays
    await as(berta, () => store.markRead(2));
    await as(anna, () => store.markUnread(2));
    expect((await as(anna, () => store.getDelivery(2))).unread).toBe(true);
    expect((await as(berta, () => store.getDelivery(2))).unread).toBe(false);
    expect((await store.getDelivery(2)).state).toBe('read');
    // the single-PC mode: one person, the store's one mark
    expect((await store.getDelivery(1)).unread).toBe(false);
    expect(await ids(store, { unread: true })).toEqual([3]);
    await store.markUnread(1);
    expect((await store.getDelivery(1)).unread).toBe(true);
    expect((await store.counts()).unread).toBe(2);
  });

  it("shared inbox: a person's unread count and list leave out the trash, also what they read there", async () => {
    const store = await filled(4);
    await as(anna, () => store.markRead(1));
    await as(anna, () => store.markRead(2));
    await store.moveToTrash(2);
    await store.moveToTrash(3);
    expect(await as(anna, () => store.counts())).toMatchObject({ inbox: 2, unread: 1, trash: 2 });
    expect(await as(berta, () => store.counts())).toMatchObject({ inbox: 2, unread: 2, trash: 2 });
    expect(await as(anna, () => ids(store, { unread: true }))).toEqual([4]);
    expect((await as(anna, () => store.list({ trash: true }))).items.map((i) => [i.id, i.unread])).toEqual([
      [3, true],
      [2, false],
    ]);
    expect((await as(anna, () => store.list({ unread: false }))).items.map((i) => [i.id, i.unread])).toEqual([[1, false]]);
  });

  it('shared inbox: "übertragen" names who and when, and is refused while a colleague holds the message', async () => {
    const store = await filled(2);
    await as(anna, () => store.claimStep(1, { kind: 'claim' }));
    await expect(as(berta, () => store.markTransferred(1))).rejects.toMatchObject({ kind: 'store-claimed' });
    expect((await store.getDelivery(1)).transfer).toBeNull();
    const before = Date.now();
    await as(anna, () => store.markTransferred(1));
    const record = await as(berta, () => store.getDelivery(1));
    expect(record.transfer?.by).toBe(anna);
    expect(Date.parse(record.transfer!.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(record.state).toBe('transferred');
    // after a take-over by the Leitung, she may take it back
    await as(chef, () => store.claimStep(1, { kind: 'take-over' }));
    await expect(as(anna, () => store.markTransferred(1, false))).rejects.toMatchObject({ kind: 'store-claimed' });
    await as(chef, () => store.markTransferred(1, false));
    expect((await store.getDelivery(1)).transfer).toBeNull();
    // unclaimed: anyone; the single-PC mode names the OS user
    await store.markTransferred(2);
    expect((await store.getDelivery(2)).transfer?.by).toBe('sachbearbeitung1');
    const audited = (await store.auditEntries()).filter((e) => e.action.endsWith('transferred')).map((e) => [e.action, e.deliveryId, e.osUser]);
    expect(audited).toEqual([
      ['marked-transferred', 1, anna],
      ['unmarked-transferred', 1, chef],
      ['marked-transferred', 2, 'sachbearbeitung1'],
    ]);
  });

  it('shared inbox: two claims at the same moment — exactly one wins, the other is refused', async () => {
    const store = await filled(1);
    const results = await Promise.allSettled([as(anna, () => store.claimStep(1, { kind: 'claim' })), as(berta, () => store.claimStep(1, { kind: 'claim' }))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ kind: 'store-claimed' });
    expect((await store.auditEntries()).filter((e) => e.action === 'claimed')).toHaveLength(1);
  });

  it('refuses to be used after close()', async () => {
    const store = await backend.open();
    await store.close();
    await expect(store.list()).rejects.toMatchObject({ kind: 'store-closed' });
  });
});
