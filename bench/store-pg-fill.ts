/**
 * Fills a PostgreSQL store that already runs (a kept cluster) with the store benchmark's synthetic deliveries,
 * through the store's own saveDelivery and the same draws as bench/store.ts, so the query half of the benchmark
 * can be run again and again on one filled database (`bench/store.ts --pg-url URL --data-key-file FILE`).
 *
 *   npx tsx bench/store-pg-fill.ts --pg-url URL --data-key-file FILE [--count N] [--connections C]
 */
import { readFileSync } from 'node:fs';
import { PgMailboxStore } from '../core/store-pg/index.js';
import { fillStore, prng } from './store.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const url = arg('--pg-url');
const keyFile = arg('--data-key-file');
if (url === undefined || keyFile === undefined) throw new Error('--pg-url URL --data-key-file FILE are needed');
const count = Number(arg('--count') ?? 100_000);
const connections = Number(arg('--connections') ?? 4);
const store = await PgMailboxStore.open({ connection: url, dataKey: readFileSync(keyFile), osUser: 'bench', maxConnections: connections, durableCommits: false });
try {
  const seconds = await fillStore(store, count, connections, prng(20261128), (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`filled ${count} deliveries in ${seconds.toFixed(0)} s (${Math.round(count / seconds)}/s)\n`);
} finally {
  await store.close();
}
