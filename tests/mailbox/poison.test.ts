/**
 * Poison deliveries between good ones, one `postfach fetch` run: content encrypted for another certificate, a
 * broken author signature, an XML entity bomb and a broken XML (both sent with `postfach send --file`). Every good
 * delivery is stored and readable; every poison one is stored exactly as received and marked "nicht lesbar" with
 * its reason; the run ends with exit code 3 (partly done) and the mailbox empty.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unreadableWords } from '../../core/api/contract/unreadable.js';
import { listItemDto } from '../../core/api/handlers/evidence-dto.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, openStore, pkiPassword, postfach, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const ENTITY_BOMB = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
`;

const root = tempDir('postfach-mailbox-poison-');
const dbPath = path.join(root, 'store', 'postfach.db');
let pkiDir = '';
let intermediary: RunningIntermediary;

interface SentJson {
  readonly messageId: string;
  readonly content: { readonly length: number; readonly sha256: string };
}

const kinds: Array<{ kind: string; sent: SentJson[] }> = [];

async function sendCli(kind: string, args: string[]): Promise<void> {
  const run = await postfach(['send', '--intermediary', intermediary.url, '--pki', pkiDir, '--json', ...args]);
  expect(run.status, run.stderr).toBe(0);
  kinds.push({ kind, sent: (JSON.parse(run.stdout) as { sent: SentJson[] }).sent });
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  await createStore(dbPath);
  writeFileSync(path.join(root, 'bomb.xml'), ENTITY_BOMB);
  writeFileSync(path.join(root, 'broken.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<antrag><person>unvollständig</antrag>\n');
  const f = testPkiFiles(pkiDir);
  // in the mailbox in this order, good ones between the poison ones
  await sendCli('good', ['--count', '2', '--seed', 'gift-1', '--service', 'but']);
  await sendCli('other-certificate', ['--content-cert', f.sender.cer, '--seed', 'gift-2']);
  await sendCli('good', ['--seed', 'gift-3', '--attachments', '1', '--attachment-size', '20000']);
  await sendCli('tampered-signature', ['--tamper-signature', '--seed', 'gift-4']);
  await sendCli('entity-bomb', ['--file', path.join(root, 'bomb.xml')]);
  await sendCli('good', ['--seed', 'gift-5', '--test']);
  await sendCli('broken-xml', ['--file', path.join(root, 'broken.xml')]);
  await sendCli('good', ['--seed', 'gift-6', '--service', 'wbs']);
}, 240_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('poison deliveries never block the mailbox', () => {
  it('one fetch stores every delivery: the good ones readable, the poison ones marked with their reason', async () => {
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(run.status, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout) as { outcome: string; newMessages: number; unreadable: number };
    const all = kinds.flatMap((k) => k.sent);
    expect(result).toMatchObject({ outcome: 'complete', newMessages: all.length, unreadable: 4 });

    const store = await openStore(dbPath);
    const reasons: Record<string, RegExp> = {
      'other-certificate': /^nicht lesbar: Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt$/,
      'tampered-signature': /^nicht lesbar: Signatur des Absenders ist ungültig$/,
      'entity-bomb': /^nicht lesbar: unzulässiger XML-Aufbau/,
      'broken-xml': /^nicht lesbar: Inhalt ist kein gültiges XML$/,
    };
    // the stable kind stored beside the German text: what an English UI says the reason from
    const stableKinds: Record<string, string> = {
      'other-certificate': 'no-matching-key',
      'tampered-signature': 'signature-invalid',
      'entity-bomb': 'hostile-xml',
      'broken-xml': 'xml-malformed',
    };
    try {
      expect(store.list({ limit: 100 }).total).toBe(all.length);
      expect(store.counts().unreadable).toBe(4);
      for (const { kind, sent } of kinds) {
        for (const s of sent) {
          const id = store.findByMessageId(s.messageId)!;
          expect(id, `${kind} ${s.messageId} not stored`).toBeDefined();
          const record = store.getDelivery(id);
          if (kind === 'good') {
            expect(record.unreadableReason).toBeNull();
            expect(listItemDto(record).unreadableKind).toBeNull();
            expect(record.applicants.length).toBeGreaterThan(0);
            expect(record.signatureStatus).toBe('trusted');
            expect(sha256(await store.readContent(id))).toBe(s.content.sha256);
          } else {
            // the store keeps the kind, a code; the words are said from it where shown
            expect(record.unreadableReason).toBe(stableKinds[kind]);
            expect(record.unreadableKind).toBe(stableKinds[kind]);
            expect(listItemDto(record)).toMatchObject({ unreadableKind: stableKinds[kind] });
            expect(unreadableWords(listItemDto(record).unreadableKind!).de).toMatch(reasons[kind]!);
            expect(unreadableWords(stableKinds[kind]!).en).toMatch(/^not readable: [a-z]/);
            expect(record.applicants).toEqual([]);
            const stored = await store.readContent(id);
            if (kind === 'other-certificate') {
              // the delivery as received: the signed OSCI message with its container still encrypted
              expect(stored.subarray(0, 200).toString('latin1')).toMatch(/Content-Type: Multipart\/Related/i);
              expect(record.signatureStatus).toBe('not-checkable');
            } else {
              // decrypted, but not to be used: the delivered bytes exactly as sent
              expect(sha256(stored)).toBe(s.content.sha256);
            }
            if (kind === 'tampered-signature') expect(record.signatureStatus).toBe('invalid');
          }
        }
      }
    } finally {
      store.close();
    }
  }, 180_000);

  it('the entity bomb comes out of export --xml byte for byte, and show says why it is not readable', async () => {
    const bomb = kinds.find((k) => k.kind === 'entity-bomb')!.sent[0]!;
    const target = path.join(root, 'bomb-export.xml');
    const exported = await postfach(['export', bomb.messageId, '--store', dbPath, '--xml', target], fetchEnv(pkiDir));
    expect(exported.status, exported.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(ENTITY_BOMB);
    const shown = await postfach(['show', bomb.messageId, '--store', dbPath], fetchEnv(pkiDir));
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('nicht lesbar: unzulässiger XML-Aufbau');
    const pdf = await postfach(['export', bomb.messageId, '--store', dbPath, '--pdf', path.join(root, 'bomb.pdf'), '--json'], fetchEnv(pkiDir));
    expect(pdf.status).toBe(1);
    expect(JSON.parse(pdf.stdout)).toMatchObject({ ok: false, error: { kind: 'export-unreadable' } });
  }, 120_000);

  it('the delivery for another certificate is kept as received: postfach inspect opens it with that key', async () => {
    const other = kinds.find((k) => k.kind === 'other-certificate')!.sent[0]!;
    const target = path.join(root, 'other.mime');
    expect((await postfach(['export', other.messageId, '--store', dbPath, '--xml', target], fetchEnv(pkiDir))).status).toBe(0);
    const f = testPkiFiles(pkiDir);
    const inspected = await postfach(['inspect', target, '--p12', f.sender.p12, '--password-env', 'P12', '--json'], { P12: pkiPassword(pkiDir) });
    const report = JSON.parse(inspected.stdout) as { messageType: string; contents: Array<{ sha256: string; length: number }> };
    expect(report.messageType).toBe('ResponseToFetchDelivery');
    expect(report.contents.map((c) => c.sha256)).toContain(other.content.sha256);
  }, 120_000);
});
