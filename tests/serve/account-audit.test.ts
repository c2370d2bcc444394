/**
 * Account changes of `postfach serve` in the audit log: what IT does with `postfach serve account …` (here: the
 * AccountStore the command uses, as OS user "it-admin") before and while the service runs — create, role, disable,
 * enable, new password — and a lockout after failed sign-ins (by the service itself) become audit entries naming
 * who made them (said in words by the catalog, as the renderer does), with the hash chain intact; the account file keeps nothing once recorded. Real store,
 * real HTTPS on loopback.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoMailbox, type DemoMailbox } from '../../app/demo-mailbox.js';
import { AccountStore, MAX_FAILURES } from '../../core/serve/accounts.js';
import { auditWords } from '../../core/store/audit-words.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { projectRoot } from '../helpers/shared.js';
import { makeCertificate, Person, tempDir, type TestCertificate } from './helpers.js';

interface Entry {
  readonly osUser: string;
  readonly action: string;
  readonly detail: string | null;
}

let cert: TestCertificate;
let demo: DemoMailbox;
let serve: RunningServe;
let accountsFile = '';
const lines: string[] = [];

beforeAll(async () => {
  const dir = tempDir();
  cert = makeCertificate(dir);
  demo = await startDemoMailbox(path.join(dir, 'mailbox'), { firstBatch: 1 });
  accountsFile = `${demo.storePath}.accounts.json`;
  // before the service runs: the command cannot reach the store; the change waits in the account file
  await new AccountStore(accountsFile, Date.now, 'it-admin').add('chef', 'leitung', 'Chef-Passwort-2026');
  expect(new AccountStore(accountsFile).pendingChanges().map((c) => [c.event, c.account, c.by])).toEqual([['created', 'chef', 'it-admin']]);
  const config = resolveServeConfig(undefined, {
    store: demo.storePath,
    listen: '127.0.0.1:0',
    tlsCert: cert.certFile,
    tlsKey: cert.keyFile,
    fetchIntervalMinutes: 60,
    storePasswordEnv: 'SERVE_AUDIT_PASSWORD',
  });
  serve = await runServe(config, {
    rendererDir: path.join(projectRoot, 'dist', 'renderer'),
    report: (line) => lines.push(line),
    env: { SERVE_AUDIT_PASSWORD: demo.unlock.password },
  });
}, 180_000);

afterAll(async () => {
  await serve?.close();
  await demo?.close();
});

async function accountEntries(chef: Person): Promise<Entry[]> {
  return (await chef.value<{ entries: Entry[] }>('audit.list', {})).entries.filter((e) => e.action === 'account-changed');
}

describe('account changes of postfach serve in the audit log', () => {
  it('records create, role, disable, enable, new password and a lockout, each with who did it', async () => {
    const chef = new Person(serve.origin, cert.cert);
    expect((await chef.signIn('chef', 'Chef-Passwort-2026')).status).toBe(303);
    // recorded at the service's start
    const atStart = await accountEntries(chef);
    expect(atStart.map((e) => [e.osUser, auditWords(e.action, e.detail).de])).toEqual([['it-admin', 'Konto chef angelegt (Rolle Leitung)']]);

    // while the service runs: IT's commands, in another AccountStore as a command would have it
    const it = new AccountStore(accountsFile, Date.now, 'it-admin');
    await it.add('anna', 'sachbearbeitung', 'Anna-Passwort-2026');
    await it.setRole('anna', 'leitung');
    await it.setRole('anna', 'leitung'); // no change, no entry
    await it.setDisabled('anna', true);
    await it.setDisabled('anna', false);
    await it.reset('anna', 'Anna-Neues-Passwort-2026');
    // a lockout: the service itself changes the account
    const stranger = new Person(serve.origin, cert.cert);
    for (let i = 0; i < MAX_FAILURES; i++) await stranger.signIn('anna', 'falsch-falsch-falsch');

    const expected = [
      ['it-admin', 'Konto chef angelegt (Rolle Leitung)'],
      ['it-admin', 'Konto anna angelegt (Rolle Sachbearbeitung)'],
      ['it-admin', 'Rolle von Konto anna auf Leitung geändert'],
      ['it-admin', 'Konto anna gesperrt'],
      ['it-admin', 'Konto anna wieder freigegeben'],
      ['it-admin', 'Neues Passwort für Konto anna gesetzt, Fehlversuchssperre aufgehoben'],
      ['serve:Dienst', 'Konto anna nach mehreren Fehlversuchen vorübergehend gesperrt'],
    ];
    await expect.poll(async () => (await accountEntries(chef)).map((e) => [e.osUser, auditWords(e.action, e.detail).de]), { timeout: 20_000, interval: 250 }).toEqual(expected);
    const entries = await accountEntries(chef);
    expect(entries[1] === undefined ? undefined : auditWords(entries[1].action, entries[1].detail).en).toBe('Account anna created (role Caseworker)');
    expect(JSON.parse(entries[2]?.detail ?? '{}')).toMatchObject({ v: 1, event: 'role-changed', account: 'anna', role: 'leitung' });
    // nothing is kept twice: the account file holds no recorded change
    await expect.poll(() => new AccountStore(accountsFile).pendingChanges().length, { timeout: 10_000 }).toBe(0);
    expect((await chef.value<{ ok: boolean }>('audit.verify', {})).ok).toBe(true);
    // nobody records an account change through the network, whatever the role
    const refused = await chef.call('serve.recordAccountChange', { id: '0'.repeat(32), at: new Date().toISOString(), event: 'created', account: 'mallory' });
    expect(refused.status).toBe(403);
    expect(lines.filter((l) => l.includes('account change'))).toEqual([]);
  }, 120_000);
});
