/**
 * Who the audit log names for the work running now. By default the store names the OS user that opened it; the
 * fetch service (`postfach serve`) works for many people through one process and one open store, so it runs each
 * call "as" the signed-in person (AsyncLocalStorage: the name follows the call through every await, never into
 * another call running at the same time). Every audit entry of the store is written through appendAudit, which
 * asks here first — so a store backend that appends audit entries the same way names the person too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const actor = new AsyncLocalStorage<string>();

/** Longest name the audit log takes for a person (the contract's short text is 200). */
export const MAX_AUDIT_ACTOR = 200;

/** Runs `work` with `who` as the audit log's person; `undefined` keeps the store's own (the OS user). */
export function runAsAuditActor<T>(who: string | undefined, work: () => T): T {
  if (who === undefined) return work();
  if (who === '' || who.length > MAX_AUDIT_ACTOR) throw new RangeError('audit actor must be 1..200 characters');
  return actor.run(who, work);
}

/** The person the running call works for, if a front end named one. */
export function currentAuditActor(): string | undefined {
  return actor.getStore();
}
