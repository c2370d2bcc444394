/**
 * Encryption at rest: nothing the store writes — database, WAL, shared-memory index, rollback journal, key file,
 * blob files — holds a name, a document byte, the password, the recovery key or the data key in clear.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { openEncryptedDatabase } from '../../core/store/database.js';
import { APPLICANTS, chunked, contentXml, delivery, filesUnder, newStore, PASSWORD, patternBytes, rawDatabase, scanForPlaintext, tempDir } from './helpers.js';

const SECRET_DOC = 'VERTRAULICH-Kontoauszug-DE02120300000000202051';
const SUBJECT = 'Antrag auf Hilfe zum Lebensunterhalt – Erika Musterfrau';

describe('encryption at rest', () => {
  it('leaves no plaintext in any file of the store folder, with the store open (WAL) and after close', async () => {
    const tmp = tempDir();
    // SQLite would put temp files here; temp_store=MEMORY must keep it empty
    process.env.SQLITE_TMPDIR = tmp;
    const { store, dbPath, recoveryKey, dir } = await newStore();
    const bigDocument = Buffer.concat([Buffer.from(`%PDF-1.7 ${SECRET_DOC} `), patternBytes(700_000, 'scan'), Buffer.from(` ${SECRET_DOC} %%EOF`)]);
    const bigContent = contentXml('Musterfrau, Erika', `<anlage>${SECRET_DOC}</anlage>`.repeat(20_000));
    expect(bigContent.length).toBeGreaterThan(256 * 1024);
    for (let i = 0; i < APPLICANTS.length; i++) {
      await store.saveDelivery(
        delivery(i, {
          subject: i === 0 ? SUBJECT : undefined,
          content: i === 0 ? chunked(bigContent, 10_000) : contentXml(APPLICANTS[i] as string, `<notiz>${SECRET_DOC}</notiz>`),
          attachments: [
            { name: `Kontoauszug ${APPLICANTS[i]}.pdf`, mimeType: 'application/pdf', content: chunked(bigDocument, 64 * 1024) },
            { name: 'Mietvertrag.txt', mimeType: 'text/plain', content: Buffer.from(`Mieter: ${APPLICANTS[i]} ${SECRET_DOC}`) },
          ],
          unreadableReason: i === 9 ? `nicht lesbar: ${SECRET_DOC}` : undefined,
        }),
      );
    }
    store.openDelivery(1);
    store.markTransferred(2);
    // a search and a large sort run through SQLite's temp machinery
    expect(store.list({ search: 'Musterfrau' }).total).toBe(1);
    expect(store.list({ sort: 'applicant', limit: 1000 }).total).toBe(10);

    // each name part long enough to scan for, and every full name as written in the content
    const names = [...APPLICANTS.flatMap((a) => a.split(', ')).filter((n) => Buffer.byteLength(n) >= 6), ...APPLICANTS];
    const raw = await rawDatabase(dbPath);
    raw.db.close();
    const dataKey = raw.dataKey;
    const needles = [
      ...names,
      SECRET_DOC,
      SUBJECT,
      'Hauptstraße',
      'Musterstadt',
      'familienname',
      'Kontoauszug',
      PASSWORD,
      recoveryKey,
      recoveryKey.replace(/-/g, ''),
      dataKey,
      dataKey.toString('hex'),
      dataKey.toString('base64'),
      'SQLite format 3',
      'CREATE TABLE',
    ];

    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['postfach.db', 'postfach.db-wal', 'postfach.db-shm', 'postfach.db.keys.json', 'postfach.db.files']));
    expect(statSync(path.join(dir, 'postfach.db-wal')).size).toBeGreaterThan(0);
    expect(filesUnder(path.join(dir, 'postfach.db.files')).length).toBeGreaterThanOrEqual(21);
    expect(scanForPlaintext(dir, needles)).toEqual([]);

    // the scanner does find plaintext: the same bytes decrypted through the store
    const record = store.getDelivery(1);
    const attachment = await store.readAttachment(record.attachments[0]?.id ?? -1);
    expect(attachment.includes(Buffer.from(SECRET_DOC))).toBe(true);
    expect((await store.readContent(1)).equals(bigContent)).toBe(true);

    store.close();
    expect(scanForPlaintext(dir, needles)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('encrypts the rollback journal too (journal_mode PERSIST keeps it on disk for the scan)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'journal.db');
    const key = Buffer.alloc(32, 7);
    const db = openEncryptedDatabase(file, key, { create: true });
    db.pragma('journal_mode = PERSIST');
    db.exec('CREATE TABLE t(v TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run(`Łukasiewicz ${SECRET_DOC}`);
    // the update journals the page holding the old row: the journal now holds that page's bytes
    db.prepare('UPDATE t SET v = ?').run('x');
    expect(statSync(`${file}-journal`).size).toBeGreaterThan(0);
    db.close();
    expect(scanForPlaintext(dir, ['Łukasiewicz', SECRET_DOC, 'SQLite format 3'])).toEqual([]);
    const reopened = openEncryptedDatabase(file, key, { create: false });
    expect(reopened.prepare('SELECT v FROM t').get()).toEqual({ v: 'x' });
    reopened.close();
  });

  it('shows the scan is real: an unencrypted SQLite file with the same data is caught', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'plain'));
    const file = path.join(dir, 'plain', 'plain.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t(v TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run(SECRET_DOC);
    db.close();
    expect(scanForPlaintext(dir, [SECRET_DOC]).map((f) => f.file)).toEqual([path.join('plain', 'plain.db')]);
    expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('opens every connection with WAL, synchronous=FULL, temp_store=MEMORY, secure_delete and a busy timeout', () => {
    const dir = tempDir();
    const db = openEncryptedDatabase(path.join(dir, 'p.db'), Buffer.alloc(32, 5), { create: true });
    expect({
      cipher: db.pragma('cipher', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      synchronous: db.pragma('synchronous', { simple: true }),
      tempStore: db.pragma('temp_store', { simple: true }),
      secureDelete: db.pragma('secure_delete', { simple: true }),
      busyTimeout: db.pragma('busy_timeout', { simple: true }),
      foreignKeys: db.pragma('foreign_keys', { simple: true }),
    }).toEqual({ cipher: 'sqlcipher', journal: 'wal', synchronous: 2, tempStore: 2, secureDelete: 1, busyTimeout: 10_000, foreignKeys: 1 });
    db.close();
  });

  it('uses the SQLCipher 4 scheme: the database cannot be opened without the data key', async () => {
    const { store, dbPath } = await newStore();
    store.close();
    expect(() => openEncryptedDatabase(dbPath, Buffer.alloc(32, 1), { create: false })).toThrowError(expect.objectContaining({ kind: 'store-corrupt' }));
    const store2 = await PostfachStore.open(dbPath, { password: PASSWORD });
    store2.close();
  });
});
