/**
 * The audit log's person for a call (core/store/audit-actor.ts): a store names its OS user unless the running call
 * was given a person (postfach serve: `serve:<name>`); two calls running at the same time keep their own person
 * through every await, and the hash chain stays valid.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAsAuditActor } from '../../core/store/audit-actor.js';
import { PostfachStore } from '../../core/store/index.js';
import { FAST_SCRYPT, PASSWORD, tempDir } from './helpers.js';

describe('the audit log names the person a call works for', () => {
  it('keeps each concurrent call’s person, and the OS user outside any call', async () => {
    const dir = tempDir();
    const make = (name: string) => PostfachStore.create(path.join(dir, `${name}.db`), { password: PASSWORD, scrypt: FAST_SCRYPT, osUser: 'os-user' });
    // both creations derive keys asynchronously, so their awaits interleave
    const [a, b, plain] = await Promise.all([runAsAuditActor('serve:anna', () => make('a')), runAsAuditActor('serve:bernd', () => make('b')), make('c')]);
    expect(a.store.auditEntries().map((e) => e.osUser)).toEqual(['serve:anna']);
    expect(b.store.auditEntries().map((e) => e.osUser)).toEqual(['serve:bernd']);
    expect(plain.store.auditEntries().map((e) => e.osUser)).toEqual(['os-user']);
    for (const { store } of [a, b, plain]) {
      expect(store.verifyAuditLog().ok).toBe(true);
      store.close();
    }
  });

  it('refuses an empty or overlong person', () => {
    expect(() => runAsAuditActor('', () => 1)).toThrow(RangeError);
    expect(() => runAsAuditActor('x'.repeat(201), () => 1)).toThrow(RangeError);
    expect(runAsAuditActor(undefined, () => 2)).toBe(2);
  });
});
