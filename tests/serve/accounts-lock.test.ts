/**
 * The account file of `postfach serve` is changed by two programs at once — the running service (sign-ins noted,
 * recorded changes dropped) and IT's `postfach serve account …` — each with its own AccountStore. One change must
 * never undo the other's: without a lock across processes a read-change-write of one brings back what the other
 * just removed (a change recorded twice in the audit log) or loses what it just added. Real files, real scrypt.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccountStore } from '../../core/serve/accounts.js';
import { tempDir } from './helpers.js';

describe('the account file under two programs', () => {
  it('keeps every change of both and brings back none the other removed', async () => {
    const file = path.join(tempDir(), 'postfach.db.accounts.json');
    const service = new AccountStore(file, Date.now, 'serve:Dienst');
    const it = new AccountStore(file, Date.now, 'it-admin');
    await it.add('anna', 'sachbearbeitung', 'Anna-Passwort-2026');
    // the service records and drops while IT adds accounts and the service notes sign-ins
    const adds = Array.from({ length: 6 }, (_, i) => it.add(`person${i}`, 'sachbearbeitung', `Passwort-${i}-2026!`));
    const signIns = Array.from({ length: 6 }, () => service.signIn('anna', 'Anna-Passwort-2026'));
    const drops = Array.from({ length: 6 }, async () => {
      const pending = service.pendingChanges().map((c) => c.id);
      await service.dropChanges(pending);
      return pending;
    });
    const dropped = (await Promise.all([...adds, ...signIns, ...drops])).slice(12).flat() as string[];
    expect(
      it
        .list()
        .map((a) => a.name)
        .sort(),
    ).toEqual(['anna', ...Array.from({ length: 6 }, (_, i) => `person${i}`)].sort());
    const left = service.pendingChanges();
    // nothing dropped comes back; every change is either dropped or still pending, once
    expect(left.filter((c) => dropped.includes(c.id))).toEqual([]);
    expect(new Set([...dropped, ...left.map((c) => c.id)]).size).toBe(1 + 6 + 6);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 120_000);
});
