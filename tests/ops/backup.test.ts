/**
 * Backup and move: a store filled by the real fetch engine (applications with attachments, a Testantrag, state
 * changes, exports — so the audit log has entries of many kinds) is backed up into one encrypted file, restored into
 * a fresh folder and compared: every message, its content, every attachment and every audit entry identical, the
 * audit chain intact, the store opening with its password and its recovery key. A wrong password, a tampered, a
 * truncated and an extended backup are refused with clear errors and leave the target untouched.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, verifyBackup } from '../../core/backup/backup.js';
import { PostfachStore } from '../../core/store/index.js';
import { ensureBuilt, postfach, sharedPki, send, startTestIntermediary, tempDir, FAST_SCRYPT } from '../mailbox/helpers.js';
import { fetchAll, identityFor, newStore, STORE_PASSWORD, type RunningIntermediary } from './mailbox-helpers.js';
import { failure } from './helpers.js';

const root = tempDir('postfach-ops-backup-');
const BACKUP_PASSWORD = 'Sicherung-Herbst-2026';
let intermediary: RunningIntermediary;
let store: PostfachStore;
let recoveryKey = '';
const storePath = path.join(root, 'original', 'postfach.db');
/** The technical log of a data folder, all days. */
const techLog = (dataDir: string): string =>
  readdirSync(path.join(dataDir, 'logs'))
    .map((f) => readFileSync(path.join(dataDir, 'logs', f), 'utf8'))
    .join('');
const backupFile = path.join(root, 'postfach.pfbak');

/** Everything of a store that must survive: each message with its content and attachments, the audit log. */
async function everything(s: PostfachStore) {
  const ids = [...s.list({ limit: 1000 }).items, ...s.list({ limit: 1000, trash: true }).items].map((i) => i.id).sort((a, b) => a - b);
  const messages = [];
  for (const id of ids) {
    const record = s.getDelivery(id);
    const attachments = [];
    for (const a of record.attachments) attachments.push({ ...a, bytes: (await s.readAttachment(a.id)).toString('base64') });
    messages.push({ record, content: (await s.readContent(id)).toString('base64'), attachments });
  }
  return { messages, audit: s.auditEntries({ limit: 10_000 }), settings: s.getSettings(), identity: s.readMailboxIdentity() };
}

beforeAll(async () => {
  const pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  await send(intermediary.url, pkiDir, { count: 2, seed: 'backup' });
  await send(intermediary.url, pkiDir, { count: 1, seed: 'backup-att', attachments: 2, attachmentSize: 300_000 });
  await send(intermediary.url, pkiDir, { count: 1, seed: 'backup-test', test: true });
  ({ store, recoveryKey } = await newStore(storePath));
  const identity = identityFor(pkiDir, intermediary.url);
  store.saveMailboxIdentity((await import('../../core/mailbox/identity.js')).identityRecord(identity));
  const ids = await fetchAll(store, identity);
  expect(ids).toHaveLength(4);
  store.markRead(ids[0] as number);
  store.markTransferred(ids[1] as number);
  store.moveToTrash(ids[2] as number);
  store.recordExported(ids[3] as number, 'pdf');
  store.setLegalHold(ids[3] as number, true);
  store.updateSettings({ retentionTrashDays: 12 });
  writeFileSync(path.join(root, 'original', 'workspace.json'), JSON.stringify({ version: 1, settings: { language: 'en', fetchIntervalMinutes: 5 } }));
}, 180_000);

afterAll(async () => {
  store?.close();
  await intermediary?.close();
});

describe('backup round trip', () => {
  it('restores into a fresh folder with every message, attachment and audit entry identical', async () => {
    const manifest = await createBackup({
      store,
      out: backupFile,
      password: BACKUP_PASSWORD,
      appVersion: '0.1.0-test',
      cost: FAST_SCRYPT,
      chunkBytes: 64 * 1024,
      settingsFiles: [{ name: 'workspace.json', path: path.join(root, 'original', 'workspace.json') }],
    });
    expect(manifest.summary.messages).toBe(4);
    expect(manifest.entries.filter((e) => e.name.startsWith('store/files/')).length).toBeGreaterThanOrEqual(2);
    // nothing readable in the backup file
    const raw = readFileSync(backupFile);
    expect(raw.subarray(0, 6).toString('latin1')).toBe('OPFBAK');
    for (const needle of ['SQLite format', 'Sozialamt', 'antrag', 'wrapped', 'kdf":{"name":"scrypt","N":1024']) {
      if (needle.startsWith('kdf'))
        expect(raw.includes(Buffer.from(needle))).toBe(true); // the header is plain by design
      else expect(raw.includes(Buffer.from(needle)), needle).toBe(false);
    }

    const verified = await verifyBackup(backupFile, BACKUP_PASSWORD);
    expect(verified.summary).toEqual(manifest.summary);

    const target = path.join(root, 'anderer-pc', 'daten', 'postfach.db');
    const restored = await restoreBackup({ file: backupFile, password: BACKUP_PASSWORD, storePath: target, settingsDir: path.dirname(target) });
    expect(restored.settingsRestored).toEqual(['workspace.json']);
    expect(JSON.parse(readFileSync(path.join(path.dirname(target), 'workspace.json'), 'utf8')).settings.language).toBe('en');
    expect(readdirSync(path.dirname(target)).filter((n) => n.startsWith('.postfach-restore'))).toEqual([]);

    const copy = await PostfachStore.open(target, { password: STORE_PASSWORD });
    try {
      const before = await everything(store);
      const after = await everything(copy);
      expect(after.messages).toHaveLength(4);
      expect(after.messages.flatMap((m) => m.attachments)).toHaveLength(2);
      expect(after).toEqual(before);
      expect(copy.verifyAuditLog()).toMatchObject({ ok: true, entries: before.audit.length });
      expect(copy.checkIntegrity().ok).toBe(true);
    } finally {
      copy.close();
    }
    // after a profile reset the recovery key opens the restored store too
    const byRecovery = await PostfachStore.open(target, { recoveryKey });
    byRecovery.close();
  }, 120_000);

  it('a wrong password is told apart from damage, and nothing is written', async () => {
    const target = path.join(root, 'falsch', 'postfach.db');
    const wrong = await failure(restoreBackup({ file: backupFile, password: 'Sicherung-Winter-2026', storePath: target }));
    expect(wrong.kind).toBe('backup-wrong-password');
    expect(wrong.text.de).toBe('Das Passwort der Sicherung ist falsch.');
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.keys.json`)).toBe(false);
    // not even the folder made for it stays behind
    expect(existsSync(path.dirname(target))).toBe(false);
  });

  it('a tampered, truncated or extended backup is refused, the target stays empty', async () => {
    const original = readFileSync(backupFile);
    const tampered = Buffer.from(original);
    const middle = Math.floor(original.length / 2);
    tampered.writeUInt8((tampered.readUInt8(middle) ^ 0x01) & 0xff, middle);
    // the second chunk cut out: every chunk still authenticates on its own, the order does not
    const start = 12 + original.readUInt32BE(8);
    const second = start + 4 + original.readUInt32BE(start);
    const third = second + 4 + original.readUInt32BE(second);
    const cases: Record<string, Buffer> = {
      tampered,
      truncated: original.subarray(0, original.length - 100),
      'chunk dropped': Buffer.concat([original.subarray(0, second), original.subarray(third)]),
      extended: Buffer.concat([original, Buffer.from('zusätzliche Daten')]),
      'header changed': Buffer.from(original.toString('latin1').replace('0.1.0-test', '0.1.0-tesx'), 'latin1'),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = path.join(root, `${name}.pfbak`);
      writeFileSync(file, bytes);
      const target = path.join(root, `ziel-${name.replace(/ /g, '-')}`, 'postfach.db');
      const error = await failure(restoreBackup({ file, password: BACKUP_PASSWORD, storePath: target }));
      expect(error.kind, name).toBe('backup-corrupt');
      expect(error.text.de).toMatch(/^Die Sicherungsdatei ist beschädigt oder wurde verändert/);
      expect(existsSync(target), name).toBe(false);
      expect(existsSync(path.dirname(target)), name).toBe(false);
      expect((await failure(verifyBackup(file, BACKUP_PASSWORD))).kind).toBe('backup-corrupt');
    }
    const notBackup = path.join(root, 'kein-backup.pfbak');
    writeFileSync(notBackup, 'PK\u0003\u0004 irgendwas');
    expect((await failure(verifyBackup(notBackup, BACKUP_PASSWORD))).detail).toMatch(/magic/);
  });

  it('never restores over an existing store; refuses a weak backup password', async () => {
    expect((await failure(restoreBackup({ file: backupFile, password: BACKUP_PASSWORD, storePath }))).kind).toBe('backup-target-exists');
    const weak = await failure(createBackup({ store, out: path.join(root, 'schwach.pfbak'), password: 'kurz', appVersion: 'x', cost: FAST_SCRYPT }));
    expect(weak.kind).toBe('backup-weak-password');
    expect(existsSync(path.join(root, 'schwach.pfbak'))).toBe(false);
  });

  it('never overwrites or removes an existing file when creating a backup', async () => {
    const existing = path.join(root, 'vorhanden.pfbak');
    writeFileSync(existing, 'die Sicherung vom Vormonat');
    const refused = await failure(createBackup({ store, out: existing, password: BACKUP_PASSWORD, appVersion: 'x', cost: FAST_SCRYPT }));
    expect(refused.kind).toBe('backup-io');
    expect(refused.text.de).toMatch(/gibt es schon.*nicht überschrieben/);
    expect(readFileSync(existing, 'utf8')).toBe('die Sicherung vom Vormonat');
  });

  it('postfach backup create | verify | restore on the command line, with exit codes and German messages', async () => {
    ensureBuilt();
    const env = { POSTFACH_STORE_PASSWORD: STORE_PASSWORD, POSTFACH_BACKUP_PASSWORD: BACKUP_PASSWORD };
    const file = path.join(root, 'cli.pfbak');
    const created = await postfach(['backup', 'create', '--store', storePath, '--out', file, '--json'], env);
    expect(created.status, created.stderr + created.stdout).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ ok: true, summary: { messages: 4 } });
    // made by the service's ops handler (the contract's backup.create), which alone writes it into the technical log
    expect(techLog(path.dirname(storePath))).toContain('"event":"backup.created"');
    const verified = await postfach(['backup', 'verify', file], env);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^Sicherung in Ordnung/);
    expect(verified.stdout).toContain('Nachrichten: 4');
    // sizes the German way (decimal comma)
    expect(verified.stdout).toMatch(/ {2}Dateien: \d+ \(\d+(,\d)? (Byte|KB|MB|GB)\)\n/);
    const target = path.join(root, 'cli-ziel', 'postfach.db');
    const restored = await postfach(['backup', 'restore', file, '--store', target], env);
    expect(restored.status, restored.stderr).toBe(0);
    expect(techLog(path.dirname(target))).toContain('"event":"backup.restored"');
    expect(existsSync(path.join(path.dirname(target), 'workspace.json'))).toBe(true);
    const bare = path.join(root, 'cli-ohne-einstellungen', 'postfach.db');
    const withoutSettings = await postfach(['backup', 'restore', file, '--store', bare, '--no-settings'], env);
    expect(withoutSettings.status, withoutSettings.stderr).toBe(0);
    expect(existsSync(path.join(path.dirname(bare), 'workspace.json'))).toBe(false);
    const listed = await postfach(['list', '--store', target, '--json'], env);
    expect(JSON.parse(listed.stdout)).toHaveLength(3); // the fourth is in the Papierkorb
    // verifying writes nothing beside the backup (the service works in a folder of its own)
    expect(readdirSync(root).filter((f) => f === 'logs')).toEqual([]);
    // a restore that fails leaves nothing where there was nothing (not even the service's technical log)
    const failedTarget = path.join(root, 'cli-falsch', 'postfach.db');
    const failed = await postfach(['backup', 'restore', file, '--store', failedTarget], { ...env, POSTFACH_BACKUP_PASSWORD: 'falsches-Passwort' });
    expect(failed.status).toBe(1);
    expect(existsSync(path.dirname(failedTarget))).toBe(false);
    const wrong = await postfach(['backup', 'verify', file], { ...env, POSTFACH_BACKUP_PASSWORD: 'falsches-Passwort' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^Fehler: Das Passwort der Sicherung ist falsch\./);
    const again = await postfach(['backup', 'create', '--store', storePath, '--out', file, '--json'], env);
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { kind: 'backup-io' } });
  }, 180_000);
});
