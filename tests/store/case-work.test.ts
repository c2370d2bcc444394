/**
 * The office's notes on an application (migration 14): Aktenzeichen, note and Wiedervorlage — stored encrypted,
 * audited per change, found by the search (each word in the message's or the notes' index), kept across a
 * restart, gone with the message; the Wiedervorlage filter, count and sort; the day counts for grouping the list.
 */
import { describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { matchRanges, searchTerms } from '../../core/search-fold.js';
import { auditWords } from '../../core/store/audit-words.js';
import { delivery, FAST_SCRYPT, newStore, PASSWORD, scanForPlaintext } from './helpers.js';

async function storeWith(n: number) {
  const made = await newStore({ scrypt: FAST_SCRYPT });
  for (let i = 0; i < n; i++) await made.store.saveDelivery(delivery(i));
  return made;
}
const ids = (store: PostfachStore, q: Parameters<PostfachStore['list']>[0]): number[] => store.list({ limit: 1000, ...q }).items.map((i) => i.id);

describe('case work', () => {
  it('stores plain values, audits each change without its text, and survives reopening the store', async () => {
    const { store, dbPath, dir } = await storeWith(3);
    const saved = store.setCaseWork(2, { aktenzeichen: '  50.2-4711/26 ', note: 'Rückfrage Vermieterbescheinigung\r\nbis Ende Dezember', followUpOn: '2026-12-10' });
    expect(saved).toEqual({ aktenzeichen: '50.2-4711/26', note: 'Rückfrage Vermieterbescheinigung\nbis Ende Dezember', followUpOn: '2026-12-10' });
    // the same values again: nothing changed, nothing audited
    store.setCaseWork(2, { aktenzeichen: '50.2-4711/26' });
    const entries = store.auditEntries().filter((e) => e.deliveryId === 2 && e.action !== 'fetched');
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['aktenzeichen-changed', '{"v":1,"length":12}'],
      ['note-changed', '{"v":1,"length":50}'],
      ['follow-up-set', '{"v":1,"due":"2026-12-10"}'],
    ]);
    expect(entries.map((e) => auditWords(e.action, e.detail))).toEqual([
      { de: 'Aktenzeichen geändert (12 Zeichen)', en: 'File number changed (12 characters)' },
      { de: 'Notiz geändert (50 Zeichen)', en: 'Note changed (50 characters)' },
      { de: 'Wiedervorlage am 10.12.2026 gesetzt', en: 'Follow-up set for 2026-12-10' },
    ]);
    store.close();

    const again = await PostfachStore.open(dbPath, { password: PASSWORD });
    const record = again.getDelivery(2);
    expect([record.aktenzeichen, record.note, record.followUpOn]).toEqual(['50.2-4711/26', 'Rückfrage Vermieterbescheinigung\nbis Ende Dezember', '2026-12-10']);
    expect(ids(again, { search: 'Vermieterbesch' })).toEqual([2]);
    again.setCaseWork(2, { note: null, followUpOn: null });
    expect(again.getDelivery(2).note).toBeNull();
    expect(ids(again, { search: 'Vermieterbesch' })).toEqual([]);
    expect(
      again
        .auditEntries()
        .slice(-2)
        .map((e) => [e.action, e.detail, auditWords(e.action, e.detail).de]),
    ).toEqual([
      ['note-changed', '{"v":1,"removed":true}', 'Notiz entfernt'],
      ['follow-up-cleared', null, 'Wiedervorlage aufgehoben'],
    ]);
    expect(again.verifyAuditLog().ok).toBe(true);
    again.close();
    // encrypted like the rest: neither the note nor the Aktenzeichen lies in any file in clear
    expect(scanForPlaintext(dir, ['Vermieterbescheinigung', '50.2-4711/26'])).toEqual([]);
  });

  it('is found by the search, each word in the message or in the notes, and the matched words are marked', async () => {
    const { store } = await storeWith(12);
    store.setCaseWork(5, { aktenzeichen: 'SGB12-0815', note: 'Kontoauszüge fehlen' });
    expect(ids(store, { search: 'sgb12' })).toEqual([5]);
    expect(ids(store, { search: 'kontoauszuge' })).toEqual([5]);
    expect(ids(store, { search: 'Kontoauszuege' })).toEqual([5]);
    // one word from the message (the applicant of delivery 5), one from the note
    const applicant = delivery(4).summary?.applicants?.[0] as string; // store id 5
    const family = applicant.split(',')[0] as string;
    expect(ids(store, { search: `${family} fehlen` })).toEqual([5]);
    expect(ids(store, { search: `${family} nirgendwo` })).toEqual([]);
    // the words of the message alone still find as before (delivery 14 has the same applicant, not in this store)
    expect(ids(store, { search: family })).toEqual([5]);
    expect(matchRanges('Kontoauszüge fehlen noch', searchTerms('kontoaus FEHL'))).toEqual([
      [0, 8],
      [13, 17],
    ]);
    expect(matchRanges('Müller, Jürgen', searchTerms('Mueller'))).toEqual([[0, 6]]);
    expect(matchRanges('Groß', searchTerms('gross'))).toEqual([[0, 4]]);
    store.close();
  });

  it('refuses what is no plain value and changes nothing then', async () => {
    const { store } = await storeWith(1);
    expect(() => store.setCaseWork(1, { followUpOn: '2026-02-30' })).toThrow(expect.objectContaining({ kind: 'store-invalid-input' }));
    expect(() => store.setCaseWork(1, { aktenzeichen: 'a\nb' })).toThrow(expect.objectContaining({ kind: 'store-invalid-input' }));
    expect(() => store.setCaseWork(1, { note: 'x'.repeat(4001) })).toThrow(expect.objectContaining({ kind: 'store-invalid-input' }));
    expect(() => store.setCaseWork(99, { note: 'x' })).toThrow(expect.objectContaining({ kind: 'store-unknown-message' }));
    const record = store.getDelivery(1);
    expect([record.aktenzeichen, record.note, record.followUpOn]).toEqual([null, null, null]);
    expect(store.auditEntries().some((e) => e.action.startsWith('follow-up') || e.action === 'note-changed')).toBe(false);
    store.close();
  });

  it('lists the Wiedervorlage by due day, counts it, and forgets it with the message', async () => {
    const { store } = await storeWith(6);
    store.setCaseWork(4, { followUpOn: '2026-12-20' });
    store.setCaseWork(2, { followUpOn: '2026-12-03', aktenzeichen: 'AZ-LOESCHEN' });
    store.setCaseWork(6, { followUpOn: '2026-12-03' });
    expect(ids(store, { followUp: true, sort: 'followUp', descending: false })).toEqual([2, 6, 4]);
    expect(store.list({ followUp: true }).items.find((i) => i.id === 4)?.followUpOn).toBe('2026-12-20');
    expect(store.counts().followUp).toBe(3);
    store.moveToTrash(6);
    expect(store.counts().followUp).toBe(2);
    await store.deletePermanently(2);
    expect(ids(store, { search: 'AZ-LOESCHEN', trash: false })).toEqual([]);
    expect(store.counts().followUp).toBe(1);
    store.close();
  });

  it('counts the rows of a query from given moments (the list groups by Eingang day)', async () => {
    const { store } = await storeWith(10); // Eingang 2026-11-01 08:00Z + i hours
    const page = store.list({ limit: 5, countFrom: ['2026-11-01T15:00:00Z', '2026-11-01T12:00:00Z', '2026-10-01T00:00:00Z'] });
    expect(page.atOrAfter).toEqual([3, 6, 10]);
    expect(store.list({ limit: 5, withAttachments: false, countFrom: ['2026-11-01T15:00:00Z'] }).atOrAfter).toEqual([3]);
    expect(store.list({ limit: 5 }).atOrAfter).toBeUndefined();
    // while searching (with and without a note that matches): total and day counts from the same matches
    const family = (delivery(9).summary?.applicants?.[0] as string).split(',')[0] as string; // store id 10, 17:00Z
    expect(store.list({ search: family, countFrom: ['2026-11-01T15:00:00Z', '2026-11-01T18:00:00Z'] })).toMatchObject({ total: 1, atOrAfter: [1, 0] });
    store.setCaseWork(3, { note: `Rückruf ${family}` }); // store id 3, 10:00Z
    const both = store.list({ search: family, countFrom: ['2026-11-01T15:00:00Z', '2026-11-01T00:00:00Z'], sort: 'eingang' });
    expect(both.items.map((i) => i.id)).toEqual([10, 3]);
    expect([both.total, both.atOrAfter]).toEqual([2, [1, 2]]);
    expect(store.list({ search: `${family} Rückruf`, descending: false }).items.map((i) => i.id)).toEqual([3]);
    store.close();
  });
});
