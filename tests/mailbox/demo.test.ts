/**
 * `postfach demo`: test PKI, the local intermediary, five synthetic applications (different services, one
 * Testantrag, one with evidence attachments) fetched into a demo store, and where everything is. Started again on
 * the same folder (the Übungsmodus after a restart) it keeps everything and sends nothing twice; a start that
 * stopped half-way is made again.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeWords } from '../../cli/commands/demo.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromRecord } from '../../core/mailbox/identity.js';
import { startDemoMailbox } from '../../app/demo-mailbox.js';
import { createTestPki, testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { officeTime } from '../../core/time/office-time.js';
import { projectRoot } from '../helpers/shared.js';
import { ensureBuilt, postfach, tempDir } from './helpers.js';

/**
 * `postfach demo --keep-running` sent SIGTERM as soon as stderr or stdout shows `when`: how the process ended and
 * what it printed.
 */
function demoStoppedWhen(
  dir: string,
  when: { stderr?: RegExp; stdout?: RegExp },
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist', 'cli', 'main.js'), 'demo', '--dir', dir, '--keep-running'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const check = (): void => {
      if (sent) return;
      if ((when.stderr && when.stderr.test(stderr)) || (when.stdout && when.stdout.test(stdout))) {
        sent = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

describe('the demo mailbox', () => {
  it('postfach demo sends, fetches and says where everything is; a second start keeps it all', async () => {
    ensureBuilt();
    const dir = path.join(tempDir('postfach-mailbox-demo-'), 'demo');
    const run = await postfach(['demo', '--dir', dir, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      ok: boolean;
      store: string;
      storePasswordFile: string;
      recoveryKeyFile: string | null;
      created: boolean;
      sent: string[];
      fetch: { newMessages: number; outcome: string };
      messages: number;
    };
    expect(out).toMatchObject({ ok: true, created: true, messages: 5, fetch: { outcome: 'complete', newMessages: 5 } });
    expect(out.sent).toHaveLength(5);
    // the files README lists for the demo folder, the two secrets readable by the owner only
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['intermediary', 'logs', 'pki', 'postfach.db', 'recovery-key.txt', 'store-password']));
    expect(out.recoveryKeyFile).toBe(path.join(dir, 'recovery-key.txt'));
    expect(readFileSync(out.recoveryKeyFile!, 'utf8')).toMatch(/^[0-9A-Z]{6}(-[0-9A-Z]{6}){7}\n$/);
    for (const secret of [out.recoveryKeyFile!, out.storePasswordFile]) expect(statSync(secret).mode & 0o077).toBe(0);

    const human = await postfach(['list', '--store', out.store, '--json'], { POSTFACH_STORE_PASSWORD: readFileSync(out.storePasswordFile, 'utf8').trim() });
    const items = JSON.parse(human.stdout) as Array<{ isTest: boolean; attachmentCount: number; benefit: { code: string }; signatureStatus: string }>;
    expect(items).toHaveLength(5);
    expect(items.filter((i) => i.isTest)).toHaveLength(1);
    expect(items.filter((i) => i.attachmentCount === 2)).toHaveLength(1);
    expect(new Set(items.map((i) => i.benefit.code)).size).toBe(5);
    expect(items.every((i) => i.signatureStatus === 'trusted')).toBe(true);
    // trusted as a real office trusts its senders' CA: through the store's list (what Settings and `trust list` show)
    const trust = await postfach(['trust', 'list', '--store', out.store, '--json'], { POSTFACH_STORE_PASSWORD: readFileSync(out.storePasswordFile, 'utf8').trim() });
    const listed = JSON.parse(trust.stdout) as { cas: Array<{ owner: string; source: string; certificate: { subject: string } }>; locked: boolean };
    expect(listed).toMatchObject({
      locked: false,
      cas: [{ owner: 'office', source: 'demo', certificate: { subject: 'CN=OSCI-Postfach Test-CA, O=OSCI-Postfach Übungsumgebung, C=DE' } }],
    });
    // in words, the moment the CA was added is in the office time zone like every time shown (it was UTC before)
    const trustText = await postfach(['trust', 'list', '--store', out.store], { POSTFACH_STORE_PASSWORD: readFileSync(out.storePasswordFile, 'utf8').trim() });
    const addedAt = (JSON.parse(trust.stdout) as { cas: Array<{ addedAt: string }> }).cas[0]!.addedAt;
    expect(trustText.stdout).toContain(`Übungsmodus, am ${officeTime('Europe/Berlin').dateTime(addedAt)}`);
    expect(trustText.stdout).not.toContain('(UTC)');

    const text = await postfach(['demo', '--dir', dir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Im Datenspeicher: 5 Nachricht(en)');
    expect(text.stdout).toContain(`postfach list --store ${out.store}`);
    expect(text.stdout).toContain(`Wiederherstellungsschlüssel:     ${out.recoveryKeyFile!}   (nur für die Demo in einer Datei)`);

    // the Übungsmodus after a restart: same folder, a new port written into the store, nothing sent again
    const again = await startDemoMailbox(dir);
    try {
      expect(again).toMatchObject({ created: false, sent: [], storePath: out.store });
      const store = await PostfachStore.open(again.storePath, again.unlock);
      const identity = identityFromRecord(store.readMailboxIdentity()!);
      expect(identity.connection.intermediaryUrl).toBe(again.intermediaryUrl);
      const result = await runFetch({ store, identity });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 0 });
      expect(store.list().total).toBe(5);
      store.close();
    } finally {
      await again.close();
    }
  }, 240_000);

  it('a start that stopped half-way (the store made, the applications not sent) is made again by the next start', async () => {
    const dir = path.join(tempDir('postfach-mailbox-demo-half-'), 'demo');
    await createTestPki(path.join(dir, 'pki'));
    // the Sozialplattform's key file broken: the demo fails after its store was made, before anything is sent
    const senderP12 = testPkiFiles(path.join(dir, 'pki')).sender.p12;
    const good = readFileSync(senderP12);
    writeFileSync(senderP12, good.subarray(0, 100));
    await expect(startDemoMailbox(dir)).rejects.toThrow();
    expect(PostfachStore.exists(path.join(dir, 'postfach.db'))).toBe(true);
    writeFileSync(senderP12, good);
    const demo = await startDemoMailbox(dir);
    try {
      // the store stays; what was not sent is sent now (applications.json: nothing was recorded as sent)
      expect(demo.created).toBe(false);
      expect(demo.sent).toHaveLength(5);
      const store = await PostfachStore.open(demo.storePath, demo.unlock);
      const result = await runFetch({ store, identity: identityFromRecord(store.readMailboxIdentity()!) });
      store.close();
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 5 });
    } finally {
      await demo.close();
    }
    expect((JSON.parse(readFileSync(path.join(dir, 'applications.json'), 'utf8')) as { sent: string[] }).sent).toHaveLength(5);
  });

  it('sends the first batch before returning, the rest in the background; stopped half-way, the next start sends the rest', async () => {
    const dir = path.join(tempDir('postfach-mailbox-demo-lazy-'), 'demo');
    const progress: string[] = [];
    const first = await startDemoMailbox(dir, { firstBatch: 1, onProgress: (p) => progress.push(`${p.step} ${p.done}/${p.total}`) });
    expect(first.sent).toHaveLength(1);
    expect(progress).toEqual(['keys 0/4', 'keys 1/4', 'keys 2/4', 'keys 3/4', 'keys 4/4', 'store 0/1', 'store 1/1', 'applications 0/5', 'applications 1/5']);
    // the rest goes only when asked for; leaving at once stops it after the application on its way
    const rest = first.sendRest();
    expect(first.sendRest()).toBe(rest);
    await first.close();
    const ledger = JSON.parse(readFileSync(path.join(dir, 'applications.json'), 'utf8')) as { version: number; sent: string[] };
    expect(ledger.version).toBe(1);
    expect(ledger.sent.length).toBeGreaterThanOrEqual(1);
    expect(ledger.sent.length).toBeLessThan(5);
    expect((await rest).error).toBeUndefined();

    // the next start sends exactly what is missing, and the mailbox then holds each application once
    const again = await startDemoMailbox(dir);
    try {
      expect(again.created).toBe(false);
      expect(again.sent).toHaveLength(5 - ledger.sent.length);
      expect((await again.sendRest()).sent).toEqual([]);
      const store = await PostfachStore.open(again.storePath, again.unlock);
      const result = await runFetch({ store, identity: identityFromRecord(store.readMailboxIdentity()!) });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 5 });
      expect(new Set(store.list().items.map((i) => i.benefitCode)).size).toBe(5);
      store.close();
    } finally {
      await again.close();
    }
    expect((JSON.parse(readFileSync(path.join(dir, 'applications.json'), 'utf8')) as { sent: string[] }).sent).toHaveLength(5);
  }, 240_000);

  it('--keep-running ends cleanly on SIGTERM at any moment, also before it says that it keeps running', async () => {
    ensureBuilt();
    const dir = path.join(tempDir('postfach-mailbox-demo-stop-'), 'demo');
    // while it is still setting up: the stop is heard (not the signal's default death), the demo ends through its
    // own close once it is set up, with the usual summary and exit code
    const early = await demoStoppedWhen(dir, { stderr: /wird vorbereitet/ });
    expect({ status: early.status, signal: early.signal }, early.stderr).toEqual({ status: 0, signal: null });
    expect(early.stdout).toContain('Der Intermediär läuft weiter.');
    // once it says so: the same
    const running = await demoStoppedWhen(dir, { stdout: /Ende mit Strg\+C\./ });
    expect({ status: running.status, signal: running.signal }, running.stderr).toEqual({ status: 0, signal: null });
    // the store was closed properly both times: a third, ordinary run opens it and finds the five applications
    const again = await postfach(['demo', '--dir', dir, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, messages: 5 });
  }, 300_000);

  it('the summary says how the fetch ended in German words', () => {
    expect(outcomeWords('complete')).toBe('Postfach leer');
    expect(outcomeWords('cancelled')).toBe('abgebrochen');
    expect(outcomeWords('failed')).toBe('fehlgeschlagen');
  });
});
