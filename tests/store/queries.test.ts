/**
 * The list: paging, sorting, quick filters, full-text search (umlauts and DIN 91379 letters), counts.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { PostfachStore } from '../../core/store/index.js';
import { foldForSearch } from '../../core/store/index.js';
import { ftsQuery, indexText } from '../../core/store/search-text.js';
import { APPLICANTS, contentXml, delivery, newStore } from './helpers.js';

let store: PostfachStore;
const N = 40;

beforeAll(async () => {
  ({ store } = await newStore());
  for (let i = 0; i < N; i++) {
    await store.saveDelivery(
      delivery(i, {
        attachments:
          i % 3 === 0 ? [] : Array.from({ length: i % 3 }, (_, k) => ({ name: `Anlage ${k}.pdf`, mimeType: 'application/pdf', content: Buffer.from(`anlage ${i}/${k}`) })),
        summary: {
          ...delivery(i).summary,
          isTest: i % 10 === 7,
        },
        content: contentXml(APPLICANTS[i % APPLICANTS.length] as string, i === 13 ? '<iban>DE02120300000000202051</iban><hinweis>Nebenkostenabrechnung</hinweis>' : ''),
        unreadableReason: i === 21 ? 'no-matching-key' : undefined,
        processCard: i === 39 ? { creation: null } : delivery(i).processCard,
      }),
    );
  }
  // states: ids 1..10 read, 11..15 exported, 16..20 transferred, 31..33 trashed
  for (let id = 1; id <= 10; id++) store.openDelivery(id);
  for (let id = 11; id <= 15; id++) store.recordExported(id, 'pdf');
  for (let id = 16; id <= 20; id++) store.markTransferred(id);
  for (let id = 31; id <= 33; id++) store.moveToTrash(id);
});
afterAll(() => store.close());

const ids = (q: Parameters<PostfachStore['list']>[0]): number[] => store.list({ limit: 1000, ...q }).items.map((i) => i.id);

describe('list', () => {
  it('pages through the inbox newest Eingang first, with the total', () => {
    const first = store.list({ limit: 10 });
    expect(first.total).toBe(N - 3);
    expect(first.items).toHaveLength(10);
    // id 40 has no Creation: it sorts by its fetch time (28.11.), newer than every Creation (from 1.11. hourly)
    expect(first.items[0]).toMatchObject({ id: 40, eingangKnown: false, eingang: '2026-11-28T09:00:00.000Z' });
    expect(first.items.slice(1).map((i) => i.id)).toEqual([39, 38, 37, 36, 35, 34, 30, 29, 28]);
    const all: number[] = [];
    for (let offset = 0; offset < first.total; offset += 10) all.push(...store.list({ limit: 10, offset }).items.map((i) => i.id));
    expect(new Set(all).size).toBe(N - 3);
    expect(ids({ sort: 'eingang', descending: false }).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('sorts by applicant (folded: Ł with L, Ö with O), benefit and state', () => {
    const byApplicant = store.list({ sort: 'applicant', limit: 1000 }).items.map((i) => i.applicants[0]);
    const distinctInOrder = byApplicant.filter((a, k) => a !== byApplicant[k - 1]);
    expect(distinctInOrder).toEqual([
      'Beispiel, Max',
      'Đorđević, Milica',
      'Groß, Sören',
      'Łukasiewicz, Jan',
      'Müller, Jürgen',
      'Musterfrau, Erika',
      'Nguyễn, Thị Hoa',
      'Ødegård, Bjørn',
      'Öztürk, Ayşe',
      'Schäfer, Änne',
    ]);
    const byBenefit = store.list({ sort: 'benefit', limit: 1000 }).items.map((i) => i.benefitCode);
    expect(byBenefit).toEqual([...byBenefit].sort());
    const byStateDesc = store.list({ sort: 'state', descending: true, limit: 1000 }).items.map((i) => i.state);
    expect(byStateDesc.slice(0, 5)).toEqual(Array(5).fill('transferred'));
    expect(new Set(byStateDesc)).toEqual(new Set(['transferred', 'exported', 'read', 'new']));
  });

  it('filters: ungelesen, mit Anhängen, nicht übertragen, Zeitraum, Testanträge, nicht lesbar, Papierkorb', () => {
    const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, k) => a + k);
    // exported (11..15) and transferred (16..20) count as read: only 21..40 outside the trash are unread
    expect(ids({ unread: true }).sort((a, b) => a - b)).toEqual([...range(21, 30), ...range(34, 40)]);
    expect(ids({ withAttachments: true }).every((id) => (id - 1) % 3 !== 0)).toBe(true);
    expect(store.list({ withAttachments: true }).total).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 !== 0 && !(i >= 30 && i <= 32)).length);
    expect(store.list({ notTransferred: true }).total).toBe(N - 3 - 5);
    expect(ids({ transferred: true }).sort((a, b) => a - b)).toEqual([16, 17, 18, 19, 20]);
    // Eingang of index i is 1.11.2026 08:00 UTC + i hours: ids 3..5 are i = 2..4
    expect(ids({ from: '2026-11-01T10:00:00Z', to: '2026-11-01T13:00:00Z' }).sort((a, b) => a - b)).toEqual([3, 4, 5]);
    expect(ids({ test: true }).sort((a, b) => a - b)).toEqual([8, 18, 28, 38]);
    expect(store.list({ test: false }).total).toBe(N - 3 - 4);
    expect(ids({ unreadable: true })).toEqual([22]);
    expect(store.list({ unreadable: true }).items[0]?.unreadableReason).toBe('no-matching-key');
    expect(ids({ trash: true }).sort((a, b) => a - b)).toEqual([31, 32, 33]);
    expect(store.list({ trash: true }).items.every((i) => i.state === 'trashed')).toBe(true);
    expect(ids({ unread: true, withAttachments: true, test: false }).every((id) => id > 20 && (id - 1) % 3 !== 0)).toBe(true);
  });

  it('counts for the folder pane', () => {
    expect(store.counts()).toEqual({ inbox: 37, unread: 17, notTransferred: 32, transferred: 5, unreadable: 1, test: 4, trash: 3, followUp: 0, mine: 0, unassigned: 37 });
  });

  it('restoring from the Papierkorb brings the previous state back', () => {
    store.restoreFromTrash(31);
    expect(store.getDelivery(31).state).toBe('new');
    expect(store.counts().trash).toBe(2);
    store.moveToTrash(31);
    expect(store.getDelivery(31).state).toBe('trashed');
  });
});

describe('full-text search', () => {
  const search = (q: string, more: Parameters<PostfachStore['list']>[0] = {}): string[] =>
    [...new Set(store.list({ search: q, limit: 1000, ...more }).items.map((i) => i.applicants[0] ?? '-'))].sort();

  it('finds names with umlauts and DIN 91379 letters from their base letters', () => {
    expect(search('Lukasiewicz')).toEqual(['Łukasiewicz, Jan']);
    expect(search('łukasiewicz')).toEqual(['Łukasiewicz, Jan']);
    expect(search('Öztürk')).toEqual(['Öztürk, Ayşe']);
    expect(search('Ozturk Ayse')).toEqual(['Öztürk, Ayşe']);
    expect(search('Mueller')).toEqual(['Müller, Jürgen']);
    expect(search('Muller juergen')).toEqual(['Müller, Jürgen']);
    expect(search('Gross')).toEqual(['Groß, Sören']);
    expect(search('Odegard Bjorn')).toEqual(['Ødegård, Bjørn']);
    expect(search('Djordjevic')).toEqual(['Đorđević, Milica']);
    expect(search('Oedegaard')).toEqual(['Ødegård, Bjørn']);
    expect(search('Dordevic')).toEqual(['Đorđević, Milica']);
    expect(search('Nguyen Thi')).toEqual(['Nguyễn, Thị Hoa']);
    expect(search('Aenne')).toEqual(['Schäfer, Änne']);
  });

  it('matches word prefixes, all words, ids, subject and content text; leaves the trash out unless asked', () => {
    // every document has the address "Musterstadt": "Muster" finds all, "Musterfr" the one name
    expect(search('Muster')).toHaveLength(10);
    expect(search('Musterfr')).toEqual(['Musterfrau, Erika']);
    expect(search('Musterfr Erika')).toEqual(['Musterfrau, Erika']);
    expect(search('Musterfr Jan')).toEqual([]);
    expect(store.list({ search: 'osci-msg-00013' }).items.map((i) => i.id)).toEqual([14]);
    expect(store.list({ search: '14' }).items.map((i) => i.id)).toContain(14);
    expect(store.list({ search: 'Nebenkostenabrechnung' }).items.map((i) => i.id)).toEqual([14]);
    expect(store.list({ search: 'DE02120300000000202051' }).items.map((i) => i.id)).toEqual([14]);
    expect(store.list({ search: 'Wohnberechtigungsschein' }).total).toBe(8);
    expect(store.list({ search: 'Hauptstrasse' }).total).toBe(N - 3);
    expect(store.list({ search: 'anderes Zertifikat' }).total).toBe(0);
    // trashed 31..33 are indexes 30..32: Musterfrau (30), Öztürk (31), Łukasiewicz (32)
    expect(store.list({ search: 'Lukasiewicz', trash: true }).items.map((i) => i.id)).toEqual([33]);
  });

  it('treats typed text as words only: query syntax cannot be injected', () => {
    for (const q of ['"', 'NOT', 'a OR b', 'Muster*', 'names:Muster', '(Muster', 'NEAR(a b)', '^Muster', '""*""', "'; DROP TABLE deliveries; --"]) {
      expect(() => store.list({ search: q })).not.toThrow();
    }
    expect(search('names:Musterfr')).toEqual([]);
    expect(search('Musterfr*')).toEqual(['Musterfrau, Erika']);
    expect(store.list({ search: '  ,;  ' }).total).toBe(N - 3);
    expect(ftsQuery('Łukasiewicz "x" OR')).toBe('"lukasiewicz"* "x"* "or"*');
    expect(foldForSearch('Ærøskøbing Œuvre Þórr Đakovo ẞ')).toBe('aeroskobing oeuvre thorr dakovo ss');
    expect(indexText('Jürgen Müller')).toBe('jurgen muller juergen mueller');
  });
});
