/**
 * The shared inbox (issue 13, migration 17 / PostgreSQL version 2): who works on a message ("in Bearbeitung durch
 * …"), decided by one rule for both store backends. A person is named as the audit log names them: the signed-in
 * person of `postfach serve` (the call's audit actor, `serve:<name>`), else the store's OS user — so the single-PC
 * mode is one person and works as before.
 *
 * A colleague's claim is never silently overridden: claim, release and hand-over refuse it (`store-claimed`), and
 * taking it over is its own step with its own audit entry naming both persons (who may take over is the front end's
 * decision: core/serve/roles.ts). Marking "übertragen" is refused while a colleague holds the message.
 */
import { currentAuditActor } from './audit-actor.js';
import type { NewAuditEntry } from './audit-log.js';
import { auditDetail } from './audit-words.js';
import { storeError } from './errors.js';
import type { AccountAuditChange } from './records.js';

/** The prefix `postfach serve` puts before a signed-in person's name in the audit log (core/serve/server.ts). */
export const SERVE_ACTOR_PREFIX = 'serve:';

/** The person the running call works for: the front end's actor, else the store's OS user. */
export function currentPerson(storeUser: string): string {
  return currentAuditActor() ?? storeUser;
}

/**
 * Whether the call runs for a person named by a front end (the service): then read/unread is kept per person.
 * Without one (the single-PC mode) the store's one read mark serves, as before schema 17.
 */
export function readsPerPerson(): boolean {
  return currentAuditActor() !== undefined;
}

/** How a person is shown: a service account by its name, an OS user as the audit log has it. */
export function personName(person: string): string {
  return person.startsWith(SERVE_ACTOR_PREFIX) ? person.slice(SERVE_ACTOR_PREFIX.length) : person;
}

export type InboxStep = { readonly kind: 'claim' } | { readonly kind: 'release' } | { readonly kind: 'take-over' } | { readonly kind: 'hand'; readonly to: string };

/** The longest person name a claim keeps (the audit actor's bound). */
const MAX_PERSON = 200;

/**
 * The claim after `step` by `me` and the audit entry for it (none when nothing changes); throws `store-claimed` where
 * a colleague's claim stands in the way. Pure: both backends call it inside their transaction with the row locked.
 */
export function decideClaim(
  current: string | null,
  me: string,
  step: InboxStep,
  ref: { readonly deliveryId: number; readonly messageId: string },
): { next: string | null; entry: NewAuditEntry | undefined } {
  const other = current !== null && current !== me;
  const refuse = (what: string) => storeError('store-claimed', `${what}: message ${ref.deliveryId} is claimed by another person`);
  switch (step.kind) {
    case 'claim':
      if (other) throw refuse('claim');
      return current === me ? { next: me, entry: undefined } : { next: me, entry: { action: 'claimed', ...ref } };
    case 'release':
      if (other) throw refuse('release');
      return current === null ? { next: null, entry: undefined } : { next: null, entry: { action: 'claim-released', ...ref } };
    case 'take-over':
      if (!other) return current === me ? { next: me, entry: undefined } : { next: me, entry: { action: 'claimed', ...ref } };
      return { next: me, entry: { action: 'claim-taken-over', ...ref, detail: auditDetail({ from: personName(current) }) } };
    case 'hand': {
      if (other) throw refuse('hand');
      const to = step.to;
      if (typeof to !== 'string' || to === '' || to.length > MAX_PERSON) throw storeError('store-invalid-input', 'hand: a person of 1..200 characters expected');
      if (to === current) return { next: to, entry: undefined };
      // the audit actor is `me`; the detail names the colleague (staff account names, never an applicant's)
      return { next: to, entry: { action: 'claim-handed', ...ref, detail: auditDetail({ to: personName(to), ...(current === null ? {} : { from: personName(current) }) }) } };
    }
  }
}

/** The audit entry of an account change of `postfach serve` (both backends append it as it is). */
export function accountChangeEntry(change: AccountAuditChange): NewAuditEntry {
  const account: { account?: string } = change.account === undefined ? {} : { account: change.account };
  // a sign-in is its own action (the audit view filters and words it apart from changes of accounts)
  if (change.event === 'signed-in') return { action: 'signed-in', detail: auditDetail({ ...account, at: change.at, change: change.id }) };
  if (change.event === 'sign-in-failed') {
    return { action: 'sign-in-failed', detail: auditDetail({ ...account, ...(change.reason === undefined ? {} : { reason: change.reason }), at: change.at, change: change.id }) };
  }
  return {
    action: 'account-changed',
    detail: auditDetail({ event: change.event, ...account, ...(change.role === undefined ? {} : { role: change.role }), at: change.at, change: change.id }),
  };
}

/** Refuses "übertragen" (and taking it back) while a colleague holds the message. */
export function assertMayTransfer(current: string | null, me: string, deliveryId: number): void {
  if (current !== null && current !== me) throw storeError('store-claimed', `transfer: message ${deliveryId} is claimed by another person`);
}
