/**
 * The service's trust and audit-log calls against both backends of ServiceStore (a real SQLite store and a real
 * throw-away PostgreSQL cluster): the audit log's person filter (the applicants' names by the SQLite FTS rule:
 * folded words, prefixes, every word, no stemming), the CSV export from any store, removing a trusted CA, changing
 * the connection of the identity (sealed on PostgreSQL), and judging the stored signature results again after the
 * CA set changed — the new judgement read back, the list status following, the set's digest recorded, the run
 * audited, the fetch's own result kept beside it. Before issue 13's pgtrust work these calls ran on SQLite only.
 * And why the name backfill has nothing to do on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { identityFromFiles, identityRecord } from '../../../core/mailbox/identity.js';
import { testPkiFiles } from '../../../core/pki/test-pki.js';
import { auditCsvOf, caSetDigest, type MailboxStore, type ServiceStore, type TrustEvaluation } from '../../../core/store/index.js';
import { decodeNames } from '../../../core/store/applicant-names.js';
import { PgMailboxStore } from '../../../core/store-pg/index.js';
import { pkiPassword, sharedPki } from '../../mailbox/helpers.js';
import { delivery } from '../helpers.js';
import { sqliteBackend, usePgCluster, type Backend } from './backends.js';

const pgCluster = usePgCluster();
const BACKENDS: ReadonlyArray<readonly [string, Backend]> = [
  ['sqlite', sqliteBackend],
  ['postgresql', pgCluster.backend],
];

let pkiDir = '';
beforeAll(async () => {
  pkiDir = await sharedPki();
}, 180_000);

const opened: MailboxStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

function serviceStore(store: MailboxStore): ServiceStore {
  if (!('takeFetchLock' in store)) throw new Error(`${store.backend} store does not implement ServiceStore`);
  return store as ServiceStore;
}

/** A judgement that marks every result with a signer as "judged" under the digest given (and counts what it saw). */
function judging(digest: string, seen: unknown[] = []): TrustEvaluation {
  return {
    digest,
    evaluate: (row) => {
      seen.push(row.signatureResult);
      const before = row.signatureResult as { round?: number } | null;
      return { signatureResult: { valid: false, signer: 'CN=Sozialplattform Test', round: (before?.round ?? 0) + 1 }, signatureStatus: 'zertifikat-unbekannt' };
    },
  };
}

describe.each(BACKENDS)('trust and audit log: %s', (_name, backend) => {
  async function open(): Promise<ServiceStore> {
    const store = serviceStore(await backend.open());
    opened.push(store);
    return store;
  }

  it('filters the audit log by the applicants’ names: folded, prefixes, every word, no stemming', async () => {
    const store = await open();
    const mueller = await store.saveDelivery(delivery(3)); // Müller, Jürgen
    const groß = await store.saveDelivery(delivery(5)); // Groß, Sören
    await store.openDelivery(mueller.id);
    await store.openDelivery(groß.id);
    const about = async (person: string) => [...new Set((await store.auditEntries({ person })).map((e) => e.deliveryId))];
    expect(await about('Mül')).toEqual([mueller.id]);
    expect(await about('mueller jürg')).toEqual([mueller.id]);
    expect(await about('Strasse')).toEqual([]);
    expect(await about('gross soren')).toEqual([groß.id]);
    // both words must match one message's names; a stemmed form is not a prefix
    expect(await about('Müller Sören')).toEqual([]);
    expect(await about('Müllers')).toEqual([]);
    // the whole log without a person; an empty person is no filter
    expect((await store.auditEntries({ person: '  ' })).length).toBe((await store.auditEntries()).length);
    // the person filter combines with the others
    expect((await store.auditEntries({ person: 'Müller' })).map((e) => e.action)).toEqual(['fetched', 'opened']);
    expect(await store.auditEntries({ person: 'Müller', afterSeq: (await store.auditEntries({ person: 'Müller' }))[0]?.seq ?? 0 })).toHaveLength(1);
  });

  it('exports the audit log as CSV from the store, a page at a time, every entry once', async () => {
    const store = await open();
    for (let i = 0; i < 7; i++) await store.saveDelivery(delivery(i));
    let calls = 0;
    const pieces: string[] = [];
    for await (const piece of auditCsvOf(
      async (afterSeq, limit) => {
        calls++;
        return store.auditEntries({ afterSeq, limit: Math.min(limit, 3) });
      },
      ';',
      'Europe/Berlin',
    ))
      pieces.push(piece);
    const csv = pieces.join('');
    expect(csv.startsWith('\uFEFFLfd. Nr.;Zeitpunkt;Benutzer;')).toBe(true);
    const lines = csv.slice(1).split('\r\n').slice(1, -1);
    const entries = await store.auditEntries();
    expect(lines.map((l) => l.split(';')[0])).toEqual(entries.map((e) => String(e.seq)));
    expect(lines.every((l, i) => l.includes(entries[i]?.hash ?? '-'))).toBe(true);
    expect(calls).toBeGreaterThan(2);
  });

  it('removes a trusted CA once, audited', async () => {
    const store = await open();
    const der = new (await import('node:crypto')).X509Certificate(readFileSync(testPkiFiles(pkiDir).ca)).raw;
    const [fingerprint] = await store.addTrustedCas([der], 'import');
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.removeTrustedCa((fingerprint ?? '').toUpperCase())).toBe(true);
    expect(await store.trustedCas()).toEqual([]);
    expect(await store.removeTrustedCa(fingerprint ?? '')).toBe(false);
    const removed = (await store.auditEntries()).filter((e) => e.action === 'trusted-ca-removed');
    expect(removed).toHaveLength(1);
    expect(removed[0]?.detail).toContain(fingerprint);
  });

  it('changes the connection of the identity and keeps its keys; false without an identity', async () => {
    const store = await open();
    const f = testPkiFiles(pkiDir);
    const record = identityRecord(
      identityFromFiles({
        keyFile: f.municipality.p12,
        password: pkiPassword(pkiDir),
        intermediaryUrl: 'http://127.0.0.1:1/osci',
        intermediaryCertificateFile: f.intermediary.cer,
      }),
    );
    const connection = { ...(record.connection as Record<string, unknown>), intermediaryUrl: 'https://intermediaer.example.invalid/osci' };
    expect(await store.updateMailboxConnection(connection)).toBe(false);
    await store.saveMailboxIdentity(record);
    expect(await store.updateMailboxConnection(connection)).toBe(true);
    const back = await store.readMailboxIdentity();
    expect(back?.connection).toEqual(connection);
    expect(back?.cipherKeyPkcs8.equals(record.cipherKeyPkcs8)).toBe(true);
    expect((await store.auditEntries()).filter((e) => e.action === 'settings-changed' && e.detail?.includes('connection-changed'))).toHaveLength(1);
  });

  it('judges the stored signature results again: new result and status, digest recorded, run audited', async () => {
    const store = await open();
    const signed = await store.saveDelivery(delivery(1));
    const unsigned = await store.saveDelivery(delivery(2, { signatureResult: { valid: false } }));
    // a new store has judged nothing, with no CA
    expect(await store.trustEvaluatedWith()).toBe(caSetDigest([]));

    const seen: unknown[] = [];
    expect(await store.reevaluateTrust(judging('digest-1', seen), 'ca-removed')).toEqual({ checked: 1, changed: 1 });
    expect(seen).toEqual([{ valid: true, signer: 'CN=Sozialplattform Test' }]);
    expect(await store.trustEvaluatedWith()).toBe('digest-1');
    expect((await store.getDelivery(signed.id)).signatureResult).toEqual({ valid: false, signer: 'CN=Sozialplattform Test', round: 1 });
    expect((await store.getDelivery(unsigned.id)).signatureResult).toEqual({ valid: false });
    const row = (await store.list({ limit: 10 })).items.find((i) => i.id === signed.id);
    expect(row?.signatureStatus).toBe('zertifikat-unbekannt');

    // the next run judges the judged result (not the fetch's own)
    const again: unknown[] = [];
    await store.reevaluateTrust(judging('digest-2', again), 'ca-added');
    expect(again).toEqual([{ valid: false, signer: 'CN=Sozialplattform Test', round: 1 }]);
    expect(await store.trustEvaluatedWith()).toBe('digest-2');

    // a run with nothing to change for an unchanged set: digest recorded, no audit entry
    const runs = () => store.auditEntries().then((e) => e.filter((x) => x.action === 'trust-reevaluated'));
    expect((await runs()).map((e) => JSON.parse(e.detail ?? '{}') as unknown)).toEqual([
      { v: 1, reason: 'ca-removed', checked: 1, changed: 1 },
      { v: 1, reason: 'ca-added', checked: 1, changed: 1 },
    ]);
    await store.reevaluateTrust({ digest: 'digest-3', evaluate: () => undefined }, 'ca-set-changed');
    expect(await store.trustEvaluatedWith()).toBe('digest-3');
    expect(await runs()).toHaveLength(3);
    expect((await store.verifyAuditLog()).ok).toBe(true);
  });
});

describe('name backfill: not needed on PostgreSQL', () => {
  // The backfill (core/mailbox/name-backfill.ts) re-reads rows whose name parts the SQLite migration 9 guessed and
  // marked `guessed`. The PostgreSQL store began after schema 9: every row comes through saveDelivery, which keeps
  // the parts without that mark, and the take-over from a single-PC store copies no deliveries. So no row on
  // PostgreSQL ever waits for the backfill — also when the parts were guessed from a display name at save time.
  it('keeps no row with guessed name parts, whether the engine gave the parts or not', async () => {
    const cluster = pgCluster.cluster();
    const database = `postfach_names_${process.pid}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database };
    const store = await PgMailboxStore.open({ connection, dataKey: randomBytes(32) });
    opened.push(store);
    const withParts = delivery(1, { summary: { ...delivery(1).summary, applicantNames: [{ family: 'van der Berg', given: 'Anna' }] } });
    const guessedAtSave = delivery(2);
    await store.saveDelivery(withParts);
    await store.saveDelivery(guessedAtSave);
    const raw = new pg.Client(connection);
    raw.on('error', () => undefined);
    await raw.connect();
    try {
      const { rows } = await raw.query<{ parts: string | null }>('SELECT applicant_parts::text AS parts FROM deliveries ORDER BY id');
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.parts).not.toBeNull();
        expect(decodeNames(row.parts)?.guessed).toBe(false);
      }
    } finally {
      await raw.end();
    }
    expect((await store.list({ limit: 10 })).items.map((i) => i.applicantNames?.[0]?.family).sort()).toEqual(
      ['van der Berg', (delivery(2).summary?.applicants?.[0] ?? '').split(', ')[0]].sort(),
    );
  });
});
