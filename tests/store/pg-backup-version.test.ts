/**
 * A backup of the shared store made by the program before an update that only added indexes (PostgreSQL schema
 * version 6, issue 14) is restored by this program: its rows fit the tables as they are, and the restored store is
 * at this program's version. A backup of a version whose later migrations changed tables stays refused — rows of
 * another shape are never forced into this program's tables.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgBackup, restorePgBackup } from '../../core/backup/pg-backup.js';
import { pgRowsFitSince } from '../../core/store-pg/migrations.js';
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

/** A store with three deliveries (one read, one in the trash), its backup written as at `version`. */
async function backupAt(version: number): Promise<{ file: string; keyFile: string; dataKey: Buffer; ids: number[] }> {
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
  // the program of that version recorded no later migration (the rows are the same: what differs is indexes)
  await sql(name, `DELETE FROM schema_migrations WHERE version > ${version}`);
  const file = path.join(dir, 'team.pfbak');
  const manifest = await createPgBackup({ connection: connection(name), keyFile, out: file, password: BACKUP_PASSWORD, appVersion: 'test', cost: FAST_SCRYPT });
  expect((manifest as { postgresql?: { schemaVersion?: number } }).postgresql?.schemaVersion).toBe(version);
  return { file, keyFile, dataKey, ids: [1, 2, 3] };
}

describe('restoring a backup of an older schema version', () => {
  it('knows which versions have rows of this shape', () => {
    expect(pgRowsFitSince(PG_LATEST_VERSION)).toBe(true);
    expect(pgRowsFitSince(5)).toBe(true); // version 6 added indexes only
    expect(pgRowsFitSince(4)).toBe(false); // version 5 added the hand-over tables
    expect(pgRowsFitSince(0)).toBe(false);
    expect(pgRowsFitSince(PG_LATEST_VERSION + 1)).toBe(false);
  });

  it('restores a backup of version 5 into an empty database, at this version, with every row', async () => {
    const { file, dataKey } = await backupAt(5);
    await sql('postgres', 'CREATE DATABASE dst_5');
    const restored = await restorePgBackup({ file, password: BACKUP_PASSWORD, connection: connection('dst_5'), keyFile: path.join(tempDir(), 'restored.keys.json') });
    expect(restored.summary.messages).toBe(3);
    const store = await PgMailboxStore.open({ connection: connection('dst_5'), dataKey, osUser: 'sachbearbeitung1' });
    try {
      expect((await store.list()).items.map((i) => [i.id, i.unread])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(await store.counts()).toMatchObject({ inbox: 2, unread: 1, trash: 1 });
      expect((await store.verifyAuditLog()).ok).toBe(true);
    } finally {
      await store.close();
    }
    const { rows } = await sql('dst_5', 'SELECT max(version) AS v FROM schema_migrations');
    expect(Number(rows[0].v)).toBe(PG_LATEST_VERSION);
  });

  it('refuses a backup of version 4 (tables changed since) and leaves the database without a store', async () => {
    const { file } = await backupAt(4);
    await sql('postgres', 'CREATE DATABASE dst_4');
    await expect(restorePgBackup({ file, password: BACKUP_PASSWORD, connection: connection('dst_4'), keyFile: path.join(tempDir(), 'refused.keys.json') })).rejects.toMatchObject({
      kind: 'backup-corrupt',
    });
    const { rows } = await sql('dst_4', "SELECT count(*)::int AS n FROM store_meta WHERE key = 'key-check'");
    expect(rows[0].n).toBe(0);
  });
});
