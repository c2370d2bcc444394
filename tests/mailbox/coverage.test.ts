/**
 * Issue 10, "A forged application shown as vertrauenswürdig": a hostile intermediary (tests/mailbox/hostile.ts,
 * real cryptography, the local intermediary's `rewriteDelivery`) and a hostile sender produce the seven variants of
 * the issue, one real `postfach fetch` stores them in a real store file, and each ends stored, listed (`list
 * --json`), shown (`show --json` through the contract's schema, `show --raw`, `show`) and exported (XML, PDF and
 * receipt read with pdftotext, attachments) as what it is — never under "vertrauenswürdig" for forged bytes:
 *
 *  1 an unsigned plain container with a forged application in front of the signed one
 *  2 an extra unsigned container, encrypted for the mailbox, after it
 *  3 an extra unsigned Content inside the author-signed container (hostile sender)
 *  4 the signed container duplicated
 *  5 the attachment swapped for one the intermediary encrypted itself
 *  6 no signature at all (everything replaced by an unsigned container)
 *  7 two distinct signed applications (the second signed with the intermediary's own, CA-issued key)
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageDetailSchema, type MessageDetail } from '../../core/api/contract/mailbox.js';
import { coverageOf } from '../../core/mailbox/message-dto.js';
import { listItemDto } from '../../core/api/handlers/evidence-dto.js';
import { loadIntermediaryKeys, loadSenderSetup, startIntermediary, type HandedOutDelivery, type RunningIntermediary } from '../../intermediary/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, openStore, postfach, send, sharedPki, tempDir } from './helpers.js';
import {
  duplicateSignedContainer,
  forgedApplication,
  forgedEncryptedAfter,
  forgedEvidence,
  forgedPlainInFront,
  replaceByUnsigned,
  secondSignedApplication,
  sendWithUncoveredContent,
  sha256,
  swapAttachment,
} from './hostile.js';
import { coverageSentence, wordsOf } from '../../core/domain/words/index.js';
import type { SignatureStatus } from '../../core/domain/evidence.js';
import { unreadableWords } from '../../core/api/contract/unreadable.js';

type Variant = 'control' | 'forged-in-front' | 'forged-after' | 'uncovered-content' | 'duplicate' | 'swapped-attachment' | 'unsigned' | 'two-signed';

interface Sent {
  readonly messageId: string;
  /** SHA-256 of the genuine application as the sender sent it. */
  readonly content: string;
  readonly attachment: string;
}

const root = tempDir('postfach-mailbox-coverage-');
const dbPath = path.join(root, 'store', 'postfach.db');
const sent = new Map<Variant, Sent>();
const rewrites = new Map<string, (d: HandedOutDelivery) => Promise<HandedOutDelivery>>();
let pkiDir = '';
let intermediary: RunningIntermediary;
let forged: { bytes: Buffer; applicant: string; listed: string };
let forgedPdf: Buffer;
const env = () => fetchEnv(pkiDir);
/** The PDF's text in reading order (no layout: a label and its value do not interleave across lines). */
const pdfText = (file: string): string => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  const keys = loadIntermediaryKeys({ pkiDir });
  intermediary = await startIntermediary({
    port: 0,
    dataDir: path.join(root, 'intermediary'),
    keys,
    options: { rewriteDelivery: async (d) => (rewrites.get(d.messageId) ?? (async (x: HandedOutDelivery) => x))(d) },
  });
  forged = await forgedApplication('gefaelscht-antrag');
  forgedPdf = forgedEvidence('gefaelschte-anlage');
  const genuine = async (variant: Variant, rewrite?: (d: HandedOutDelivery) => Promise<HandedOutDelivery>) => {
    const [s] = await send(intermediary.url, pkiDir, { attachments: 1, attachmentSize: 20_000, seed: `echt-${variant}` });
    sent.set(variant, { messageId: s!.messageId, content: s!.content.sha256, attachment: s!.attachments[0]!.sha256 });
    if (rewrite) rewrites.set(s!.messageId, rewrite);
  };
  await genuine('control');
  await genuine('forged-in-front', forgedPlainInFront(forged.bytes));
  await genuine('forged-after', forgedEncryptedAfter(forged.bytes));
  await genuine('duplicate', duplicateSignedContainer());
  await genuine('swapped-attachment', swapAttachment('anlage-1.pdf', forgedPdf));
  await genuine('unsigned', replaceByUnsigned(forged.bytes));
  await genuine('two-signed', secondSignedApplication(forged.bytes, keys.signature));
  // the hostile sender's container: the genuine application and attachment signed, the forged one beside them
  const app = (await generateApplication({ service: 'hzl', seed: 'echt-uncovered' })).bytes();
  const attachment = forgedEvidence('echte-anlage-3', 15_000);
  const messageId = await sendWithUncoveredContent(intermediary.url, loadSenderSetup({ pkiDir }), app, attachment, forged.bytes);
  sent.set('uncovered-content', { messageId, content: sha256(app), attachment: sha256(attachment) });

  await createStore(dbPath);
  const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], env());
  // exit 3: done, with one delivery "nicht lesbar" (two signed applications)
  expect(run.status, run.stderr).toBe(3);
  expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 8, unreadable: 1 });
}, 300_000);

afterAll(async () => {
  await intermediary?.close();
});

const idOf = async (variant: Variant): Promise<number> => {
  const store = await openStore(dbPath);
  try {
    return store.findByMessageId(sent.get(variant)!.messageId)!;
  } finally {
    store.close();
  }
};

async function detail(variant: Variant): Promise<MessageDetail> {
  const run = await postfach(['show', String(await idOf(variant)), '--store', dbPath, '--json'], env());
  expect(run.status, run.stderr).toBe(0);
  // the contract's DTO, parsed by its own schema
  return messageDetailSchema.parse(JSON.parse(run.stdout));
}

/** role:status of every part, content first (the order the store keeps). */
const partsOf = (d: MessageDetail): string[] => d.parts.map((p) => `${p.coverage.role}:${p.coverage.status}`);

describe('a hostile intermediary or sender: every part stored and shown as what it is', () => {
  it('stores each variant with the application chosen by the rule and the coverage of every part', async () => {
    const store = await openStore(dbPath);
    try {
      const record = (v: Variant) => store.getDelivery(store.findByMessageId(sent.get(v)!.messageId)!);
      const parts = (v: Variant) => {
        const r = record(v);
        return [coverageOf(r.content.coverage), ...r.attachments.map((a) => coverageOf(a.coverage))].map((c) => `${c.role}:${c.status}`);
      };
      const contentSha = (v: Variant) => record(v).content.sha256;
      for (const v of ['control', 'forged-in-front', 'forged-after', 'uncovered-content', 'duplicate', 'swapped-attachment'] as const) {
        expect(contentSha(v), v).toBe(sent.get(v)!.content);
        expect(record(v).signatureStatus, v).toBe('trusted');
        expect(record(v).unreadableReason, v).toBeNull();
        expect(record(v).applicants, v).not.toContain(forged.applicant);
      }
      expect(parts('control')).toEqual(['application:signed', 'attachment:signed']);
      expect(parts('forged-in-front')).toEqual(['application:signed', 'extra:unsigned', 'attachment:signed']);
      expect(parts('forged-after')).toEqual(['application:signed', 'attachment:signed', 'extra:unsigned']);
      expect(parts('uncovered-content')).toEqual(['application:signed', 'extra:not-covered', 'attachment:signed']);
      expect(parts('duplicate')).toEqual(['application:signed', 'attachment:signed', 'extra:duplicate', 'extra:duplicate']);
      expect(parts('swapped-attachment')).toEqual(['application:signed', 'attachment:undecryptable', 'extra:unsigned']);
      // the forged bytes are stored beside the genuine ones, never as a signed part
      const forgedSha = sha256(forged.bytes);
      for (const v of ['forged-in-front', 'forged-after', 'uncovered-content'] as const) {
        const extra = record(v).attachments.find((a) => a.sha256 === forgedSha);
        expect(extra, v).toBeDefined();
        expect(coverageOf(extra!.coverage).status).not.toBe('signed');
      }
      // the swapped slot keeps what came (the intermediary's ciphertext), its readable forgery is an unsigned extra
      const swapped = record('swapped-attachment').attachments;
      expect(swapped.map((a) => a.sha256)).toContain(sha256(forgedPdf));
      expect(swapped.map((a) => a.sha256)).not.toContain(sent.get('swapped-attachment')!.attachment);
      // no signature at all: the one application is shown, "unsigniert", never with trust words
      expect(contentSha('unsigned')).toBe(forgedSha);
      expect(record('unsigned').signatureStatus).toBe('unsigned');
      expect(record('unsigned').applicants).toEqual([forged.applicant]);
      expect(parts('unsigned')).toEqual(['application:unsigned']);
      // two different signed applications: "nicht lesbar", every part kept as what it is
      const two = record('two-signed');
      expect(two).toMatchObject({ unreadableKind: 'content-ambiguous', signatureStatus: 'not-checkable', applicants: [] });
      // the store keeps the kind; the list says it in words
      expect(two.unreadableReason).toBe('content-ambiguous');
      expect(listItemDto(two).unreadableKind).toBe('content-ambiguous');
      expect(unreadableWords(listItemDto(two).unreadableKind!).de).toBe('nicht lesbar: Zustellung enthält mehrere verschiedene Anträge, keiner ist eindeutig der signierte');
      expect(parts('two-signed')).toEqual(['received:as-received', 'extra:signed', 'extra:signed', 'extra:signed']);
      expect(two.attachments.map((a) => a.sha256)).toEqual(expect.arrayContaining([sent.get('two-signed')!.content, forgedSha]));
    } finally {
      store.close();
    }
  }, 480_000);

  it('lists each with the status of the signature covering the application shown', async () => {
    const run = await postfach(['list', '--store', dbPath, '--json'], env());
    expect(run.status, run.stderr).toBe(0);
    const items = JSON.parse(run.stdout) as Array<{
      id: number;
      messageId: string;
      applicant: string | null;
      signatureStatus: string;
      unreadableKind: string | null;
      unreadableReason: string | null;
    }>;
    const item = (v: Variant) => items.find((i) => i.messageId === sent.get(v)!.messageId)!;
    for (const v of ['forged-in-front', 'forged-after', 'uncovered-content', 'duplicate', 'swapped-attachment'] as const) {
      expect(item(v).signatureStatus, v).toBe('trusted');
      expect(item(v).applicant, v).not.toBe(forged.applicant);
    }
    expect(item('unsigned')).toMatchObject({ applicant: forged.applicant, signatureStatus: 'unsigned' });
    expect(item('two-signed')).toMatchObject({ applicant: null, signatureStatus: 'not-checkable', unreadableKind: 'content-ambiguous' });
    // list --json keeps the documented German words of the kind beside it (README "list"), said by the CLI
    expect(item('two-signed').unreadableReason).toBe(unreadableWords('content-ambiguous').de);
    expect(item('unsigned').unreadableReason).toBeNull();
    // the forged applicant is never listed as trusted
    expect(items.filter((i) => i.applicant === forged.applicant && i.signatureStatus === 'trusted')).toEqual([]);
    const text = await postfach(['list', '--store', dbPath], env());
    const line = text.stdout.split('\n').find((l) => l.includes(forged.listed))!;
    expect(line).toContain('nicht signiert');
    // every status listed in the catalog's words (core/domain/words), the reading pane's
    for (const i of items.filter((x) => x.unreadableKind === null)) {
      const row = text.stdout.split('\n').find((l) => l.trimStart().startsWith(`${i.id} `))!;
      expect(row, i.messageId).toContain(wordsOf('de').signatureStatus[i.signatureStatus as SignatureStatus]);
    }
  }, 480_000);

  it('shows each through the contract: parts, what each signature covers, the raw content chosen by the rule', async () => {
    const forgedIn = await detail('forged-in-front');
    expect(partsOf(forgedIn)).toEqual(['application:signed', 'extra:unsigned', 'attachment:signed']);
    const author = forgedIn.signatures.findIndex((s) => s.role === 'author');
    expect(forgedIn.signatures[author]).toMatchObject({ result: 'valid', certificate: 'trusted' });
    // the signature's result is attached only to what it covers: the application and its attachment
    expect(forgedIn.parts.filter((p) => p.coverage.signatures.includes(author)).map((p) => p.coverage.role)).toEqual(['application', 'attachment']);
    expect(forgedIn.parts[1]!.coverage).toMatchObject({ signatures: [], status: 'unsigned' });
    expect(coverageSentence(wordsOf('de'), forgedIn.parts[1]!.coverage.status, forgedIn.parts[1]!.coverage.role)).toBe('nicht signiert');
    expect(forgedIn.documents.find((d) => d.ref.source === 'attachment' && d.sha256 === sha256(forged.bytes))?.coverage?.status).toBe('unsigned');

    const swapped = await detail('swapped-attachment');
    expect(swapped.view).not.toBeNull();
    const slot = swapped.parts.find((p) => p.coverage.role === 'attachment')!;
    expect(coverageSentence(wordsOf('de'), slot.coverage.status, slot.coverage.role)).toMatch(/^fremd verschlüsselt/);
    const check = swapped.signatures.find((s) => s.role === 'author')!;
    expect(check.result).toBe('valid');
    expect(check.reasons).toContain('attachment-not-covered');
    expect(check.reasons.map((r) => wordsOf('de').signatureReason[r]).join(' ')).toContain('Anlage passt nicht zu dieser Signatur');

    const unsigned = await detail('unsigned');
    expect(unsigned.item.signatureStatus).toBe('unsigned');
    expect(unsigned.signatures.filter((s) => s.role === 'author')).toEqual([]);
    expect(partsOf(unsigned)).toEqual(['application:unsigned']);

    const two = await detail('two-signed');
    expect(two.view).toBeNull();
    expect(two.item.unreadableKind).toBe('content-ambiguous');
    expect(two.signatures.filter((s) => s.role === 'author')).toHaveLength(2);

    // show --raw: the application chosen by the rule, byte for byte
    for (const v of ['forged-in-front', 'forged-after', 'uncovered-content', 'duplicate', 'swapped-attachment', 'unsigned'] as const) {
      const raw = await postfach(['show', String(await idOf(v)), '--store', dbPath, '--raw'], env());
      expect(sha256(raw.stdoutBytes), v).toBe(v === 'unsigned' ? sha256(forged.bytes) : sent.get(v)!.content);
    }
    // German text: the banner, the parts, what the signature covers
    const text = (await postfach(['show', String(await idOf('unsigned')), '--store', dbPath], env())).stdout;
    // the one wording of the banner (core/domain/words): the same sentence the reading pane and the PDF show
    expect(text).toContain(wordsOf('de').unsignedBanner);
    expect(text).toContain('- Antrag: Antrag (XML) — nicht signiert');
    const front = (await postfach(['show', String(await idOf('forged-in-front')), '--store', dbPath], env())).stdout;
    expect(front).toContain('Achtung: 1 weitere(r) Teil(e) der Zustellung gehören nicht zum Antrag');
    expect(front).toMatch(/erfasst: +Antrag, anlage-1\.pdf/);
    expect(front).toContain('- Zusätzlicher Teil (nicht Teil des Antrags): fremdinhalt1 — nicht signiert');
  }, 480_000);

  it('exports each as what it is: XML, PDF and receipt (pdftotext), attachments', async () => {
    const out = path.join(root, 'exports');
    const exportOf = async (v: Variant, flag: string, target: string) => postfach(['export', String(await idOf(v)), '--store', dbPath, flag, target, '--json'], env());
    for (const v of ['forged-in-front', 'forged-after', 'uncovered-content', 'duplicate', 'swapped-attachment', 'unsigned', 'two-signed'] as const) {
      const dir = path.join(out, v);
      // one process for the three files (the PDF of a "nicht lesbar" delivery is refused: asked for apart)
      const files = ['--xml', path.join(dir, 'antrag.xml'), '--receipt', path.join(dir, 'eingang.pdf'), ...(v === 'two-signed' ? [] : ['--pdf', path.join(dir, 'akte.pdf')])];
      const exported = await postfach(['export', String(await idOf(v)), '--store', dbPath, ...files, '--json'], env());
      expect(exported.status, exported.stderr).toBe(0);
      const xmlSha = sha256(readFileSync(path.join(dir, 'antrag.xml')));
      if (v === 'unsigned') expect(xmlSha).toBe(sha256(forged.bytes));
      else if (v !== 'two-signed') expect(xmlSha, v).toBe(sent.get(v)!.content);

      const receiptText = pdfText(path.join(dir, 'eingang.pdf'));
      expect(receiptText).toContain('Teile der Zustellung');

      if (v === 'two-signed') {
        const pdf = await exportOf(v, '--pdf', path.join(dir, 'akte.pdf'));
        expect(pdf.status).toBe(1);
        expect(JSON.parse(pdf.stdout)).toMatchObject({ ok: false, error: { kind: 'export-unreadable' } });
        expect(receiptText).toContain('Zusätzlicher Teil');
        continue;
      }
      const text = pdfText(path.join(dir, 'akte.pdf'));
      // the Laufzettel: everything before the data section (it may run over more than one page)
      expect(text).toMatch(/[\n\f](?:Antragsdaten|Inhalt der Nachricht)\n/);
      const laufzettel = text.split(/[\n\f](?:Antragsdaten|Inhalt der Nachricht)\n/)[0]!;
      for (const t of [laufzettel, receiptText]) {
        expect(t, v).toContain('Teile der Zustellung');
        if (v === 'unsigned') {
          expect(t.replace(/\s+/g, ' ')).toContain(wordsOf('de').unsignedBanner);
          expect(t).toContain('Der Antrag ist von keiner Signatur des Absenders erfasst');
          // the sender's certificate is what the message names, not what a signature proves
          expect(t.replace(/\s+/g, ' ')).toContain('(laut Nachricht; keine Signatur des Absenders erfasst den Antrag)');
          // the only trust words are the intermediary's about its own transport signature
          expect(t).not.toMatch(/Inhaltsdaten[^\n]*vertrauenswürdig/);
        } else {
          expect(t, v).not.toContain('NICHT SIGNIERT');
          expect(t, v).toMatch(/erfasst\s+den\s+Antrag/);
        }
      }
      if (v === 'forged-in-front' || v === 'forged-after') expect(laufzettel).toMatch(/Zusätzlicher Teil[\s\S]{0,200}nicht signiert/);
      if (v === 'uncovered-content') expect(laufzettel).toContain('nicht von der Signatur erfasst');
      if (v === 'duplicate') expect(laufzettel).toContain('Duplikat eines Teils des Antrags');
      if (v === 'swapped-attachment') expect(laufzettel).toContain('fremd verschlüsselt');
      if (v === 'unsigned') expect(text).toContain(forged.applicant);
      else expect(text, v).not.toContain(forged.applicant);
    }

    // attachments: the signed parts of the application at the top, everything else apart with its status in the name
    const listing = async (v: Variant): Promise<string[]> => {
      const dir = path.join(out, v, 'anlagen');
      const run = await exportOf(v, '--attachments', dir);
      expect(run.status, run.stderr).toBe(0);
      const walk = (d: string, prefix = ''): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
      return walk(dir).sort();
    };
    const genuineAttachment = (v: Variant) => sha256(readFileSync(path.join(out, v, 'anlagen', 'anlage-1.pdf')));
    const EXTRA = 'Weitere-Teile-nicht-Antrag/';
    const split = (files: string[]) => ({ extra: files.filter((f) => f.startsWith(EXTRA)).map((f) => f.slice(EXTRA.length)), top: files.filter((f) => !f.startsWith(EXTRA)) });
    // (the documents inside the application's XML, xsb:dokument, are written at the top as before)
    const front = split(await listing('forged-in-front'));
    expect(front.extra).toEqual(['nicht-signiert_fremdinhalt1.xml']);
    expect(front.top).toContain('anlage-1.pdf');
    expect(genuineAttachment('forged-in-front')).toBe(sent.get('forged-in-front')!.attachment);
    expect(split(await listing('forged-after')).extra).toEqual(['nicht-signiert_fremdinhalt2.xml']);
    expect(split(await listing('uncovered-content')).extra).toEqual(['nicht-erfasst_content9.xml']);
    // the duplicated container's attachment is not a second genuine attachment
    const duplicate = split(await listing('duplicate'));
    expect(duplicate.extra).toEqual(['Duplikat_anlage-1.pdf', 'Duplikat_content0.xml']);
    expect(duplicate.top.filter((f) => f.startsWith('anlage-1'))).toEqual(['anlage-1.pdf']);
    expect(genuineAttachment('duplicate')).toBe(sent.get('duplicate')!.attachment);
    const swapped = split(await listing('swapped-attachment'));
    // kept as received: the intermediary's ciphertext is no PDF, so it leaves as .bin (core/export/file-names.ts)
    expect(swapped.extra).toEqual(['fremd-verschluesselt_anlage-1_pdf.bin', 'nicht-signiert_anlage-1.pdf']);
    expect(swapped.top.filter((f) => f.startsWith('anlage-1'))).toEqual([]);
    expect(split(await listing('unsigned')).extra).toEqual([]);
    const two = split(await listing('two-signed'));
    expect(two.top).toEqual([]);
    expect(two.extra).toHaveLength(3);
    expect(two.extra.every((f) => f.startsWith('signiert-nicht-Antrag_'))).toBe(true);
  }, 480_000);
});
