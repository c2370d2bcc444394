/**
 * Preload of the kill test (`node --import` before dist/cli/main.js): installs the crash points of
 * core/mailbox/kill-points.ts. `POSTFACH_TEST_KILL_POINT=<name>[:<n>]` makes the process SIGKILL itself the n-th
 * time (default the first) it passes the named point. The program itself never reads this variable.
 */
import { installKillPoints, KILL_POINTS } from '../../dist/core/mailbox/kill-points.js';

const spec = process.env.POSTFACH_TEST_KILL_POINT ?? '';
const [name = '', count = '1'] = spec.split(':');
if (spec !== '') {
  if (!KILL_POINTS.includes(name)) throw new Error(`POSTFACH_TEST_KILL_POINT: unknown kill point ${name}`);
  const wanted = Number(count) || 1;
  let hits = 0;
  installKillPoints((point) => {
    if (point !== name) return;
    hits += 1;
    if (hits === wanted) process.kill(process.pid, 'SIGKILL');
  });
}
