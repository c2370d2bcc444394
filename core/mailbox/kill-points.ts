/**
 * Test-only crash points: named places of a fetch (a delivery received but not saved, during the save, saved but
 * not yet acknowledged, during FetchProcessCard, around ExitDialog, mid-transfer) where the kill test
 * (tests/mailbox/kill.test.ts) cuts a real `postfach fetch` to check that nothing is lost or duplicated. The
 * program itself installs nothing and reads no environment here: a point is one check of an empty slot. The kill
 * test's preload (tests/mailbox/kill-points-preload.mjs, loaded with `node --import`) installs the handler that
 * SIGKILLs the process. The Übungsmodus's demo sending has its points here too (`demo-…`).
 */
export const KILL_POINTS = [
  'after-init',
  'response-received',
  // a first delivery fetched and decoded while the store was still being opened (fetch-engine.ts startFirstDelivery)
  'early-decoded',
  'before-save',
  'during-save',
  'after-save',
  'before-process-cards',
  'after-process-cards',
  'after-receipts',
  'before-exit',
  'after-exit',
  'mid-transfer',
  // the hand-over folder (core/handover/): each step of writing one delivery's folder (tests/handover/kill.test.ts)
  'handover-temp-created',
  'handover-xml-written',
  'handover-pdf-written',
  'handover-attachments-written',
  'handover-manifest-written',
  'handover-file-synced',
  'handover-renamed',
  'handover-marker-written',
  'handover-recorded',
  'handover-error-marker-written',
  // the Übungsmodus's sending of its invented applications (app/demo-applications.ts; tests/ops/training-kill.test.ts):
  // a message id issued, the intent recorded, the delivery stored at the intermediary, the ledger written
  'demo-id-issued',
  'demo-intent-written',
  'demo-delivered',
  'demo-recorded',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

let handler: ((name: KillPoint) => void) | undefined;

/** Installs what happens at a kill point (tests only); undefined removes it. */
export function installKillPoints(onPoint: ((name: KillPoint) => void) | undefined): void {
  handler = onPoint;
}

export function killPoint(name: KillPoint): void {
  handler?.(name);
}
