/**
 * The store benchmark on PostgreSQL: the same synthetic deliveries (same seed, same workflow shares) as bench/store.ts
 * fills the SQLite store with, saved through PgMailboxStore.saveDelivery into a throw-away cluster
 * (core/store-pg/local-cluster.ts, durable settings: fsync on), then the same list, filter, sort, search and count
 * queries measured (p50/p95), so the two can be read side by side.
 *
 *   npx tsx bench/store-pg.ts [--count N] [--runs R] [--json]
 *
 * runPgStoreBench() is exported for `npm run bench` (section store-pg). All names and documents are invented.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListQuery, NewDelivery } from '../core/store/index.js';
import { PgMailboxStore, startLocalCluster } from '../core/store-pg/index.js';
import { percentile, prng, round, syntheticDelivery, type LatencyFigure } from './store.js';

export interface PgStoreBenchResult {
  readonly count: number;
  readonly fillSeconds: number;
  readonly fillPerSecond: number;
  readonly durableSave: LatencyFigure;
  readonly openSeconds: number;
  readonly databaseMiB: number;
  readonly queries: readonly LatencyFigure[];
}

async function measure(name: string, runs: number, work: () => Promise<number | void>): Promise<LatencyFigure> {
  await work(); // warm-up: plans and buffer cache
  const times: number[] = [];
  let hits: number | undefined;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const h = await work();
    times.push(performance.now() - t);
    if (typeof h === 'number') hits = h;
  }
  times.sort((a, b) => a - b);
  return { name, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), ...(hits === undefined ? {} : { hits }) };
}

type Step = 'transferred' | 'exported' | 'opened' | 'trashed' | undefined;

export async function runPgStoreBench(options: { count?: number; runs?: number; progress?: (line: string) => void } = {}): Promise<PgStoreBenchResult> {
  const count = options.count ?? 100_000;
  const runs = options.runs ?? 25;
  const progress = options.progress ?? (() => undefined);
  const cluster = await startLocalCluster({ durable: true });
  const dataKey = randomBytes(32);
  const random = prng(20261128);
  try {
    const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database };
    // a bulk load, as bench/store.ts fills SQLite without fsync: commits not waited for
    const filling = await PgMailboxStore.open({ connection, dataKey, osUser: 'bench', maxConnections: 4, durableCommits: false });
    const fillStart = performance.now();
    // the same draws in the same order as bench/store.ts; saved four at a time (four connections, as a service would)
    const BATCH = 4;
    for (let i = 0; i < count; i += BATCH) {
      const batch: Array<{ delivery: NewDelivery; step: Step }> = [];
      for (let k = i; k < Math.min(count, i + BATCH); k++) {
        const delivery = syntheticDelivery(k, random);
        const r = random();
        batch.push({ delivery, step: r < 0.6 ? 'transferred' : r < 0.75 ? 'exported' : r < 0.92 ? 'opened' : r < 0.94 ? 'trashed' : undefined });
      }
      await Promise.all(
        batch.map(async ({ delivery, step }) => {
          const { id } = await filling.saveDelivery(delivery);
          if (step === 'transferred') await filling.markTransferred(id);
          else if (step === 'exported') await filling.recordExported(id, 'pdf');
          else if (step === 'opened') await filling.openDelivery(id);
          else if (step === 'trashed') await filling.moveToTrash(id);
        }),
      );
      if (i > 0 && i % 10_000 === 0) progress(`  ${i} deliveries stored (${((performance.now() - fillStart) / 1000).toFixed(0)} s)`);
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    await filling.close();

    const openStart = performance.now();
    const store = await PgMailboxStore.open({ connection, dataKey, osUser: 'bench' });
    const openSeconds = (performance.now() - openStart) / 1000;
    try {
      // durable saves one after the other (commit flushed by PostgreSQL, as each fetched delivery is saved)
      const saveTimes: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        await store.saveDelivery(syntheticDelivery(count + i, random));
        saveTimes.push(performance.now() - t);
      }
      saveTimes.sort((a, b) => a - b);
      const durableSave: LatencyFigure = { name: 'saveDelivery (durable commit, small content)', p50Ms: round(percentile(saveTimes, 50)), p95Ms: round(percentile(saveTimes, 95)) };

      const list = (q: ListQuery) => async () => (await store.list(q)).total;
      const someId = (await store.list({ offset: Math.floor(count / 2), limit: 1 })).items[0]?.messageId ?? '';
      const ids = (await store.list({ limit: 1000 })).items.map((i) => i.id);
      const deep = Math.min(50_000, Math.floor(count / 2));
      const queries: LatencyFigure[] = [
        await measure('list: inbox first page (50, Eingang ↓) + total', runs, list({})),
        await measure('counts for the folder pane', runs, async () => (await store.counts()).inbox),
        await measure('filter: ungelesen', runs, list({ unread: true })),
        await measure('filter: mit Anhängen', runs, list({ withAttachments: true })),
        await measure('filter: nicht übertragen', runs, list({ notTransferred: true })),
        await measure('filter: Zeitraum (one month)', runs, list({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })),
        await measure('filter: Testanträge', runs, list({ test: true })),
        await measure('filter: nicht lesbar', runs, list({ unreadable: true })),
        await measure('filter: Papierkorb', runs, list({ trash: true })),
        await measure('filter: ungelesen + mit Anhängen + Zeitraum', runs, list({ unread: true, withAttachments: true, from: '2025-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })),
        await measure('sort: applicant ↑ first page', runs, list({ sort: 'applicant' })),
        await measure('sort: benefit ↑ first page', runs, list({ sort: 'benefit' })),
        await measure('sort: state ↑ first page', runs, list({ sort: 'state' })),
        await measure('sort: Eingang ↑ first page', runs, list({ descending: false })),
        // bench/store.ts asks offset 50,000 (of 100,000); a smaller store is asked half its size, and says so
        await measure(`page at offset ${deep.toLocaleString('en')} (Eingang ↓)`, runs, list({ offset: deep })),
        await measure(`page at offset ${deep.toLocaleString('en')} (applicant ↑)`, runs, list({ sort: 'applicant', offset: deep })),
        await measure('search: common family name "Müller"', runs, list({ search: 'Müller' })),
        await measure('search: full name "Lukasiewicz Karolina"', runs, list({ search: 'Lukasiewicz Karolina' })),
        await measure('search: 3-letter prefix "sch"', runs, list({ search: 'sch' })),
        await measure('search: content word "Lindenallee" (not indexed here)', runs, list({ search: 'Lindenallee' })),
        await measure('search: a pasted OSCI message id', runs, list({ search: someId })),
        await measure('search + filter: "Öztürk" ungelesen, sorted by applicant', runs, list({ search: 'Öztürk', unread: true, sort: 'applicant' })),
        await measure('open one message (record + audit)', runs, async () => {
          await store.openDelivery(ids[Math.floor(random() * ids.length)] ?? 1);
        }),
      ];
      const size = await cluster.client('psql', ['--dbname', cluster.url, '-At', '-c', 'SELECT pg_database_size(current_database())']);
      const databaseMiB = round(Number(size.stdout.trim()) / 1024 / 1024);
      return { count, fillSeconds: round(fillSeconds), fillPerSecond: Math.round(count / fillSeconds), durableSave, openSeconds: round(openSeconds), databaseMiB, queries };
    } finally {
      await store.close();
    }
  } finally {
    dataKey.fill(0);
    await cluster.stop();
  }
}

function table(result: PgStoreBenchResult): string {
  return [
    `PostgreSQL store benchmark — ${result.count.toLocaleString('en')} deliveries (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version})`,
    `fill (saveDelivery + state change, 4 connections, synchronous_commit off): ${result.fillSeconds} s = ${result.fillPerSecond}/s; database ${result.databaseMiB} MiB`,
    `open (connect, migration check, key check): ${result.openSeconds} s`,
    `durable save: p50 ${result.durableSave.p50Ms} ms, p95 ${result.durableSave.p95Ms} ms`,
    '',
    `${'query'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'hits'.padStart(8)}`,
    ...result.queries.map((q) => `${q.name.padEnd(58)} ${String(q.p50Ms).padStart(8)} ${String(q.p95Ms).padStart(8)} ${String(q.hits ?? '').padStart(8)}`),
  ].join('\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const json = process.argv.includes('--json');
  const result = await runPgStoreBench({
    count: arg('--count') === undefined ? undefined : Number(arg('--count')),
    runs: arg('--runs') === undefined ? undefined : Number(arg('--runs')),
    progress: json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${table(result)}\n`);
}
