/**
 * The audit log: every access recorded with OS user, action, message ids and time; append-only (triggers);
 * tampering found by the hash chain; CSV export for the data-protection officer without personal data.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../core/store/audit-log.js';
import { auditWords } from '../../core/store/audit-words.js';
import { PostfachStore } from '../../core/store/index.js';
import { officeTime } from '../../core/time/office-time.js';
import { delivery, newStore, PASSWORD, rawDatabase, tempDir, FAST_SCRYPT } from './helpers.js';

/** A small RFC 4180 reader, to check the export parses back field for field. */
function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

async function storeWithHistory(): Promise<{ store: PostfachStore; dbPath: string; dir: string }> {
  const { store, dbPath, dir } = await newStore();
  await store.saveDelivery(delivery(0));
  await store.saveDelivery(delivery(1));
  store.openDelivery(1);
  store.recordExported(1, 'pdf,xml "mit Anlagen"');
  store.recordPrinted(1);
  store.markTransferred(1);
  store.moveToTrash(2);
  store.restoreFromTrash(2);
  store.setLegalHold(2, true);
  store.updateSettings({ retentionTransferredDays: 14 });
  store.moveToTrash(1);
  await store.deletePermanently(1);
  return { store, dbPath, dir };
}

describe('audit log', () => {
  it('records who did what to which message, when — by ids, never by names', async () => {
    const before = Date.now();
    const { store } = await storeWithHistory();
    const entries = store.auditEntries();
    expect(entries.map((e) => [e.action, e.deliveryId, e.messageId])).toEqual([
      ['store-created', null, null],
      ['fetched', 1, 'osci-msg-00000-a1b2c3'],
      ['fetched', 2, 'osci-msg-00001-a1b2c3'],
      ['opened', 1, 'osci-msg-00000-a1b2c3'],
      ['exported', 1, 'osci-msg-00000-a1b2c3'],
      ['printed', 1, 'osci-msg-00000-a1b2c3'],
      ['marked-transferred', 1, 'osci-msg-00000-a1b2c3'],
      ['trashed', 2, 'osci-msg-00001-a1b2c3'],
      ['restored', 2, 'osci-msg-00001-a1b2c3'],
      ['legal-hold-set', 2, 'osci-msg-00001-a1b2c3'],
      ['settings-changed', null, null],
      ['trashed', 1, 'osci-msg-00000-a1b2c3'],
      ['deleted', 1, 'osci-msg-00000-a1b2c3'],
    ]);
    expect(entries.every((e) => e.osUser === 'sachbearbeitung1')).toBe(true);
    expect(entries.every((e) => Date.parse(e.at) >= before - 1000 && Date.parse(e.at) <= Date.now())).toBe(true);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    // stored as code and parameters (versioned JSON), said in words when read
    const settings = entries.find((e) => e.action === 'settings-changed')!;
    expect(JSON.parse(settings.detail!)).toEqual({ v: 1, event: 'retention', changes: ['retention.transferredDays=30→14'] });
    expect(auditWords(settings.action, settings.detail)).toEqual({
      de: 'Einstellungen geändert: Aufbewahrung nach Übertragung von 30 auf 14 Tage',
      en: 'Settings changed: Retention after transfer from 30 to 14 days',
    });
    // the caller's detail is reduced to technical characters
    expect(JSON.parse(entries.find((e) => e.action === 'exported')!.detail!)).toEqual({ v: 1, format: 'pdf,xml ?mit Anlagen?' });
    expect(auditWords('fetched', entries[1]!.detail)).toEqual({ de: 'Abgerufen', en: 'Fetched' });
    expect(store.auditEntries({ deliveryId: 2 }).map((e) => e.action)).toEqual(['fetched', 'trashed', 'restored', 'legal-hold-set']);
    // entries outlive the deleted message
    expect(() => store.getDelivery(1)).toThrowError(expect.objectContaining({ kind: 'store-unknown-message' }));
    expect(store.verifyAuditLog()).toMatchObject({ ok: true, entries: 13 });
    store.close();
  });

  it('takes the OS user by default', async () => {
    const dir = tempDir();
    const { store } = await PostfachStore.create(path.join(dir, 's.db'), { password: PASSWORD, scrypt: FAST_SCRYPT });
    expect(store.auditEntries()[0]?.osUser).toBe(os.userInfo().username);
    store.close();
  });

  it('is append-only: UPDATE and DELETE are refused by the database itself', async () => {
    const { store, dbPath } = await storeWithHistory();
    store.close();
    const { db } = await rawDatabase(dbPath);
    expect(() => db.prepare("UPDATE audit_log SET os_user = 'someone' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 13 });
    db.close();
  });

  it.each([
    ['a changed field', "UPDATE audit_log SET os_user = 'jemand' WHERE seq = 5", { firstBadSeq: 5, problem: 'hash' }],
    ['a removed entry', 'DELETE FROM audit_log WHERE seq = 7', { firstBadSeq: 8, problem: 'gap' }],
    ['a changed action', "UPDATE audit_log SET action = 'deleted' WHERE seq = 6", { firstBadSeq: 6, problem: 'hash' }],
    ['a changed message id', "UPDATE audit_log SET message_id = 'other' WHERE seq = 4", { firstBadSeq: 4, problem: 'hash' }],
    ['a rehashed entry (hash recomputed, successor not)', "UPDATE audit_log SET detail = 'x', hash = zeroblob(32) WHERE seq = 3", { firstBadSeq: 3, problem: 'hash' }],
  ])('finds %s once the triggers are dropped by someone with the key', async (_name, sql, expected) => {
    const { store, dbPath } = await storeWithHistory();
    store.close();
    const { db } = await rawDatabase(dbPath);
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.exec(sql);
    db.close();
    const reopened = await PostfachStore.open(dbPath, { password: PASSWORD });
    expect(reopened.verifyAuditLog()).toMatchObject({ ok: false, ...expected });
    reopened.close();
  });

  it('exports RFC 4180 CSV, UTF-8 with BOM, that parses back to the entries', async () => {
    const { store, dir } = await storeWithHistory();
    const file = path.join(dir, 'audit.csv');
    await store.exportAuditCsv(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'Lfd. Nr.',
      'Zeitpunkt',
      'Benutzer',
      'Aktion',
      'Aktion (Code)',
      'Nachricht (Nr.)',
      'OSCI-Nachrichten-ID',
      'Angabe',
      'Angabe (Code)',
      'Prüfsumme (SHA-256)',
      'Zeitpunkt (ISO 8601)',
    ]);
    const entries = store.auditEntries();
    const office = officeTime('Europe/Berlin');
    expect(rows.slice(1)).toEqual(
      entries.map((e) => [
        String(e.seq),
        office.stated(e.at),
        e.osUser,
        expect.any(String),
        e.action,
        e.deliveryId === null ? '' : String(e.deliveryId),
        e.messageId ?? '',
        auditWords(e.action, e.detail).de,
        e.detail ?? '',
        e.hash,
        office.iso(e.at),
      ]),
    );
    // the moment, stated in the office zone (German summer or winter time), and the same moment with its offset
    for (const row of rows.slice(1)) {
      expect(row[1]).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} Uhr \(MES?Z, UTC\+0[12]:00\)$/);
      expect(new Date(row[10] ?? '').toISOString()).toBe(entries.find((e) => String(e.seq) === row[0])?.at);
    }
    // the words beside the codes
    expect(rows.find((r) => r[4] === 'settings-changed')?.[7]).toBe('Einstellungen geändert: Aufbewahrung nach Übertragung von 30 auf 14 Tage');
    expect(rows.find((r) => r[4] === 'settings-changed')?.[8]).toBe('{"v":1,"event":"retention","changes":["retention.transferredDays=30→14"]}');
    expect(rows.find((r) => r[4] === 'exported')?.[7]).toBe('Exportiert (pdf,xml ?mit Anlagen?)');
    expect(rows.find((r) => r[4] === 'opened')?.[3]).toBe('Geöffnet');
    expect(text).toContain('"{""v"":1,""format"":""pdf,xml ?mit Anlagen?""}"');
    // the log holds no names, subjects or content
    for (const personal of ['Musterfrau', 'Erika', 'Öztürk', 'Antrag', 'Hauptstraße']) expect(text).not.toContain(personal);
    const semicolons = parseCsv([...store.auditCsv(';')].join('').slice(1), ';');
    expect(semicolons).toHaveLength(rows.length);
    // another office time zone (the machine setting) states every time in it
    const kolkata = parseCsv([...store.auditCsv(',', 'Asia/Kolkata')].join('').slice(1));
    expect(kolkata.slice(1).map((r) => r[1])).toEqual(entries.map((e) => officeTime('Asia/Kolkata').stated(e.at)));
    expect(kolkata[1]?.[1]).toMatch(/\(UTC\+05:30\)$/);
    store.close();
  });

  it('neutralises spreadsheet formulas in fields', async () => {
    const { store } = await newStore({ osUser: '=HYPERLINK("http://x")' });
    const csv = [...store.auditCsv()].join('');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    store.close();
  });
});

describe('audit log in words', () => {
  it('says entries written before schema 9 (free text) in German and English, from the same parameters', () => {
    const cases: Array<[string, string, string, string]> = [
      [
        'store-created',
        'wrappers=recovery,password,safestorage:clerk',
        'Datenspeicher angelegt; Zugang mit Wiederherstellungsschlüssel, Passwort, Schlüsselspeicher des Betriebssystems (clerk)',
        'Data store created; access by recovery key, password, operating system key store (clerk)',
      ],
      ['fetched', 'attachments=2 content=file', 'Abgerufen, mit 2 OSCI-Anhängen', 'Fetched, with 2 OSCI attachments'],
      ['fetched', 'attachments=0 content=inline nicht-lesbar', 'Abgerufen, nicht lesbar', 'Fetched, not readable'],
      ['fetched', 'attachments=0 content=inline', 'Abgerufen', 'Fetched'],
      ['exported', 'pdf', 'Als PDF exportiert', 'Exported as PDF'],
      ['exported', 'abnahmeprotokoll', 'Abnahmeprotokoll erstellt', 'Acceptance record created'],
      ['retention-deleted', 'reason=trash', 'Nach Ablauf der Aufbewahrungsfrist gelöscht (lag im Papierkorb)', 'Deleted when its retention period ended (was in the trash)'],
      [
        'settings-changed',
        `mailbox identity set: cipher certificate sha256=${'ab'.repeat(32)}`,
        'Postfachschlüssel eingerichtet (Zertifikat SHA-256 ABABABABABABABAB…)',
        'Mailbox key set up (certificate SHA-256 ABABABABABABABAB…)',
      ],
      ['settings-changed', 'mailbox connection changed', 'Verbindung zum Intermediär geändert', 'Connection to the intermediary changed'],
      [
        'settings-changed',
        'retention.transferredDays=30→14 retention.trashDays=30→7',
        'Einstellungen geändert: Aufbewahrung nach Übertragung von 30 auf 14 Tage; Aufbewahrung im Papierkorb von 30 auf 7 Tage',
        'Settings changed: Retention after transfer from 30 to 14 days; Retention in the trash from 30 to 7 days',
      ],
      ['key-wrapper-changed', 'password set', 'Passwort für den Datenspeicher gesetzt', 'Password for the data store set'],
      ['key-wrapper-changed', 'removed: safestorage:clerk', 'Zugang entfernt: Schlüsselspeicher des Betriebssystems (clerk)', 'Access removed: operating system key store (clerk)'],
    ];
    for (const [action, detail, de, en] of cases) expect(auditWords(action, detail)).toEqual({ de, en });
    // a detail neither form explains: the action's words, then the detail as written
    expect(auditWords('settings-changed', 'trusted CA added: xyz')).toEqual({
      de: 'Einstellungen geändert (Angabe: trusted CA added: xyz)',
      en: 'Settings changed (detail: trusted CA added: xyz)',
    });
  });

  it('writes the CSV in NFC: a user name written decomposed goes out composed (bytes compared)', async () => {
    const dir = tempDir();
    const { store } = await PostfachStore.create(path.join(dir, 's.db'), { password: PASSWORD, scrypt: FAST_SCRYPT, osUser: 'Mu\u0308ller' });
    try {
      const file = path.join(dir, 'audit.csv');
      await store.exportAuditCsv(file);
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from([0x4d, 0xc3, 0xbc, 0x6c, 0x6c]))).toBe(true); // "Müll", ü as c3 bc
      expect(bytes.includes(Buffer.from([0x75, 0xcc, 0x88]))).toBe(false); // never u + combining diaeresis
    } finally {
      store.close();
    }
  });

  it('filters by application (store id or message id), by person and by time', async () => {
    const { store, dbPath } = await newStore();
    await store.saveDelivery(delivery(0));
    await store.saveDelivery(delivery(1));
    store.openDelivery(2);
    store.close();
    // an old entry, written a day before the others
    const { db } = await rawDatabase(dbPath);
    appendAudit(db, 'alt', { action: 'opened', deliveryId: 1, messageId: 'osci-msg-00000-a1b2c3', detail: null }, Date.UTC(2020, 0, 1));
    db.close();
    const reopened = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      const applicants = reopened.list({ sort: 'eingang', descending: false }).items.map((i) => i.applicants[0]!);
      const second = applicants[1]!.split(/[ ,]+/)[0]!;
      expect(reopened.auditEntries({ deliveryId: 1 }).map((e) => e.action)).toEqual(['fetched', 'opened']);
      expect(reopened.auditEntries({ messageId: 'osci-msg-00001-a1b2c3' }).map((e) => e.action)).toEqual(['fetched', 'opened']);
      expect(reopened.auditEntries({ person: second }).map((e) => e.deliveryId)).toEqual([2, 2]);
      expect(reopened.auditEntries({ person: 'Niemand-Unbekannt' })).toEqual([]);
      expect(reopened.auditEntries({ from: Date.UTC(2019, 0, 1), to: Date.UTC(2021, 0, 1) }).map((e) => e.osUser)).toEqual(['alt']);
    } finally {
      reopened.close();
    }
  });
});
