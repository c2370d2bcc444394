/**
 * The hand-over folder for the case system, end to end: the real local intermediary on loopback, `postfach fetch` and
 * `postfach handover` as real processes, a real store, a real folder. IT's setting comes from a machine file.
 *
 *  - only deliveries fetched after the hand-over was switched on go over; each exactly once, complete (XML byte for
 *    byte as stored, a PDF, the documents, a manifest whose hashes match every file), with `.done` and an audit
 *    entry; further fetches and `postfach handover` write nothing again;
 *  - a delivery that is "nicht lesbar" gets only `<name>.error` (reason code, no content);
 *  - an unwritable folder: the fetch still stores everything, says why in German (and English in JSON), and the
 *    deliveries stay pending until the folder works, then go over once;
 *  - `postfach handover --again` writes a new `-erneut-<n>` folder, audited as a repeat.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { deliveryFolderName } from '../../core/handover/names.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, openStore, postfach, send, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir } from '../mailbox/helpers.js';
import { machineConfig, readHandoverFolder, sha256, verifiedFolder } from './helpers.js';

const root = tempDir('postfach-handover-');
const dbPath = path.join(root, 'store', 'postfach.db');
const folder = path.join(root, 'fachverfahren-import');
const configFile = path.join(root, 'config.json');
let pkiDir = '';
let intermediary: RunningIntermediary;
let document: Buffer;

const fetchWith = (handoverFolder: string | undefined) =>
  postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], { ...fetchEnv(pkiDir), ...machineConfig(configFile, handoverFolder) });

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  document = readFileSync(vectorPath('content/antrag-1.xml'));
  await createStore(dbPath);
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('hand-over folder', () => {
  const handedOver = new Map<string, string>();

  it('hands each delivery fetched after switching on over once, complete, with .done and an audit entry', async () => {
    // fetched before the hand-over is switched on: stays out of the folder
    const before = await send(intermediary.url, pkiDir, { content: document, count: 1 });
    expect((await fetchWith(undefined)).status).toBe(0);

    const sent = [
      ...(await send(intermediary.url, pkiDir, { content: document, count: 1 })),
      ...(await send(intermediary.url, pkiDir, { count: 1, attachments: 2, attachmentSize: 20_000, seed: 'handover-a' })),
    ];
    const run = await fetchWith(folder);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { newMessages: number; handover?: { handedOver: number; refused: number; pending: number } };
    expect(result.newMessages).toBe(2);
    expect(result.handover).toEqual({ handedOver: 2, refused: 0, pending: 0 });

    const state = readHandoverFolder(folder);
    expect(state.temporary).toEqual([]);
    expect(state.undone).toEqual([]);
    expect([...state.done.keys()].sort()).toEqual(sent.map((s) => deliveryFolderName(s.messageId)).sort());
    expect(state.done.has(deliveryFolderName(before[0]!.messageId))).toBe(false);

    const store = await openStore(dbPath);
    try {
      for (const s of sent) {
        const name = deliveryFolderName(s.messageId);
        const { manifest } = verifiedFolder(folder, name);
        const id = store.findByMessageId(s.messageId)!;
        const record = store.getDelivery(id);
        // the XML byte for byte as delivered and stored
        const xml = readFileSync(path.join(folder, name, 'Antrag.xml'));
        expect(sha256(xml)).toBe(s.content.sha256);
        expect(xml.equals(await store.readContent(id))).toBe(true);
        expect(
          readFileSync(path.join(folder, name, 'Antrag.pdf'))
            .subarray(0, 5)
            .toString('latin1'),
        ).toBe('%PDF-');
        expect(manifest).toMatchObject({
          messageId: s.messageId,
          storeId: id,
          benefit: { code: record.benefitCode, text: record.benefitText },
          applicants: [...record.applicants],
        });
        expect(manifest.signature.status).toBe(record.signatureStatus);
        expect(manifest.eingang).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/);
        expect(new Date(manifest.eingang).getTime()).toBe(new Date(record.eingang).getTime());
        expect(manifest.program.name).toBe('OSCI-Postfach');
        // the documents: every attachment sent is there with its bytes
        const documents = manifest.files
          .filter((f) => f.role === 'attachment' || f.role === 'other-part')
          .map((f) => f.sha256)
          .sort();
        for (const a of s.attachments) expect(documents).toContain(a.sha256);
        expect(store.handoverOf(id)).toMatchObject({ state: 'done', folder: name });
        // handed over is no caseworker's step: the message stays "new"
        expect(record.state).toBe('new');
        handedOver.set(name, state.done.get(name)!);
      }
      const audit = store.auditEntries().filter((e) => e.action === 'handed-over');
      expect(audit.map((e) => e.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort());
      expect(store.verifyAuditLog().ok).toBe(true);
    } finally {
      store.close();
    }
  }, 300_000);

  it('writes nothing twice: a further fetch and postfach handover leave every folder as it was', async () => {
    const stamps = new Map([...handedOver.keys()].map((n) => [n, statSync(path.join(folder, n, 'manifest.json')).mtimeMs]));
    expect((await fetchWith(folder)).status).toBe(0);
    const again = await postfach(['handover', '--store', dbPath, '--json'], { POSTFACH_STORE_PASSWORD: STORE_PASSWORD, ...machineConfig(configFile, folder) });
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, handedOver: 0, refused: 0, pending: 0 });
    const state = readHandoverFolder(folder);
    expect(state.done).toEqual(handedOver);
    for (const [name, mtime] of stamps) expect(statSync(path.join(folder, name, 'manifest.json')).mtimeMs).toBe(mtime);
    const store = await openStore(dbPath);
    try {
      expect(store.auditEntries().filter((e) => e.action === 'handed-over')).toHaveLength(handedOver.size);
    } finally {
      store.close();
    }
  }, 300_000);

  it('gives a delivery that is not readable only an .error file with its reason, no content', async () => {
    const [broken] = await send(intermediary.url, pkiDir, { content: Buffer.from('<antrag>kaputt', 'utf8'), count: 1 });
    const run = await fetchWith(folder);
    expect(JSON.parse(run.stdout)).toMatchObject({ unreadable: 1, handover: { handedOver: 0, refused: 1, pending: 0 } });
    const name = deliveryFolderName(broken!.messageId);
    const state = readHandoverFolder(folder);
    expect(state.errors.get(name)).toBe('unreadable');
    expect(readdirSync(folder).filter((e) => e.startsWith(name))).toEqual([`${name}.error`]);
    const marker = readFileSync(path.join(folder, `${name}.error`), 'utf8');
    expect(marker).not.toContain('kaputt');
    const store = await openStore(dbPath);
    try {
      expect(store.handoverOf(store.findByMessageId(broken!.messageId)!)).toMatchObject({ state: 'error', reason: 'unreadable' });
      expect(
        store
          .auditEntries()
          .filter((e) => e.action === 'handover-refused')
          .map((e) => e.messageId),
      ).toEqual([broken!.messageId]);
    } finally {
      store.close();
    }
  }, 300_000);

  it('an unwritable folder: clear words, the deliveries stored and pending, handed over once it works', async () => {
    const blocker = path.join(root, 'keine-freigabe');
    writeFileSync(blocker, 'a file where the share should be');
    const unwritable = path.join(blocker, 'import');
    const sent = await send(intermediary.url, pkiDir, { content: document, count: 2 });
    const run = await fetchWith(unwritable);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      outcome: string;
      newMessages: number;
      handover: { handedOver: number; pending: number; error: { kind: string; message: string; messageEn: string; detail: string } };
    };
    expect(result.outcome).toBe('complete');
    expect(result.newMessages).toBe(2);
    expect(result.handover.handedOver).toBe(0);
    expect(result.handover.pending).toBe(2);
    expect(result.handover.error.kind).toBe('handover-folder');
    expect(result.handover.error.message).toContain('Übergabeordner');
    expect(result.handover.error.message).toContain('bleiben im Postfach gespeichert');
    expect(result.handover.error.messageEn).toContain('hand-over folder');
    expect(result.handover.error.detail).toMatch(/ENOTDIR/);
    expect(run.stderr).toContain('WARNUNG: Der Übergabeordner');

    const cli = await postfach(['handover', '--store', dbPath], { POSTFACH_STORE_PASSWORD: STORE_PASSWORD, ...machineConfig(configFile, unwritable) });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('Der Übergabeordner für das Fachverfahren kann nicht beschrieben werden');
    expect(cli.stdout).toContain('noch offen: 2');

    const store = await openStore(dbPath);
    try {
      expect(
        store
          .pendingHandovers()
          .map((p) => p.messageId)
          .sort(),
      ).toEqual(sent.map((s) => s.messageId).sort());
    } finally {
      store.close();
    }
    // the folder works again (IT fixed the share): the pending ones go over, once
    const fixed = await postfach(['handover', '--store', dbPath, '--json'], { POSTFACH_STORE_PASSWORD: STORE_PASSWORD, ...machineConfig(configFile, folder) });
    expect(JSON.parse(fixed.stdout)).toMatchObject({ ok: true, handedOver: 2, pending: 0 });
    const state = readHandoverFolder(folder);
    for (const s of sent) expect(state.done.has(deliveryFolderName(s.messageId))).toBe(true);
    expect(state.temporary).toEqual([]);
  }, 300_000);

  it('postfach handover --again writes a new, clearly named folder each time, audited as a repeat', async () => {
    const [name] = [...handedOver.keys()];
    const store = await openStore(dbPath);
    const messageId = (JSON.parse(readFileSync(path.join(folder, name!, 'manifest.json'), 'utf8')) as { messageId: string }).messageId;
    store.close();
    const env = { POSTFACH_STORE_PASSWORD: STORE_PASSWORD, ...machineConfig(configFile, folder) };
    const first = await postfach(['handover', '--store', dbPath, '--again', messageId, '--json'], env);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, state: 'done', folder: `${name}-erneut-1` });
    const second = await postfach(['handover', '--store', dbPath, '--again', messageId], env);
    expect(second.stdout).toContain(`${name}-erneut-2`);
    const state = readHandoverFolder(folder);
    expect(verifiedFolder(folder, `${name}-erneut-1`).manifest.again).toBe(1);
    expect(verifiedFolder(folder, `${name}-erneut-2`).manifest.again).toBe(2);
    // the first hand-over is untouched
    expect(state.done.get(name!)).toBe(handedOver.get(name!));
    const reopened = await openStore(dbPath);
    try {
      const repeats = reopened.auditEntries().filter((e) => e.action === 'handed-over' && e.messageId === messageId);
      expect(repeats.map((e) => JSON.parse(e.detail!) as { again?: boolean; folder: string })).toEqual([
        { v: 1, folder: name },
        { v: 1, folder: `${name}-erneut-1`, again: true },
        { v: 1, folder: `${name}-erneut-2`, again: true },
      ]);
    } finally {
      reopened.close();
    }
  }, 300_000);

  it('without a folder set, postfach handover says so', async () => {
    mkdirSync(path.join(root, 'x'), { recursive: true });
    const run = await postfach(['handover', '--store', dbPath], { POSTFACH_STORE_PASSWORD: STORE_PASSWORD, ...machineConfig(configFile, undefined) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Es ist kein Übergabeordner');
  }, 120_000);
});
