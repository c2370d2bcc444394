/**
 * The store's side of trusted sender CAs (core/store/trusted-cas.ts, migration 9): the office's CAs as facts with an
 * origin code, each change audited; judging the stored deliveries again in batches with whatever judgement the
 * engine hands in — the new result beside the fetch's own, which stays as it was in `delivery_details`, and goes with
 * the delivery when it is deleted; the set's digest recorded only at the end, so a run cut short is done again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionWords, caSetDigest, type JsonValue, type TrustEvaluation } from '../../core/store/index.js';
import { delivery, newStore, PASSWORD, rawDatabase, sha256 } from './helpers.js';

const ca = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'pki', 'openssl3-ca.cer'));
/** What the engine keeps: a check with a signer (the store only looks for one to decide what to judge). */
const signed = (status: string): JsonValue => ({ version: 1, checks: [{ role: 'author', certificate: status, signer: { fingerprintSha256: 'AB' } }] });

/** A judgement that marks every delivery "trusted" and counts the calls. */
function everythingTrusted(digest: string): TrustEvaluation & { calls: number[] } {
  const calls: number[] = [];
  return {
    digest,
    calls,
    evaluate: (row) => {
      calls.push(row.id);
      return { signatureResult: signed('trusted'), signatureStatus: 'trusted' };
    },
  };
}

describe('trusted CAs in the store', () => {
  it('are kept as facts with an origin code, each added once, each change audited', async () => {
    const { store } = await newStore();
    try {
      expect(store.trustedCas()).toEqual([]);
      // a new store has judged nothing with no CA: its first open has nothing to do
      expect(store.trustEvaluatedWith()).toBe(caSetDigest([]));
      expect(store.addTrustedCas([ca], 'import')).toEqual([sha256(ca)]);
      expect(store.addTrustedCas([ca], 'setup')).toEqual([]);
      expect(store.trustedCas()).toMatchObject([{ fingerprint: sha256(ca), origin: 'import', certificate: ca }]);
      expect(() => store.addTrustedCas([ca], 'anything' as never)).toThrow(/unknown origin/);
      expect(store.removeTrustedCa(sha256(ca).toUpperCase())).toBe(true);
      expect(store.removeTrustedCa(sha256(ca))).toBe(false);
      const audit = store.auditEntries().filter((e) => e.action.startsWith('trust'));
      expect(audit.map((e) => [e.action, e.detail])).toEqual([
        ['trusted-ca-added', `{"v":1,"sha256":"${sha256(ca)}","origin":"import"}`],
        ['trusted-ca-removed', `{"v":1,"sha256":"${sha256(ca)}"}`],
      ]);
      expect(store.verifyAuditLog().ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('judging again writes the new result beside the fetch’s own, in batches, and records the digest at the end', async () => {
    const { store, dbPath } = await newStore();
    try {
      for (let i = 0; i < 1203; i++) await store.saveDelivery(delivery(i, { signatureResult: signed('unknown-issuer'), summary: { signatureStatus: 'unknown-issuer' } }));
      // one without any signer is not looked at
      const unsigned = await store.saveDelivery(delivery(9999, { signatureResult: { version: 1, checks: [] } }));
      const evaluation = everythingTrusted(caSetDigest([sha256(ca)]));
      expect(await store.reevaluateTrust(evaluation, 'ca-added')).toEqual({ checked: 1203, changed: 1203 });
      expect(new Set(evaluation.calls).size).toBe(1203);
      expect(evaluation.calls).not.toContain(unsigned.id);
      expect(store.trustEvaluatedWith()).toBe(caSetDigest([sha256(ca)]));
      expect(store.getDelivery(1).signatureResult).toEqual(signed('trusted'));
      const all = [...store.list({ limit: 1000 }).items, ...store.list({ limit: 1000, offset: 1000 }).items];
      expect(all.filter((i) => i.signatureStatus === 'trusted')).toHaveLength(1203);
      expect(
        store
          .auditEntries({ afterSeq: 1000 })
          .filter((e) => e.action === 'trust-reevaluated')
          .map((e) => [actionWords(e.action).de, e.detail]),
      ).toEqual([['Vertrauensstatus der Signaturen neu bewertet', '{"v":1,"reason":"ca-added","checked":1203,"changed":1203}']]);
      // the next run starts from the judged result: nothing to change, nothing written
      const again = { digest: evaluation.digest, evaluate: () => undefined };
      expect(await store.reevaluateTrust(again, 'ca-added')).toEqual({ checked: 1203, changed: 0 });
      // deleted with its delivery
      store.moveToTrash(1);
      await store.deletePermanently(1);
    } finally {
      store.close();
    }
    const { db } = await rawDatabase(dbPath, { password: PASSWORD });
    try {
      const fetched = db.prepare('SELECT signature_result FROM delivery_details WHERE delivery_id = 2').get() as { signature_result: string };
      expect(JSON.parse(fetched.signature_result)).toEqual(signed('unknown-issuer'));
      expect(db.prepare('SELECT count(*) AS n FROM delivery_trust').get()).toEqual({ n: 1202 });
      expect(db.prepare('SELECT count(*) AS n FROM delivery_trust WHERE delivery_id = 1').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('a run cut short keeps the old digest (done again on the next open); a new store with nothing to judge audits nothing', async () => {
    const { store } = await newStore();
    try {
      await store.reevaluateTrust(everythingTrusted(caSetDigest(['aa'])), 'ca-set-changed');
      expect(store.trustEvaluatedWith()).toBe(caSetDigest(['aa']));
      expect(store.auditEntries().filter((e) => e.action === 'trust-reevaluated')).toEqual([]);
      for (let i = 0; i < 600; i++) await store.saveDelivery(delivery(i, { signatureResult: signed('unknown-issuer') }));
      const failing: TrustEvaluation = {
        digest: caSetDigest(['bb']),
        evaluate: (row) => {
          if (row.id > 550) throw new Error('cut short');
          return { signatureResult: signed('trusted'), signatureStatus: 'trusted' };
        },
      };
      await expect(store.reevaluateTrust(failing, 'ca-set-changed')).rejects.toThrow('cut short');
      expect(store.trustEvaluatedWith()).toBe(caSetDigest(['aa']));
      // the first batch (500) was committed, the second not
      expect(store.list({ limit: 1000 }).items.filter((i) => i.signatureStatus === 'trusted')).toHaveLength(500);
    } finally {
      store.close();
    }
  });
});
