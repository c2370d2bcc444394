/**
 * What only the PostgreSQL store has to show (the shared behaviour is in contract/): a pg_dump and the cluster's
 * files hold no document content, attachment bytes or names, note or evidence — only the columns docs/datenschutz.md
 * names; German stemming in the search; a wrong data key is refused before anything is written; versioned
 * migrations; two programs on one database (as two services would be) share the mailbox and its audit chain; a
 * sealed value moved to another row is found.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../core/store/index.js';
import { PgMailboxStore, PG_LATEST_VERSION } from '../../core/store-pg/index.js';
import { contentXml, delivery, scanForPlaintext } from './helpers.js';
import { usePgCluster } from './contract/backends.js';

const { cluster } = usePgCluster();

let counter = 0;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function admin(database = 'postgres'): Promise<pg.Client> {
  const c = cluster();
  const client = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database });
  client.on('error', () => undefined);
  await client.connect();
  closers.push(() => client.end());
  return client;
}

async function newDatabase(): Promise<string> {
  const name = `pgtest_${process.pid}_${++counter}`;
  await (await admin()).query(`CREATE DATABASE ${name}`);
  return name;
}

async function openStore(database: string, dataKey: Buffer, osUser = 'sachbearbeitung1'): Promise<PgMailboxStore> {
  const c = cluster();
  const store = await PgMailboxStore.open({ connection: { host: c.host, port: c.port, user: c.user, password: c.password, database }, dataKey, osUser });
  closers.push(() => store.close());
  return store;
}

/** Markers of at least 12 characters, each in exactly one kind of sealed data. */
const MARKERS = {
  xml: 'Xmlinhalt-Kennung-7f3a9c',
  attachment: 'Anlagebytes-Kennung-41d2e8',
  attachmentName: 'Dateiname-Kennung-b5c6d7',
  note: 'Notiztext-Kennung-99e0f1',
  evidence: 'Signaturpruefung-Kennung-2468ac',
  certificate: 'Zertifikat-Kennung-13579b',
} as const;

function markedDelivery(i: number): NewDelivery {
  return delivery(i, {
    content: contentXml('Musterfrau, Erika', `<einkommen>${MARKERS.xml}</einkommen>`),
    attachments: [
      { name: `Lohnabrechnung ${MARKERS.attachmentName}.pdf`, mimeType: 'application/pdf', content: Buffer.from(`%PDF-1.7 ${MARKERS.attachment} ${'x'.repeat(300 * 1024)}`) },
    ],
    signatureResult: { version: 2, checks: [{ signer: { subject: `CN=${MARKERS.evidence}` } }] },
    senderCertificate: Buffer.from(`0\u0082${MARKERS.certificate}`),
  });
}

describe('PostgreSQL store', () => {
  it('leaves no document content, attachment, name, note or evidence in a pg_dump or in the cluster files', async () => {
    const database = await newDatabase();
    const store = await openStore(database, randomBytes(32));
    for (let i = 0; i < 3; i++) await store.saveDelivery(markedDelivery(i));
    await store.setCaseWork(1, { note: `Rückruf ${MARKERS.note}`, aktenzeichen: 'SO-2026/4711' });
    await store.recordProcessCard(2, { inspectionReport: { ok: true, hint: MARKERS.evidence } });
    // the program itself reads everything back
    expect((await store.readContent(1)).toString('utf8')).toContain(MARKERS.xml);
    expect((await store.getDelivery(1)).attachments[0]?.name).toContain(MARKERS.attachmentName);
    expect((await store.getDelivery(1)).note).toContain(MARKERS.note);

    const { stdout: dump } = await cluster().client('pg_dump', ['--dbname', `${cluster().url.replace(/\/postgres$/, `/${database}`)}`]);
    // positive control: what the list needs stays readable, so the scan does see the rows
    expect(dump).toContain('Musterfrau, Erika');
    expect(dump).toContain('SO-2026/4711');
    const lower = dump.toLowerCase();
    for (const [kind, marker] of Object.entries(MARKERS)) {
      // as text, folded (a search vector), and as the hex of a bytea
      // (the word parts only where they cannot occur by chance among the hex digits of the sealed bytea)
      const words = marker
        .toLowerCase()
        .split('-')
        .filter((w) => w.length >= 6 && !/^[0-9a-f]+$/.test(w));
      const forms = [marker.toLowerCase(), ...words, Buffer.from(marker, 'utf8').toString('hex')];
      for (const form of forms) expect(lower.includes(form), `${kind} marker "${form}" in the dump`).toBe(false);
    }
    // the server's own files (tables, WAL, log) hold none of it either; the throw-away cluster commits without
    // waiting for the WAL (synchronous_commit off), so a checkpoint first puts every row into the files scanned
    await cluster().client('psql', ['--dbname', cluster().url.replace(/\/postgres$/, `/${database}`), '-c', 'CHECKPOINT']);
    await store.close();
    const data = path.join(cluster().folder, 'data');
    expect(scanForPlaintext(data, Object.values(MARKERS))).toEqual([]);
    // positive control: the scan reads the table files (the readable list columns are found there)
    expect(scanForPlaintext(data, ['SO-2026/4711']).length).toBeGreaterThan(0);
    const log = readFileSync(path.join(cluster().folder, 'server.log'), 'utf8');
    for (const marker of Object.values(MARKERS)) expect(log).not.toContain(marker);
  });

  it('searches with German stemming: "Anträge" finds "Antrag", "Leistungen" finds "Leistung"', async () => {
    const store = await openStore(await newDatabase(), randomBytes(32));
    await store.saveDelivery(delivery(0, { subject: 'Antrag auf Leistung zur Teilhabe' }));
    await store.saveDelivery(delivery(1, { subject: 'Nachreichung Unterlagen' }));
    const found = async (search: string) => (await store.list({ search })).items.map((i) => i.id);
    expect(await found('Anträge')).toEqual([1]);
    expect(await found('Leistungen')).toEqual([1]);
    expect(await found('Unterlage')).toEqual([2]);
    // a German stop word is no search word: alone it filters nothing (as an empty box), beside others it is dropped
    expect(await found('zur')).toEqual([2, 1]);
    expect(await found('zur Teilhabe')).toEqual([1]);
  });

  it('refuses a wrong data key before writing anything', async () => {
    const database = await newDatabase();
    const key = randomBytes(32);
    const store = await openStore(database, key);
    await store.saveDelivery(delivery(0));
    const entries = (await store.auditEntries()).length;
    const c = cluster();
    await expect(PgMailboxStore.open({ connection: { host: c.host, port: c.port, user: c.user, password: c.password, database }, dataKey: randomBytes(32) })).rejects.toMatchObject(
      { kind: 'store-wrong-password' },
    );
    expect((await store.auditEntries()).length).toBe(entries);
    const again = await openStore(database, key);
    expect((await again.getDelivery(1)).messageId).toBe(delivery(0).messageId);
  });

  it('records its migrations, runs each once, and refuses a database of a newer version', async () => {
    const database = await newDatabase();
    const key = randomBytes(32);
    await openStore(database, key);
    await openStore(database, key);
    const client = await admin(database);
    const { rows } = await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_LATEST_VERSION }, (_, i) => i + 1));
    await client.query("INSERT INTO schema_migrations(version, name) VALUES (999, 'from the future')");
    const c = cluster();
    await expect(PgMailboxStore.open({ connection: { host: c.host, port: c.port, user: c.user, password: c.password, database }, dataKey: key })).rejects.toMatchObject({
      kind: 'store-too-new',
    });
  });

  it('lets two programs share one mailbox: each sees the other, one save per message id, one gap-free audit chain', async () => {
    const database = await newDatabase();
    const key = randomBytes(32);
    const a = await openStore(database, key, 'dienst-a');
    const b = await openStore(database, key, 'dienst-b');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => [a.saveDelivery(delivery(i)), b.saveDelivery(delivery(i))]).flat());
    expect(results.filter((r) => r.created)).toHaveLength(10);
    expect((await a.counts()).inbox).toBe(10);
    // ids are unique but not gap-free here (a save that lost the race used one): refer by message id
    const ref = (i: number) => ({ messageId: delivery(i).messageId });
    await Promise.all([a.openDelivery(ref(1)), b.openDelivery(ref(2)), a.markTransferred(ref(3)), b.moveToTrash(ref(4))]);
    expect((await b.getDelivery(ref(3))).state).toBe('transferred');
    expect((await a.list({ trash: true })).items.map((i) => i.messageId)).toEqual([delivery(4).messageId]);
    const verification = await b.verifyAuditLog();
    expect(verification).toMatchObject({ ok: true, entries: 1 + 10 + 4 });
    expect(new Set((await a.auditEntries()).map((e) => e.osUser))).toEqual(new Set(['dienst-a', 'dienst-b']));
  });

  it('finds a sealed value or a chunk moved to another row or dropped (store-corrupt), and keeps the audit log append-only', async () => {
    const database = await newDatabase();
    const store = await openStore(database, randomBytes(32));
    await store.saveDelivery(delivery(0));
    await store.saveDelivery(delivery(1));
    await store.setCaseWork(1, { note: 'Notiz eins' });
    const client = await admin(database);
    await client.query('UPDATE deliveries SET note_sealed = (SELECT note_sealed FROM deliveries WHERE id = 1) WHERE id = 2');
    await expect(store.getDelivery(2)).rejects.toMatchObject({ kind: 'store-corrupt' });
    // chunks of two blobs swapped, or one chunk dropped: the content is refused, never handed out altered
    const blobs = (await client.query<{ content_blob: string }>('SELECT content_blob FROM delivery_details ORDER BY delivery_id')).rows.map((r) => r.content_blob);
    await client.query('UPDATE blob_chunks SET sealed = (SELECT sealed FROM blob_chunks WHERE blob_id = $2 AND idx = 0) WHERE blob_id = $1 AND idx = 0', [blobs[0], blobs[1]]);
    await expect(store.readContent(1)).rejects.toMatchObject({ kind: 'store-corrupt' });
    await client.query('DELETE FROM blob_chunks WHERE blob_id = $1', [blobs[1]]);
    await expect(store.readContent(2)).rejects.toMatchObject({ kind: 'store-corrupt' });
    await expect(client.query('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(client.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });
});
