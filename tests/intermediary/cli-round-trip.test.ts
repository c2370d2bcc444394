/**
 * The round trip on loopback through the real command-line processes (`node dist/cli/main.js`; `npm test` builds
 * first, run alone this file builds when the build is older than the sources): `pki init`, `intermediary`,
 * `send --count 5`; the five are fetched in one dialog with core/osci's client, a second dialog finds the mailbox
 * empty (9803), the process cards show Creation, Forwarding and Reception; the poison variants of `send`
 * (content for another certificate, broken author signature, an entity bomb as --file) are accepted and delivered
 * as they are; after a restart of the intermediary process its data is still there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../core/io/byte-source.js';
import { ExplicitDialog, fetchAll, type ClientOptions, type FetchedDelivery } from '../../core/osci/client/dialog.js';
import { loadTestPki, type TestPki } from '../../core/pki/test-pki.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { municipalityClient, tempDir } from './helpers.js';

const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');

/** Runs the CLI without blocking this process (the client's keep-alive sockets must see the server's events). */
function postfach(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Sent {
  readonly messageId: string;
  readonly test: boolean;
  readonly content: { readonly length: number; readonly sha256: string };
  readonly creation: string;
}

async function send(args: string[]): Promise<Sent[]> {
  const r = await postfach(['send', '--intermediary', url, '--pki', pkiDir, '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout) as { ok: boolean; sent: Sent[] };
  expect(out.ok).toBe(true);
  return out.sent;
}

/** Starts `postfach intermediary` and resolves with its URL (the first line it prints). */
function startIntermediaryProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'intermediary', '--port', '0', '--data', dataDir, '--pki', pkiDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`intermediary did not start: ${err}`)), 60_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, url: line! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`intermediary exited with ${code}: ${err}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const root = tempDir('postfach-im-cli-');
const pkiDir = path.join(root, 'pki');
const dataDir = path.join(root, 'data');
let url = '';
let intermediary: ChildProcess | undefined;
let pki: TestPki;

const client = (): ClientOptions => municipalityClient(url, {}, pki);

async function fetchEverything(): Promise<Array<{ messageId: string; document: Buffer | undefined; delivery: Omit<FetchedDelivery, 'decoded'> }>> {
  const out: Array<{ messageId: string; document: Buffer | undefined; delivery: Omit<FetchedDelivery, 'decoded'> }> = [];
  const { fetched } = await fetchAll(client(), {
    onDelivery: async (d) => {
      const container = d.content?.allContainers[0];
      const item = container?.contents.find((c) => c.kind === 'Base64Content');
      const document = item && item.kind === 'Base64Content' ? Buffer.from(await readAll(item.data, 64 * 1024 * 1024)) : undefined;
      out.push({ messageId: d.messageId!, document, delivery: d });
    },
  });
  expect(fetched).toBe(out.length);
  return out;
}

beforeAll(async () => {
  ensureCliBuilt(['send.js', 'intermediary.js']);
  const init = await postfach(['pki', 'init', '--dir', pkiDir]);
  expect(init.status).toBe(0);
  pki = loadTestPki(pkiDir);
  const started = await startIntermediaryProcess();
  intermediary = started.child;
  url = started.url;
}, 600_000);

afterAll(async () => {
  if (intermediary) await stop(intermediary);
  rmSync(root, { recursive: true, force: true });
});

describe('postfach pki init → intermediary → send → fetch', () => {
  let sent: Sent[] = [];

  it('prints its URL on 127.0.0.1 and stores five applications sent by `postfach send`', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/osci$/);
    sent = await send(['--count', '5', '--seed', 'rundreise', '--attachments', '1', '--attachment-size', '30000']);
    expect(sent).toHaveLength(5);
    expect(new Set(sent.map((s) => s.messageId)).size).toBe(5);
    for (const s of sent) expect(s.creation).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('fetches all five in one dialog: contents as sent, author signatures valid and trusted', async () => {
    const got = await fetchEverything();
    expect(got.map((g) => g.messageId)).toEqual(sent.map((s) => s.messageId));
    for (const [i, g] of got.entries()) {
      expect(g.delivery.content?.firstError).toBeUndefined();
      const signature = g.delivery.content!.allContainers[0]!.signatures[0]!;
      expect(signature).toMatchObject({ valid: true, trust: 'trusted' });
      expect(createHash('sha256').update(g.document!).digest('hex')).toBe(sent[i]!.content.sha256);
      expect(g.document!.toString('utf8')).toContain('vorgang.transportieren');
      expect(g.delivery.moreWaiting).toBe(i < 4);
    }
  });

  it('a second dialog finds the mailbox empty (9803); the process cards show Creation, Forwarding and Reception', async () => {
    const dialog = await ExplicitDialog.open(client());
    expect(await dialog.fetchDelivery()).toBeUndefined();
    const { cards, more } = await dialog.fetchProcessCards();
    await dialog.exit();
    await dialog.release();
    expect(more).toBe(false);
    expect(cards.map((c) => c.messageId)).toEqual(sent.map((s) => s.messageId));
    for (const [i, c] of cards.entries()) {
      expect(c.processCard?.creation?.plain).toBe(sent[i]!.creation);
      expect(c.processCard?.forwarding?.plain).toMatch(/Z$/);
      expect(c.processCard?.reception?.plain).toMatch(/Z$/);
      expect(c.inspections[0]).toMatchObject({ subjectName: 'CN=Sozialplattform (Test),O=Sozialplattform Musterland,C=DE', offlineResult: 'valid' });
    }
  });

  it('poison variants are accepted and delivered unchanged (handling them is the client’s job)', async () => {
    const bomb = path.join(root, 'bomb.xml');
    const bombXml =
      '<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<lol>&c;&c;&c;</lol>\n';
    writeFileSync(bomb, bombXml);
    const [otherCert] = await send(['--content-cert', path.join(pkiDir, 'sender.cer'), '--seed', 'gift-1']);
    const [tampered] = await send(['--tamper-signature', '--seed', 'gift-2']);
    const [fromFile] = await send(['--file', bomb, '--subject', 'Gift']);
    const [testApplication] = await send(['--test', '--seed', 'gift-3']);
    expect(testApplication!.test).toBe(true);
    const got = await fetchEverything();
    expect(got.map((g) => g.messageId)).toEqual([otherCert, tampered, fromFile, testApplication].map((s) => s!.messageId));
    // content encrypted for another certificate: the mailbox key cannot open it
    expect(got[0]!.delivery.content?.firstError?.kind).toBe('no-matching-key');
    // broken author signature: delivered, the signature does not verify
    expect(got[1]!.delivery.content?.firstError?.kind).toBe('signature-invalid');
    expect(got[1]!.delivery.content!.allContainers[0]!.signatures[0]).toMatchObject({ valid: false });
    expect(got[1]!.document).toBeDefined();
    // the entity bomb travels byte for byte; it is not expanded anywhere on the way
    expect(got[2]!.document!.toString('utf8')).toBe(bombXml);
    expect(got[3]!.document!.toString('utf8')).toMatch(/test="(true|1)"/);
  });

  it('refuses to send to an intermediary that is not there (exit code 4)', async () => {
    const r = await postfach(['send', '--intermediary', 'http://127.0.0.1:1/osci', '--pki', pkiDir]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('nicht erreichbar');
  });

  it('after a restart of the intermediary process the data is still there', async () => {
    const [waiting] = await send(['--seed', 'vor-neustart']);
    expect(await stop(intermediary!)).toBe(0);
    const restarted = await startIntermediaryProcess();
    intermediary = restarted.child;
    url = restarted.url;
    const dialog = await ExplicitDialog.open(client());
    const { cards } = await dialog.fetchProcessCards();
    await dialog.exit();
    await dialog.release();
    expect(cards.map((c) => c.messageId)).toEqual([...sent.map((s) => s.messageId), ...cards.slice(5).map((c) => c.messageId)]);
    expect(cards).toHaveLength(10);
    for (const c of cards.slice(0, 9)) expect(c.processCard?.reception?.plain).toBeDefined();
    expect(cards[9]!.messageId).toBe(waiting!.messageId);
    expect(cards[9]!.processCard?.reception).toBeUndefined();
    const got = await fetchEverything();
    expect(got.map((g) => g.messageId)).toEqual([waiting!.messageId]);
    expect(got[0]!.delivery.content?.firstError).toBeUndefined();
  });
});
