/**
 * The one list of the audit log's actions: stable codes, stored as they are (the hash chain covers them). Their words are said
 * where an entry is shown (audit-words.ts: a code without words does not compile); an entry whose action is not
 * in this list fails the chain check (`unknown-action`).
 */
export const AUDIT_ACTIONS = [
  'store-created',
  'fetched',
  'opened',
  'exported',
  'printed',
  'marked-transferred',
  'unmarked-transferred',
  'trashed',
  'restored',
  'deleted',
  'retention-deleted',
  'legal-hold-set',
  'legal-hold-released',
  'settings-changed',
  'key-wrapper-changed',
  'trusted-ca-added',
  'trusted-ca-removed',
  'trust-reevaluated',
  'codelist-imported',
  'aktenzeichen-changed',
  'note-changed',
  'follow-up-set',
  'follow-up-cleared',
  'handed-over',
  'handover-refused',
  'claimed',
  'claim-released',
  'claim-handed',
  'claim-taken-over',
  'account-changed',
  'signed-in',
  'sign-in-failed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

export function isAuditAction(action: string): action is AuditAction {
  return KNOWN_ACTIONS.has(action);
}
