/**
 * Test-only crash points: `POSTFACH_TEST_KILL_POINT=<name>[:<n>]` makes the process SIGKILL itself the n-th time
 * (default the first) it passes the named point. The kill test (tests/mailbox/kill.test.ts) uses it to cut a real
 * fetch at exact places of the dialog — a delivery received but not saved, during the save, saved but not yet
 * acknowledged, during FetchProcessCard, around ExitDialog, mid-transfer — and checks that nothing is lost or
 * duplicated. Without the variable this is one map lookup per point.
 */
const spec = process.env.POSTFACH_TEST_KILL_POINT;
const wanted = spec === undefined || spec === '' ? undefined : { name: spec.split(':')[0] ?? '', hit: Number(spec.split(':')[1] ?? '1') || 1 };
const hits = new Map<string, number>();

export const KILL_POINTS = [
  'after-init',
  'response-received',
  'before-save',
  'during-save',
  'after-save',
  'before-process-cards',
  'after-process-cards',
  'after-receipts',
  'before-exit',
  'after-exit',
  'mid-transfer',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

export function killPoint(name: KillPoint): void {
  if (wanted === undefined || wanted.name !== name) return;
  const n = (hits.get(name) ?? 0) + 1;
  hits.set(name, n);
  if (n === wanted.hit) process.kill(process.pid, 'SIGKILL');
}
