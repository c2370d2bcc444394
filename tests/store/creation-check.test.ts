/**
 * The Creation check in the store (migration 9): kept as the engine's versioned JSON with a code, read back as the
 * code in the list (with the fetch time beside it) and as JSON in the record; a damaged value reads as "none", never
 * breaks the list; a later process card never replaces the Creation the certificates were judged at.
 */
import { describe, expect, it } from 'vitest';
import { creationCheckJson, laterProcessCard, storedCreationCheck } from '../../core/mailbox/legal-time.js';
import { laufzettelOf } from '../../core/mailbox/message-dto.js';
import { listItemDto } from '../../core/api/handlers/evidence-dto.js';
import { receiptFacts } from '../../core/mailbox/export.js';
import { eingangInWords } from '../../core/export/receipt.js';
import { delivery, newStore, rawDatabase } from './helpers.js';

describe('the stored Creation check', () => {
  it('is kept as a code with the fetch time beside it; damaged or absent reads as none', async () => {
    const { store, dbPath } = await newStore();
    const future = await store.saveDelivery(
      delivery(1, {
        processCard: { creation: '2099-01-01T00:00:00Z', creationCheck: creationCheckJson({ code: 'future', reference: '2026-11-28T09:00:00.000Z', toleranceSeconds: 300 }) },
      }),
    );
    const unchecked = await store.saveDelivery(delivery(2));
    const damaged = await store.saveDelivery(delivery(3, { processCard: { creation: '2026-11-01T08:00:00Z', creationCheck: creationCheckJson({ code: 'plausible' }) } }));
    store.close();
    // someone wrote garbage into the column behind the program's back
    const { db } = await rawDatabase(dbPath);
    db.prepare('UPDATE deliveries SET creation_check = ? WHERE id = ?').run('{kaputt', damaged.id);
    db.close();

    const { PostfachStore } = await import('../../core/store/index.js');
    const reopened = await PostfachStore.open(dbPath, { password: 'Sommer-Regen-2026!' });
    try {
      const items = reopened.list().items;
      const byId = (id: number) => items.find((i) => i.id === id)!;
      expect(byId(future.id)).toMatchObject({ creationCheck: 'future', fetchedAt: '2026-11-28T09:00:00.000Z', eingang: '2099-01-01T00:00:00.000Z' });
      expect(byId(unchecked.id).creationCheck).toBeNull();
      expect(byId(damaged.id).creationCheck).toBeNull();
      expect(listItemDto(byId(future.id))).toMatchObject({ creationCheck: 'future', fetchedAt: '2026-11-28T09:00:00.000Z' });

      const record = reopened.getDelivery(future.id);
      expect(storedCreationCheck(record.processCard.creationCheck)).toEqual({ code: 'future', reference: '2026-11-28T09:00:00.000Z', toleranceSeconds: 300 });
      expect(laufzettelOf(record).creationCheck).toMatchObject({ code: 'future' });
      expect(laufzettelOf(reopened.getDelivery(damaged.id)).creationCheck).toBeNull();
    } finally {
      reopened.close();
    }
  });

  it('a later process card keeps the Creation judged at; one learnt only then is checked and stored with its check', async () => {
    const { store } = await newStore();
    try {
      const known = await store.saveDelivery(delivery(4));
      const record = store.getDelivery(known.id);
      const later = laterProcessCard(record, { creation: '2026-11-02T08:00:00Z', forwarding: '2026-11-28T08:00:00Z', reception: '2026-11-28T09:00:01' });
      expect(later).toEqual({ forwarding: '2026-11-28T08:00:00.000Z', reception: '2026-11-28T09:00:01.000Z' });
      store.recordProcessCard(known.id, later);
      expect(store.getDelivery(known.id).processCard.creation).toBe(record.processCard.creation);

      const missing = await store.saveDelivery(delivery(5, { messageId: 'ohne-creation', processCard: { creation: null, creationCheck: creationCheckJson({ code: 'missing' }) } }));
      const learnt = laterProcessCard(store.getDelivery(missing.id), { creation: '2099-01-01T00:00:00Z' });
      expect(learnt).toMatchObject({ creation: '2099-01-01T00:00:00.000Z', creationCheck: { version: 1, check: { code: 'future' } } });
      store.recordProcessCard(missing.id, learnt);
      expect(store.list().items.find((i) => i.id === missing.id)?.creationCheck).toBe('future');

      // fetched before the check was kept and without a Creation: the receipt says the time is the fetch time
      const old = await store.saveDelivery(delivery(6, { messageId: 'alt-ohne-creation', processCard: { creation: null } }));
      const facts = receiptFacts(store.getDelivery(old.id));
      expect(facts.creationCheck).toEqual({ code: 'missing' });
      expect(eingangInWords(facts).value).toBe(
        'Eingang unbekannt: der Laufzettel nennt keinen Zeitpunkt; abgerufen am 28.11.2026, 10:00:00 Uhr (MEZ, UTC+01:00); Zertifikate zu diesem Zeitpunkt geprüft',
      );
    } finally {
      store.close();
    }
  });
});
