/**
 * The role table of `postfach serve` (core/serve/roles.ts): every contract method has a decided entry (a new
 * method without one fails here), a method without an entry is refused for every role (default deny), and the
 * server refuses it over real HTTPS before the service ever sees the call.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract } from '../../core/api/contract.js';
import { AccountStore } from '../../core/serve/accounts.js';
import { mayCall, ROLE_TABLE, ROLES, type Role } from '../../core/serve/roles.js';
import { startServeServer, type ServeService } from '../../core/serve/server.js';
import { projectRoot } from '../helpers/shared.js';
import { makeCertificate, Person, tempDir } from './helpers.js';

describe('the role table', () => {
  it('has an entry for every method of the contract, and none for a method the contract does not have', () => {
    const methods = Object.keys(contract.methods).sort();
    const missing = methods.filter((m) => !Object.hasOwn(ROLE_TABLE, m));
    expect(missing, 'contract methods without a decision in core/serve/roles.ts (default: refused)').toEqual([]);
    expect(Object.keys(ROLE_TABLE).filter((m) => !methods.includes(m))).toEqual([]);
  });

  it('refuses a method without an entry for every role (default deny), and unknown names too', () => {
    const { ['messages.list']: _dropped, ...withoutList } = ROLE_TABLE;
    for (const role of ROLES) {
      expect(mayCall(role, 'messages.list')).toBe(true);
      expect(mayCall(role, 'messages.list', withoutList)).toBe(false);
      expect(mayCall(role, 'messages.newOperation')).toBe(false);
      expect(mayCall(role, 'toString')).toBe(false);
      expect(mayCall(role, '__proto__')).toBe(false);
    }
  });

  it('gives each role more than the one below it', () => {
    const allowed = (role: Role) => new Set(Object.keys(ROLE_TABLE).filter((m) => mayCall(role, m)));
    const [clerk, lead, it] = [allowed('sachbearbeitung'), allowed('leitung'), allowed('it')];
    for (const m of clerk) expect(lead.has(m), m).toBe(true);
    for (const m of lead) expect(it.has(m), m).toBe(true);
    expect(clerk.has('audit.list')).toBe(false);
    expect(lead.has('audit.list')).toBe(true);
    expect(lead.has('identity.setup')).toBe(false);
    expect(it.has('identity.setup')).toBe(true);
    for (const role of ROLES)
      for (const m of ['store.open', 'store.close', 'store.create', 'workspace.startTraining', 'backup.restore']) expect(mayCall(role, m), `${role} ${m}`).toBe(false);
  });

  it('is enforced by the server over HTTPS before dispatch: a method missing from the table never reaches the service', async () => {
    const dir = tempDir();
    const cert = makeCertificate(dir);
    const accounts = new AccountStore(path.join(dir, 'accounts.json'));
    await accounts.add('ida', 'it', 'Ida-Passwort-2026!');
    const invoked: string[] = [];
    const service: ServeService = {
      invoke: async (method) => {
        invoked.push(method);
        return { ok: true, value: { total: 0, offset: 0, items: [] } };
      },
      on: () => () => undefined,
    };
    const { ['messages.list']: _dropped, ...withoutList } = ROLE_TABLE;
    const server = await startServeServer({
      service,
      accounts,
      rendererDir: path.join(projectRoot, 'dist', 'renderer'),
      host: '127.0.0.1',
      port: 0,
      tls: { cert: cert.cert, key: (await import('node:fs')).readFileSync(cert.keyFile) },
      roleTable: withoutList,
    });
    try {
      const ida = new Person(server.origin, cert.cert);
      await ida.signIn('ida', 'Ida-Passwort-2026!');
      const refused = await ida.call('messages.list', {});
      expect(refused.status).toBe(403);
      expect(refused.envelope.ok ? '' : refused.envelope.error.kind).toBe('serve-forbidden');
      const unknown = await ida.call('messages.newOperation', {});
      expect(unknown.status).toBe(403);
      expect(invoked).toEqual([]);
      // with an entry, the same person's call reaches the service
      expect((await ida.call('messages.counts', {})).status).toBe(200);
      expect(invoked).toEqual(['messages.counts']);
    } finally {
      await server.close();
    }
  });
});
