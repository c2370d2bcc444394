/**
 * A backup of the shared store made by an older program version is restored by this one: its rows go in at the
 * schema version they were written at, then the later migrations run in the same transaction, as the update would
 * have run them on the store itself (a program update must not make yesterday's backup useless). The older stores
 * here are made faithfully: a store of this version with the later migrations' tables and columns taken away again.
 * A backup of a newer version is refused as such, not as damaged.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgBackup, restorePgBackup } from '../../core/backup/pg-backup.js';
import { createPgKeyFile, PgMailboxStore, PG_LATEST_VERSION } from '../../core/store-pg/index.js';
import { FAST_SCRYPT, PASSWORD, delivery, tempDir } from './helpers.js';
import { usePgCluster } from './contract/backends.js';

const { cluster } = usePgCluster();
const BACKUP_PASSWORD = 'Umzug-Passwort-2027';

const clients: pg.Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end();
});

function connection(database: string): pg.ClientConfig {
  const c = cluster();
  return { host: c.host, port: c.port, user: c.user, password: c.password, database };
}

async function sql(database: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client(connection(database));
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client.query(text);
}

/** What each migration added to the tables, taken away (newest first). */
const UNDO: ReadonlyArray<readonly [number, string]> = [
  [5, 'DROP TABLE handover; DROP TABLE handover_start'],
  [4, "DROP TABLE key_rotation; DROP TABLE retired_keys; DELETE FROM store_meta WHERE key = 'mailbox-id'"],
  [3, 'DROP TABLE mailbox_identity; DROP TABLE trusted_cas; DROP TABLE code_lists'],
  [2, 'DROP TABLE delivery_reads; ALTER TABLE deliveries DROP COLUMN claimed_by, DROP COLUMN claimed_at, DROP COLUMN transferred_by'],
];

/** A store with three deliveries (one read, one in the trash), its backup written as at `version`. */
async function backupAt(version: number, recordedAs = version): Promise<{ file: string; keyFile: string; dataKey: Buffer; ids: number[] }> {
  const name = `src_${version}_${randomBytes(3).toString('hex')}`;
  await sql('postgres', `CREATE DATABASE ${name}`);
  const dir = tempDir();
  const keyFile = path.join(dir, 'team.keys.json');
  const { dataKey } = await createPgKeyFile(keyFile, PASSWORD);
  const store = await PgMailboxStore.open({ connection: connection(name), dataKey, osUser: 'sachbearbeitung1' });
  try {
    for (let i = 0; i < 3; i++) await store.saveDelivery(delivery(i));
    await store.markRead(1);
    await store.moveToTrash(3);
  } finally {
    await store.close();
  }
  // the store as the program of that version left it: what later migrations added is taken away again (version 6
  // only added indexes, which a backup does not carry)
  for (const [since, undo] of UNDO) if (since > version) await sql(name, undo);
  await sql(name, `DELETE FROM schema_migrations WHERE version > ${version}`);
  if (recordedAs > version) await sql(name, `INSERT INTO schema_migrations(version, name) VALUES (${recordedAs}, 'a later program')`);
  const file = path.join(dir, 'team.pfbak');
  const manifest = await createPgBackup({ connection: connection(name), keyFile, out: file, password: BACKUP_PASSWORD, appVersion: 'test', cost: FAST_SCRYPT });
  expect((manifest as { postgresql?: { schemaVersion?: number } }).postgresql?.schemaVersion).toBe(recordedAs);
  return { file, keyFile, dataKey, ids: [1, 2, 3] };
}

async function restoreAt(version: number): Promise<void> {
  const { file, dataKey } = await backupAt(version);
  const target = `dst_${version}_${randomBytes(3).toString('hex')}`;
  await sql('postgres', `CREATE DATABASE ${target}`);
  const restored = await restorePgBackup({ file, password: BACKUP_PASSWORD, connection: connection(target), keyFile: path.join(tempDir(), 'restored.keys.json') });
  expect(restored.summary.messages).toBe(3);
  const { rows } = await sql(target, 'SELECT max(version) AS v FROM schema_migrations');
  expect(Number(rows[0].v)).toBe(PG_LATEST_VERSION);
  const store = await PgMailboxStore.open({ connection: connection(target), dataKey, osUser: 'sachbearbeitung1' });
  try {
    // the read mark is per person since version 2; before, the store kept it on the delivery alone
    expect((await store.list()).items.map((i) => i.id)).toEqual([2, 1]);
    expect(await store.counts()).toMatchObject({ inbox: 2, trash: 1 });
    expect((await store.verifyAuditLog()).ok).toBe(true);
    expect((await store.readContent(2)).equals(delivery(1).content as Buffer)).toBe(true);
  } finally {
    await store.close();
  }
  // the later migrations ran on the restored rows, as an update runs them: version 4's mailbox id is there
  const meta = await sql(target, "SELECT count(*)::int AS n FROM store_meta WHERE key = 'mailbox-id'");
  expect(meta.rows[0].n).toBe(1);
}

describe('restoring a backup of an older schema version', () => {
  for (const version of [5, 4, 2, 1]) {
    it(`restores a backup of version ${version} into an empty database, at this version, with every row`, async () => {
      await restoreAt(version);
    });
  }

  it('keeps the read marks of a backup that has them per person', async () => {
    const { file, dataKey } = await backupAt(PG_LATEST_VERSION);
    await sql('postgres', 'CREATE DATABASE dst_marks');
    await restorePgBackup({ file, password: BACKUP_PASSWORD, connection: connection('dst_marks'), keyFile: path.join(tempDir(), 'marks.keys.json') });
    const store = await PgMailboxStore.open({ connection: connection('dst_marks'), dataKey, osUser: 'sachbearbeitung1' });
    try {
      expect((await store.list()).items.map((i) => [i.id, i.unread])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(await store.counts()).toMatchObject({ inbox: 2, unread: 1, trash: 1 });
    } finally {
      await store.close();
    }
  });

  it('refuses a backup of a newer version as too new, not as damaged, and leaves the database without a store', async () => {
    const { file } = await backupAt(PG_LATEST_VERSION, PG_LATEST_VERSION + 1);
    await sql('postgres', 'CREATE DATABASE dst_newer');
    await expect(
      restorePgBackup({ file, password: BACKUP_PASSWORD, connection: connection('dst_newer'), keyFile: path.join(tempDir(), 'refused.keys.json') }),
    ).rejects.toMatchObject({
      kind: 'backup-too-new',
    });
    const { rows } = await sql('dst_newer', "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
    expect(rows[0].n).toBe(0);
  });
});
