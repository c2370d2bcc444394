/**
 * Forward-only migrations on PRAGMA user_version: a store built at every earlier schema version, with data in it
 * as the program of that version wrote it, opens with the current program, migrates, and keeps every byte.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageJson, coverageOf, inspectionsOf, signaturesOf } from '../../core/mailbox/message-dto.js';
import { inspectionDto, listItemDto, partCoverageDto, signatureCheckDto } from '../../core/api/handlers/evidence-dto.js';
import { receiptFacts } from '../../core/mailbox/export.js';
import { unreadableWords } from '../../core/api/contract/unreadable.js';
import { both, certificateWarningWords, coverageSentence, inspectionSentence, signatureSentence, wordsOf } from '../../core/domain/words/index.js';
import { officeTime } from '../../core/time/office-time.js';
import { appendAudit } from '../../core/store/audit-log.js';
import { writeBlob, nodeBlobFileIo, newBlobId } from '../../core/store/blob-files.js';
import { openEncryptedDatabase, type Db } from '../../core/store/database.js';
import { PostfachStore, LATEST_SCHEMA_VERSION } from '../../core/store/index.js';
import { createKeyring } from '../../core/store/keyring.js';
import { migrate, migrations, schemaVersion } from '../../core/store/migrations/index.js';
import { storePaths } from '../../core/store/paths.js';
import { contentXml, FAST_SCRYPT, PASSWORD, patternBytes, rawDatabase, sha256, tempDir } from './helpers.js';

const smallContent = contentXml('Łukasiewicz, Jan', '<hinweis>Heizkostenabrechnung</hinweis>');
const largeContent = patternBytes(600_000, 'large-content');
const attachmentBytes = patternBytes(333_333, 'attachment');

/** Version 1 rows, exactly the columns schema 1 has. */
async function seedDeliveries(db: Db, filesDir: string): Promise<void> {
  const contentBlob = await writeBlob(nodeBlobFileIo, filesDir, newBlobId(), largeContent);
  const attachmentBlob = await writeBlob(nodeBlobFileIo, filesDir, newBlobId(), attachmentBytes);
  const insertBlob = db.prepare('INSERT INTO blobs(id, file_key, size, sha256) VALUES (?, ?, ?, ?)');
  for (const b of [contentBlob, attachmentBlob]) insertBlob.run(b.id, b.key, b.size, b.sha256);
  const insert = db.prepare(
    `INSERT INTO deliveries(id, message_id, subject, creation_at, fetched_at, read_at, applicants, applicant_sort, benefit_code, benefit_text,
       application_date, is_test, attachment_count, signature_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run(
    1,
    'legacy-msg-1',
    'Antrag BuT',
    Date.UTC(2026, 9, 1),
    Date.UTC(2026, 9, 2),
    Date.UTC(2026, 9, 3),
    '["Łukasiewicz, Jan"]',
    'lukasiewicz, jan',
    'BUT',
    'Bildung und Teilhabe',
    '2026-09-30',
    0,
    1,
    'gueltig',
  );
  insert.run(
    2,
    'legacy-msg-2',
    'Antrag HzL',
    Date.UTC(2026, 9, 5),
    Date.UTC(2026, 9, 6),
    null,
    '["Öztürk, Ayşe"]',
    'ozturk, ayse',
    'HZL',
    'Hilfe zum Lebensunterhalt',
    null,
    1,
    0,
    'ungueltig',
  );
  const details = db.prepare(
    `INSERT INTO delivery_details(delivery_id, sender_cert, inspection_report, signature_result, content_size, content_sha256, content_type, content_blob, content_inline)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  details.run(
    1,
    Buffer.from([0x30, 0x82, 1, 2]),
    '{"ok":true}',
    '{"valid":true}',
    smallContent.length,
    createHash('sha256').update(smallContent).digest(),
    'application/xml',
    null,
    smallContent,
  );
  details.run(2, null, null, '{"valid":false}', contentBlob.size, contentBlob.sha256, 'application/xml', contentBlob.id, null);
  db.prepare('INSERT INTO attachments(delivery_id, position, name, mime_type, size, sha256, blob_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    1,
    0,
    'Zeugnis.pdf',
    'application/pdf',
    attachmentBlob.size,
    attachmentBlob.sha256,
    attachmentBlob.id,
  );
}

function seedAudit(db: Db): void {
  appendAudit(db, 'altbenutzer', { action: 'store-created' }, Date.UTC(2026, 9, 1));
  appendAudit(db, 'altbenutzer', { action: 'fetched', deliveryId: 1, messageId: 'legacy-msg-1' }, Date.UTC(2026, 9, 2));
  appendAudit(db, 'altbenutzer', { action: 'opened', deliveryId: 1, messageId: 'legacy-msg-1' }, Date.UTC(2026, 9, 3));
}

function seedSearch(db: Db): void {
  // what the version-3 program indexed: folded names, ids, subject, content text
  const insert = db.prepare('INSERT INTO delivery_search(rowid, names, ids, subject, body) VALUES (?, ?, ?, ?, ?)');
  insert.run(1, 'lukasiewicz, jan', 'legacy-msg-1 1', 'antrag but', 'lukasiewicz jan heizkostenabrechnung');
  insert.run(2, 'ozturk, ayse', 'legacy-msg-2 2', 'antrag hzl', '');
}

/** A new store (keyring with PASSWORD) whose schema stops at `version`, still empty; the database stays open. */
async function emptyStoreAt(version: number): Promise<{ dbPath: string; paths: ReturnType<typeof storePaths>; db: Db }> {
  const dir = tempDir();
  const dbPath = path.join(dir, 'alt.db');
  const paths = storePaths(dbPath);
  mkdirSync(paths.filesDir);
  const { dataKey } = await createKeyring(paths, { password: PASSWORD, scrypt: FAST_SCRYPT });
  const db = openEncryptedDatabase(paths.database, dataKey, { create: true });
  expect(migrate(db, version)).toBe(version);
  return { dbPath, paths, db };
}

/** A store whose schema stops at `version`, with that version's data in it. */
async function storeAtVersion(version: number): Promise<string> {
  const { dbPath, paths, db } = await emptyStoreAt(version);
  if (version >= 1) await seedDeliveries(db, paths.filesDir);
  // a program of schema 16 or later writes the English code (migration 16 converts only older stores)
  if (version >= 16) db.prepare("UPDATE deliveries SET signature_status = 'invalid' WHERE signature_status = 'ungueltig'").run();
  if (version >= 2) seedAudit(db);
  if (version >= 3) seedSearch(db);
  db.close();
  return dbPath;
}

describe('migrations', () => {
  it('are numbered 1..n without gaps, each a module with a name', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
    expect(new Set(migrations.map((m) => m.name)).size).toBe(migrations.length);
  });

  it.each(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, k) => k))('a store at version %i migrates to the latest with its data intact', async (version) => {
    const dbPath = await storeAtVersion(version);
    const store = await PostfachStore.open(dbPath, { password: PASSWORD }, { osUser: 'neubenutzer' });
    const { db } = await rawDatabase(dbPath);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();

    if (version === 0) {
      expect(store.list().total).toBe(0);
    } else {
      expect(
        store.list({ sort: 'eingang', descending: false }).items.map((i) => [i.id, i.messageId, i.applicants, i.benefitCode, i.isTest, i.state, i.signatureStatus, i.legalHold]),
      ).toEqual([
        // migration 16: the German token of the signature status becomes the English code; a value the engine
        // never wrote ('gueltig') stays as it was
        [1, 'legacy-msg-1', ['Łukasiewicz, Jan'], 'BUT', false, 'read', 'gueltig', false],
        [2, 'legacy-msg-2', ['Öztürk, Ayşe'], 'HZL', true, 'new', 'invalid', false],
      ]);
      const one = store.getDelivery(1);
      expect(one).toMatchObject({
        eingang: '2026-10-01T00:00:00.000Z',
        applicationDate: '2026-09-30',
        checklist: [],
        signatureResult: { valid: true },
        processCard: { inspectionReport: { ok: true } },
      });
      expect([...(one.senderCertificate ?? [])]).toEqual([0x30, 0x82, 1, 2]);
      expect((await store.readContent(1)).equals(smallContent)).toBe(true);
      expect(sha256(await store.readContent(2))).toBe(sha256(largeContent));
      expect((await store.readAttachment(one.attachments[0]?.id ?? -1)).equals(attachmentBytes)).toBe(true);
      // indexed by migration 3 (or by the version-3 program): names folded, content text of inline content
      expect(store.list({ search: 'Lukasiewicz' }).items.map((i) => i.id)).toEqual([1]);
      expect(store.list({ search: 'Heizkosten' }).items.map((i) => i.id)).toEqual([1]);
      expect(store.list({ search: 'legacy-msg-2' }).items.map((i) => i.id)).toEqual([2]);
      // version 4's features work on old rows
      store.setLegalHold(2, true);
      store.setChecklist(1, ['person']);
      store.markTransferred(1);
      expect(store.getDelivery(1).checklist).toEqual(['person']);
    }
    expect(store.getSettings()).toEqual({ retentionTransferredDays: 30, retentionTrashDays: 30 });
    const audit = store.auditEntries();
    if (version >= 2)
      expect(audit.slice(0, 3).map((e) => [e.osUser, e.action])).toEqual([
        ['altbenutzer', 'store-created'],
        ['altbenutzer', 'fetched'],
        ['altbenutzer', 'opened'],
      ]);
    expect(store.verifyAuditLog().ok).toBe(true);
    // a new delivery after the migration
    const fresh = await store.saveDelivery({ messageId: 'after-migration', content: Buffer.from('<x/>') });
    expect(fresh.created).toBe(true);
    expect(store.auditEntries().at(-1)).toMatchObject({ osUser: 'neubenutzer', action: 'fetched', messageId: 'after-migration' });
    expect(store.verifyAuditLog().ok).toBe(true);
    store.close();
  });

  it('migration 8 gives "nicht lesbar" rows stored before it their kind from the engine\'s certificate result; migration 13 keeps the kind instead of the text', async () => {
    const { dbPath, db } = await emptyStoreAt(7);
    const insert = db.prepare('INSERT INTO deliveries(id, message_id, unreadable_reason, fetched_at) VALUES (?, ?, ?, ?)');
    const details = db.prepare('INSERT INTO delivery_details(delivery_id, certificate_result, content_size, content_sha256, content_inline) VALUES (?, ?, 1, ?, ?)');
    const rows: Array<[number, string | null, string | null]> = [
      [1, 'nicht lesbar: Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt', '{"unreadable":{"kind":"no-matching-key","detail":"x"}}'],
      [2, 'nicht lesbar: Inhalt kann nicht gelesen werden', null],
      [3, 'nicht lesbar: Inhaltsdaten sind beschädigt', 'kein JSON'],
      [4, 'nicht lesbar: Inhaltsdaten sind beschädigt', '{"unreadable":{"kind":42}}'],
      [5, null, '{"unreadable":{"kind":"no-matching-key"}}'],
    ];
    for (const [id, reason, result] of rows) {
      insert.run(id, `unlesbar-${id}`, reason, Date.UTC(2026, 9, id));
      details.run(id, result, createHash('sha256').update('x').digest(), Buffer.from('x'));
    }
    db.close();
    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      const items = store.list({ sort: 'eingang', descending: false }).items;
      // the kind where migration 8 found one, else `unreadable` (said "Inhalt kann nicht gelesen werden"); readable stays NULL
      const kindOf = (id: number, reason: string | null): string | null => (reason === null ? null : id === 1 ? 'no-matching-key' : 'unreadable');
      expect(items.map((i) => [i.id, i.unreadableReason, i.unreadableKind])).toEqual(rows.map(([id, reason]) => [id, kindOf(id, reason), kindOf(id, reason)]));
      // a new delivery keeps its kind beside the text; a readable one has none
      const saved = await store.saveDelivery({ messageId: 'neu-unlesbar', content: Buffer.from('x'), unreadableReason: 'xml-empty', unreadableKind: 'xml-empty' });
      expect(store.getDelivery(saved.id)).toMatchObject({ unreadableReason: 'xml-empty', unreadableKind: 'xml-empty' });
      const readable = await store.saveDelivery({ messageId: 'neu-lesbar', content: Buffer.from('<x/>'), unreadableKind: 'xml-empty' });
      expect(store.getDelivery(readable.id)).toMatchObject({ unreadableReason: null, unreadableKind: null });
    } finally {
      store.close();
    }
  });

  it('migration 10 marks every part stored before it "before-coverage" (not known), and new rows keep the engine\'s coverage codes', async () => {
    const dbPath = await storeAtVersion(8);
    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      const before = { version: 1, status: 'before-coverage' };
      for (const id of [1, 2]) expect(store.getDelivery(id).content.coverage).toEqual(before);
      expect(store.getDelivery(1).attachments.map((a) => a.coverage)).toEqual([before]);
      // read back as "not known": no role, no signatures, words that say so
      const notKnown = partCoverageDto(coverageOf(store.getDelivery(1).content.coverage));
      expect(notKnown).toMatchObject({ role: null, status: 'before-coverage', signatures: [] });
      expect(coverageSentence(wordsOf('de'), notKnown.status, notKnown.role)).toContain('unbekannt');
      // what the receipt says of such a row: every part listed as not known, no signature claims to cover anything
      const facts = receiptFacts(store.getDelivery(1));
      expect(facts.parts?.map((p) => p.status)).toEqual([
        expect.stringContaining('Abdeckung durch die Signatur unbekannt'),
        expect.stringContaining('Abdeckung durch die Signatur unbekannt'),
      ]);
      expect(facts.parts?.every((p) => p.warning)).toBe(true);
      // a new delivery keeps codes, never words
      const coverage = coverageJson({ role: 'application', status: 'signed', signatures: [1], container: 'contentcontainer0', contentId: 'content0' });
      const saved = await store.saveDelivery({
        messageId: 'nach-migration-9',
        content: Buffer.from('<x/>'),
        contentCoverage: coverage,
        attachments: [{ name: 'a.txt', mimeType: 'text/plain', content: Buffer.from('a'), coverage: coverageJson({ role: 'extra', status: 'unsigned', signatures: [] }) }],
      });
      const fresh = store.getDelivery(saved.id);
      expect(fresh.content.coverage).toEqual({ version: 1, role: 'application', status: 'signed', signatures: [1], container: 'contentcontainer0', contentId: 'content0' });
      expect(fresh.attachments[0]?.coverage).toEqual({ version: 1, role: 'extra', status: 'unsigned', signatures: [] });
      const { db } = await rawDatabase(dbPath);
      const stored = db
        .prepare('SELECT x.content_coverage AS c, a.coverage AS a FROM delivery_details x JOIN attachments a ON a.delivery_id = x.delivery_id WHERE x.delivery_id = ?')
        .get(saved.id) as { c: string; a: string };
      db.close();
      // codes and ids only: no sentence (no blank) in any stored value
      const values = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(values) : typeof v === 'object' && v !== null ? Object.values(v).flatMap(values) : [v]);
      for (const json of [stored.c, stored.a]) for (const v of values(JSON.parse(json))) expect(String(v)).toMatch(/^[A-Za-z0-9_.-]+$/);
    } finally {
      store.close();
    }
  });

  it('migration 13 turns the sentences of version 12 into codes: the store holds no sentence, and every view says the same words as before', async () => {
    // a real store at schema 12 with rows as the version-12 fetch engine wrote them: checks and inspection report
    // with their German and English sentences, "nicht lesbar" as a German sentence
    const { dbPath, db } = await emptyStoreAt(12);
    const sentence = (de: string, en: string) => ({ de, en });
    const authorV1 = {
      role: 'author',
      container: 'Inhaltsdaten',
      result: 'valid',
      certificate: 'unknown-issuer',
      words: sentence(
        'Signatur gültig; Zertifikat von unbekanntem Aussteller; Sperrstatus nicht geprüft',
        'signature valid; certificate from an unknown issuer; revocation status not checked',
      ),
      signer: {
        subject: 'CN=Sozialamt-Portal Musterstadt',
        issuer: 'CN=Unbekannte CA',
        serialNumber: '0A1B',
        validFrom: '2025-12-20T10:00:00.000Z',
        validTo: '2026-12-20T10:00:00.000Z',
        fingerprintSha256: 'AB:CD',
        keyAlgorithm: 'RSA',
        keyBits: 2048,
        warnings: [
          {
            code: 'expires-soon',
            ...sentence(
              'Das Zertifikat läuft in 20 Tagen ab (am 20.12.2026). Bitte rechtzeitig ein neues beantragen.',
              'The certificate expires in 20 days (on 2026-12-20). Please request a new one in time.',
            ),
          },
          {
            code: 'weak-key',
            ...sentence(
              'Der Schlüssel ist mit 2048 Bit zu kurz (empfohlen: mindestens 3000 Bit, BSI TR-02102).',
              'The key is too short at 2048 bit (recommended: at least 3000 bit, BSI TR-02102).',
            ),
          },
          {
            code: 'weak-signature-algorithm',
            ...sentence('Das Zertifikat ist mit einem veralteten Verfahren signiert (SHA-1 mit RSA).', 'The certificate is signed with an outdated algorithm (SHA-1 mit RSA).'),
          },
        ],
      },
      algorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      checkedAt: '2026-11-30T10:00:00.000Z',
      validityBasis: 'creation',
      revocation: 'not-checked',
      reasons: [
        sentence('Der Aussteller ist keine als vertrauenswürdig eingerichtete Zertifizierungsstelle.', 'The issuer is not a certification authority configured as trusted.'),
        sentence(
          'Mindestens eine Anlage passt nicht zu dieser Signatur; sie ist einzeln gekennzeichnet und gehört nicht zum Nachweis.',
          'At least one attachment does not match this signature; it is marked on its own and is not covered.',
        ),
      ],
      technical: 'rsa-sha256; 2 references',
    };
    const intermediaryV1 = {
      role: 'intermediary',
      result: 'valid',
      certificate: 'trusted',
      words: sentence('Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft', 'signature valid; certificate trusted; revocation status not checked'),
      checkedAt: '2026-11-30T10:00:05.000Z',
      revocation: 'not-checked',
      reasons: [],
      technical: 'SupplierSignature trusted; 3 references',
    };
    const inspectionsV1 = [
      { subject: 'CN=Sozialamt-Portal Musterstadt', mathResult: 'ok', offlineResult: 'valid', words: sentence('laut Intermediär gültig', 'valid according to the intermediary') },
      {
        subject: 'unbekannt',
        mathResult: 'corrupted',
        offlineResult: 'invalid',
        words: sentence('laut Intermediär nicht in Ordnung (corrupted/invalid)', 'not in order according to the intermediary (corrupted/invalid)'),
      },
    ];
    const signatureV1 = { version: 1, checks: [intermediaryV1, authorV1], evidence: { signers: [null, null], intermediates: [] } };
    // the trust judged again after a CA change, as version 12 kept it: the same format
    const trustV1 = {
      ...signatureV1,
      checks: [
        intermediaryV1,
        {
          ...authorV1,
          certificate: 'trusted',
          words: sentence('Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft', 'signature valid; certificate trusted; revocation status not checked'),
          reasons: [authorV1.reasons[1]],
        },
      ],
    };
    const insert = db.prepare('INSERT INTO deliveries(id, message_id, unreadable_reason, unreadable_kind, fetched_at) VALUES (?, ?, ?, ?, ?)');
    const details = db.prepare(
      'INSERT INTO delivery_details(delivery_id, inspection_report, signature_result, certificate_result, content_size, content_sha256, content_inline) VALUES (?, ?, ?, ?, 1, ?, ?)',
    );
    const digest = createHash('sha256').update('x').digest();
    insert.run(1, 'lesbar-1', null, null, Date.UTC(2026, 10, 30));
    details.run(1, JSON.stringify({ version: 1, inspections: inspectionsV1 }), JSON.stringify(signatureV1), null, digest, Buffer.from('x'));
    db.prepare('INSERT INTO delivery_trust(delivery_id, signature_result, judged_at) VALUES (?, ?, ?)').run(1, JSON.stringify(trustV1), Date.UTC(2026, 11, 1));
    insert.run(2, 'unlesbar-2', 'nicht lesbar: Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt', 'no-matching-key', Date.UTC(2026, 10, 30));
    details.run(2, null, JSON.stringify({ version: 1, checks: [intermediaryV1] }), '{"unreadable":{"kind":"no-matching-key","detail":"x"}}', digest, Buffer.from('x'));
    insert.run(3, 'beschaedigt-3', null, null, Date.UTC(2026, 10, 30));
    details.run(3, '{"ok":true}', '{"version":1,"valid":true}', null, digest, Buffer.from('x'));
    db.close();

    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      // the words shown are exactly those version 12 stored (same office zone), now said from the codes: the fetch's
      // own result, and the result judged again (which the store hands out where there is one)
      // (the contract carries the codes; said here as the UI and the CLI say them, from core/domain/words)
      const office = officeTime('Europe/Berlin');
      const days = { de: (iso: string) => office.date(iso), en: (iso: string) => office.day(iso) ?? '' };
      const said = (value: unknown) =>
        signaturesOf({ signatureResult: value as never }, new Date('2026-12-01T00:00:00Z'))
          .map((c) => signatureCheckDto(c))
          .map((c) => ({
            words: both((w) => signatureSentence(w, c.result, c.certificate, c.revocation)),
            reasons: c.reasons.map((r) => both((w) => w.signatureReason[r])),
            signer: c.signer && {
              warnings: c.signer.warnings.map((x) => ({ code: x.code, de: certificateWarningWords('de', x, days.de), en: certificateWarningWords('en', x, days.en) })),
            },
          }));
      const raw11 = await rawDatabase(dbPath);
      const own = JSON.parse((raw11.db.prepare('SELECT signature_result AS v FROM delivery_details WHERE delivery_id = 1').get() as { v: string }).v) as unknown;
      raw11.db.close();
      for (const [checks, expected] of [
        [said(own), signatureV1],
        [said(store.getDelivery(1).signatureResult), trustV1],
      ] as const) {
        expect(checks.map((c) => c.words)).toEqual(expected.checks.map((c) => c.words));
        expect(checks.map((c) => c.reasons)).toEqual(expected.checks.map((c) => c.reasons));
        expect(checks[1]?.signer?.warnings).toEqual(authorV1.signer.warnings);
      }
      const fresh = store.getDelivery(1);
      expect(
        inspectionsOf(fresh)
          .map(inspectionDto)
          .map((i) => [i.subject === '' ? wordsOf('de').inspectionSubjectUnknown : i.subject, both((w) => inspectionSentence(w, i.verdict, i.mathResult, i.offlineResult))]),
      ).toEqual(inspectionsV1.map((i) => [i.subject, i.words]));
      expect(listItemDto(store.getDelivery(2))).toMatchObject({ unreadableKind: 'no-matching-key' });
      expect(unreadableWords('no-matching-key').de).toBe('nicht lesbar: Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt');
      // what was not the engine's JSON stays as it was
      expect(store.getDelivery(3).signatureResult).toEqual({ version: 1, valid: true });
    } finally {
      store.close();
    }
    const raw = await rawDatabase(dbPath);
    try {
      expect(schemaVersion(raw.db)).toBe(LATEST_SCHEMA_VERSION);
      const stored = raw.db
        .prepare(
          `SELECT d.unreadable_reason AS reason, x.signature_result AS signatures, x.inspection_report AS inspections, t.signature_result AS trust
           FROM deliveries d JOIN delivery_details x ON x.delivery_id = d.id LEFT JOIN delivery_trust t ON t.delivery_id = d.id ORDER BY d.id`,
        )
        .all() as Array<Record<string, string | null>>;
      // no sentence left: neither German nor English words of the evidence
      const text = JSON.stringify(stored);
      for (const words of [
        'Signatur ',
        'Zertifikat',
        'Sperrstatus',
        'laut Intermedi',
        'nicht lesbar',
        'unbekannt',
        'signature valid',
        'according to',
        'Aussteller',
        '"words"',
        '"de"',
      ])
        expect(text).not.toContain(words);
      expect(stored[1]?.reason).toBe('no-matching-key');
      const trust = JSON.parse(stored[0]!.trust!) as { version: number; checks: Array<{ certificate: string; reasons: string[] }> };
      expect(trust.version).toBe(2);
      expect(trust.checks[1]).toMatchObject({ certificate: 'trusted', reasons: ['attachment-not-covered'] });
      const signatures = JSON.parse(stored[0]!.signatures!) as { version: number; checks: Array<{ reasons: string[]; signer?: { warnings: unknown[] } }> };
      expect(signatures.version).toBe(2);
      expect(signatures.checks[1]?.reasons).toEqual(['issuer-not-found', 'attachment-not-covered']);
      expect(signatures.checks[1]?.signer?.warnings).toEqual([
        { code: 'expires-soon', days: 20 },
        { code: 'weak-key', bits: 2048, minimum: 3000 },
        { code: 'weak-signature-algorithm', algorithm: 'SHA-1 mit RSA' },
      ]);
    } finally {
      raw.db.close();
    }
  });

  it('migration 16 turns the German signature-status tokens of version 14 into the English codes the contract carries', async () => {
    // a real store at schema 14 with the tokens as the version-14 fetch engine wrote them, beside an empty and a
    // foreign value
    const { dbPath, db } = await emptyStoreAt(14);
    const german = ['vertrauenswuerdig', 'unbekannter-aussteller', 'ungueltig', 'unsigniert', 'nicht-pruefbar', null, 'etwas-anderes'];
    const insert = db.prepare('INSERT INTO deliveries(id, message_id, fetched_at, signature_status) VALUES (?, ?, ?, ?)');
    german.forEach((token, i) => insert.run(i + 1, `token-${i + 1}`, Date.UTC(2026, 10, i + 1), token));
    db.close();
    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      const items = store.list({ sort: 'eingang', descending: false }).items;
      expect(items.map((i) => i.signatureStatus)).toEqual(['trusted', 'unknown-issuer', 'invalid', 'unsigned', 'not-checkable', null, 'etwas-anderes']);
      // what the contract hands out: every code the engine wrote is understood again; the foreign value is "not stated"
      expect(items.map((i) => listItemDto(i).signatureStatus)).toEqual(['trusted', 'unknown-issuer', 'invalid', 'unsigned', 'not-checkable', null, null]);
    } finally {
      store.close();
    }
    const raw = await rawDatabase(dbPath);
    try {
      expect(schemaVersion(raw.db)).toBe(LATEST_SCHEMA_VERSION);
      const stored = raw.db.prepare('SELECT signature_status AS s FROM deliveries ORDER BY id').all() as Array<{ s: string | null }>;
      for (const token of german.slice(0, 5)) expect(stored.map((r) => r.s)).not.toContain(token);
    } finally {
      raw.db.close();
    }
  });

  it('migration 11 moves the trusted CAs of an older identity\'s connection into the store\'s own list (origin "migrated")', async () => {
    const { dbPath, db } = await emptyStoreAt(10);
    const ca = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'pki', 'openssl3-ca.cer'));
    const connection = {
      intermediaryUrl: 'https://intermediaer.example/osci',
      intermediaryCertificate: 'AAAA',
      trustedCas: [ca.toString('base64'), ca.toString('base64')],
      tlsCas: [],
      timeoutSeconds: 90,
    };
    const configuredAt = Date.UTC(2026, 10, 2, 9, 30);
    db.prepare('INSERT INTO mailbox_identity(id, cipher_key, cipher_cert, chain_certs, connection, configured_at) VALUES (1, ?, ?, ?, ?, ?)').run(
      Buffer.from('versiegelt'),
      Buffer.from('zertifikat'),
      '[]',
      JSON.stringify(connection),
      configuredAt,
    );
    db.close();
    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      expect(store.trustedCas()).toEqual([
        { fingerprint: createHash('sha256').update(ca).digest('hex'), certificate: ca, origin: 'migrated', addedAt: new Date(configuredAt).toISOString() },
      ]);
      // never judged by this version: the first open through the service judges the stored deliveries
      expect(store.trustEvaluatedWith()).toBeNull();
    } finally {
      store.close();
    }
    const { db: raw } = await rawDatabase(dbPath);
    const { trustedCas, ...rest } = connection;
    expect(trustedCas).toHaveLength(2);
    expect(JSON.parse((raw.prepare('SELECT connection FROM mailbox_identity').get() as { connection: string }).connection)).toEqual(rest);
    raw.close();
  });

  it('migration 12 sorts rows stored before it by family name (German collation); their content gives the real parts later', async () => {
    const { dbPath, db } = await emptyStoreAt(11);
    const xsb = (family: string, given: string) =>
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0"><xsb:xsozial><xsb:vorgang>` +
          `<xsb:person><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>${family}</xsb:name></xsb:familienname>` +
          `<xsb:vorname><xsb:name>${given}</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang></xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
      );
    // as the program before schema 12 wrote them: a display name, sorted by its folded form (the first name)
    const rows: Array<[number, string, string]> = [
      [1, 'Novák', 'Václav'],
      [2, 'Yılmaz', 'Şükran'],
      [3, 'Adler', 'Sven'],
      [4, 'van der Berg', 'Renée'],
      [5, 'Sükran', 'Ayla'],
    ];
    const insert = db.prepare('INSERT INTO deliveries(id, message_id, fetched_at, applicants, applicant_sort) VALUES (?, ?, ?, ?, ?)');
    const details = db.prepare('INSERT INTO delivery_details(delivery_id, content_size, content_sha256, content_inline, content_type) VALUES (?, ?, ?, ?, ?)');
    for (const [id, family, given] of rows) {
      const content = xsb(family, given);
      insert.run(id, `alt-${id}`, Date.UTC(2026, 9, id), JSON.stringify([`${given} ${family}`]), `${given} ${family}`.toLowerCase());
      details.run(id, content.length, createHash('sha256').update(content).digest(), content, 'application/xml');
    }
    db.close();
    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      const order = () => store.list({ sort: 'applicant' }).items.map((i) => i.applicantNames?.[0]?.family);
      // guessed from the display name: the last word is taken for the family name
      expect(order()).toEqual(['Adler', 'Berg', 'Novák', 'Sükran', 'Yılmaz']);
      expect(store.rowsWithGuessedNames(0, 10)).toEqual([1, 2, 3, 4, 5]);
      const { startNameBackfill } = await import('../../core/mailbox/name-backfill.js');
      expect(await startNameBackfill(store).done).toBe(5);
      expect(order()).toEqual(['Adler', 'Novák', 'Sükran', 'van der Berg', 'Yılmaz']);
      expect(store.list({ sort: 'applicant' }).items[3]?.applicantNames).toEqual([{ family: 'van der Berg', given: 'Renée' }]);
      expect(store.rowsWithGuessedNames(0, 10)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('opening twice migrates once; a database newer than the program is refused', async () => {
    const dbPath = await storeAtVersion(1);
    const [a, b] = await Promise.all([PostfachStore.open(dbPath, { password: PASSWORD }), PostfachStore.open(dbPath, { password: PASSWORD })]);
    expect(a.list().total).toBe(2);
    expect(b.list({ search: 'Ozturk' }).total).toBe(1);
    a.close();
    b.close();
    const { db } = await rawDatabase(dbPath);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    await expect(PostfachStore.open(dbPath, { password: PASSWORD })).rejects.toMatchObject({ kind: 'store-too-new' });
  });
});
