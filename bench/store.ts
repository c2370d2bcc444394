/**
 * Store benchmark over both backends: fills a store with the same synthetic deliveries (default 100,000, small
 * content, every 20th with a small attachment file; the same seed and workflow shares) through the store's own
 * saveDelivery — the embedded SQLite store and the shared PostgreSQL store (a throw-away cluster,
 * core/store-pg/local-cluster.ts, durable settings: fsync on) — and measures on each the same list, filter, sort,
 * search and count queries (p50/p95), the fill time, the durable save latency (as the fetch engine saves) and the
 * time to open the full store. Both are driven through the one asynchronous MailboxStore interface the service uses
 * (SQLite through its adapter), so the two columns are the same calls.
 *
 *   npx tsx bench/store.ts [--backend sqlite|postgresql|both] [--count N] [--runs R] [--json] [--keep DIR]
 *                          [--pg-url URL --data-key-file FILE]   (a PostgreSQL store filled by bench/store-pg-fill.ts)
 *
 * runStoreBench() (one backend) and formatStoreFigures() (side by side) are used by `npm run bench` (section store).
 * All names and documents are invented.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostfachStore, SqliteMailboxStore, type ListQuery, type MailboxStore, type NewDelivery } from '../core/store/index.js';
import { PgMailboxStore, startLocalCluster, type LocalCluster } from '../core/store-pg/index.js';
import { seededRandom } from '../tests/helpers/seeded-random.js';

export type StoreBackend = 'sqlite' | 'postgresql';

export interface LatencyFigure {
  readonly name: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Matches (total) of the query, so the figure can be judged. */
  readonly hits?: number;
  /** CPU per call (mean over the runs): this process, and the database server's backends (PostgreSQL only). */
  readonly cpuMs?: { readonly client: number; readonly server?: number };
}

/**
 * CPU milliseconds the database server has used so far: every live child of the postmaster (backends, parallel
 * workers, autovacuum; /proc/<pid>/schedstat, nanoseconds) plus what its ended children used (the postmaster's
 * cutime + cstime, clock ticks) — so parallel workers, which live for one query, are counted too. Linux only (the
 * server runs on this machine); 0 elsewhere.
 */
function serverCpuMs(postmaster: number): number {
  const stat = (pid: string): string[] | undefined => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    } catch {
      return undefined;
    }
  };
  const own = stat(String(postmaster));
  if (own === undefined) return 0;
  const tick = 10; // USER_HZ 100 on Linux
  let ms = (Number(own[13]) + Number(own[14])) * tick; // cutime, cstime (fields 16, 17)
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(stat(pid)?.[1]) !== postmaster) continue; // ppid (field 4)
    try {
      ms += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0] ?? 0) / 1e6;
    } catch {
      // ended in between: its time is in cutime at the next probe
    }
  }
  return ms;
}

/** The postmaster of the store's server (the parent of the asking backend), for serverCpuMs. */
async function postmasterOf(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const text = readFileSync(`/proc/${rows[0]?.pid ?? 0}/stat`, 'utf8');
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  } finally {
    await client.end();
  }
}

export interface StoreBenchResult {
  readonly backend: StoreBackend;
  readonly count: number;
  readonly fillSeconds: number;
  readonly fillPerSecond: number;
  readonly durableSave: LatencyFigure;
  readonly openSeconds: number;
  readonly databaseMiB: number;
  readonly queries: readonly LatencyFigure[];
}

/** Small deterministic PRNG (mulberry32, the tests' seeded generator), so every run fills the same store. */
export const prng = seededRandom;

const FAMILY = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Öztürk',
  'Yılmaz',
  'Kaya',
  'Demir',
  'Şahin',
  'Łukasiewicz',
  'Kowalski',
  'Nowak',
  'Wiśniewski',
  'Nguyễn',
  'Trần',
  'Đorđević',
  'Jovanović',
  'Ødegård',
  'Groß',
  'Weiß',
  'Krause',
  'Lehmann',
  'Köhler',
  'Herrmann',
  'König',
  'Walter',
  'Mayer',
  'Huber',
  'Kaiser',
  'Fuchs',
  'Peters',
  'Lang',
  'Scholz',
  'Möller',
  'Weiß-Brandt',
  'Jung',
  'Hahn',
  'Vogel',
  'Friedrich',
  'Keller',
  'Günther',
  'Frank',
  'Berger',
  'Winkler',
];
const GIVEN = [
  'Anna',
  'Maria',
  'Emma',
  'Sophie',
  'Marie',
  'Lena',
  'Julia',
  'Laura',
  'Ayşe',
  'Fatma',
  'Elif',
  'Zeynep',
  'Jan',
  'Lukas',
  'Paul',
  'Felix',
  'Jonas',
  'Leon',
  'Max',
  'Mehmet',
  'Ahmet',
  'Thị Hoa',
  'Văn Minh',
  'Milica',
  'Jürgen',
  'Sören',
  'Änne',
  'Björn',
  'Karolina',
  'Piotr',
  'Olena',
  'Dmytro',
  'Amir',
  'Layla',
  'Noah',
  'Mia',
  'Ben',
  'Emilia',
  'Hannah',
  'Elias',
];
const BENEFITS = [
  ['HZL', 'Hilfe zum Lebensunterhalt'],
  ['GRUSI', 'Grundsicherung im Alter und bei Erwerbsminderung'],
  ['BUT', 'Bildung und Teilhabe'],
  ['ASYLBLG', 'Asylbewerberleistungen'],
  ['WBS', 'Wohnberechtigungsschein'],
] as const;
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Schulweg', 'Am Markt', 'Lindenallee', 'Gartenstraße', 'Kirchplatz', 'Mühlenweg'];

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/** OSCI message ids are random hex strings. */
function messageIdOf(random: () => number): string {
  return Array.from({ length: 4 }, () =>
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
}

export function syntheticDelivery(i: number, random: () => number): NewDelivery {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const family = pick(FAMILY);
  const given = pick(GIVEN);
  const [code, text] = pick(BENEFITS);
  const creation = START + Math.floor(random() * 700 * DAY);
  const household = Math.floor(random() * 4);
  const members = Array.from({ length: household }, () => `<mitglied><vorname>${pick(GIVEN)}</vorname><familienname>${family}</familienname></mitglied>`).join('');
  const content = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><antrag xmlns="urn:bench" leistung="${code}"><antragsteller><familienname>${family}</familienname>` +
      `<vorname>${given}</vorname><geburtsdatum>19${50 + Math.floor(random() * 50)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}</geburtsdatum>` +
      `<anschrift>${pick(STREETS)} ${1 + Math.floor(random() * 120)}, ${10000 + Math.floor(random() * 89999)} Beispielstadt</anschrift></antragsteller>` +
      `<haushalt>${members}</haushalt><einkommen>${Math.floor(random() * 3000)}</einkommen><kaltmiete>${300 + Math.floor(random() * 700)}</kaltmiete>` +
      `<iban>DE${String(Math.floor(random() * 1e20)).padStart(20, '0')}</iban><bemerkung>Synthetischer Antrag Nummer ${i}</bemerkung></antrag>`,
  );
  return {
    messageId: messageIdOf(random),
    subject: `Antrag ${text}`,
    content,
    contentType: 'application/xml',
    processCard: { creation: new Date(creation), forwarding: new Date(creation + 3_600_000), reception: new Date(creation + 3_700_000) },
    signatureResult: { valid: true },
    summary: {
      applicants: [`${family}, ${given}`],
      benefitCode: code,
      benefitText: text,
      applicationDate: new Date(creation - DAY).toISOString().slice(0, 10),
      isTest: random() < 0.01,
      signatureStatus: random() < 0.98 ? 'gueltig' : 'not-checkable',
    },
    attachments: i % 20 === 0 ? [{ name: 'Nachweis.pdf', mimeType: 'application/pdf', content: Buffer.from(`%PDF-1.4 Nachweis ${i}`) }] : [],
    unreadableReason: random() < 0.005 ? 'no-matching-key' : undefined,
    fetchedAt: new Date(creation + 3_600_000),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const round = (n: number): number => Math.round(n * 100) / 100;

async function measureCall(name: string, runs: number, work: () => Promise<number | void>, serverCpu?: () => number): Promise<LatencyFigure> {
  await work(); // warm-up: statement preparation, plans, page and buffer cache
  const times: number[] = [];
  let hits: number | undefined;
  const client = process.cpuUsage();
  const server = serverCpu?.() ?? 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const h = await work();
    times.push(performance.now() - t);
    if (typeof h === 'number') hits = h;
  }
  const clientUsed = process.cpuUsage(client);
  const cpuMs = {
    client: round((clientUsed.user + clientUsed.system) / 1000 / runs),
    ...(serverCpu === undefined ? {} : { server: round((serverCpu() - server) / runs) }),
  };
  times.sort((a, b) => a - b);
  return { name, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), ...(hits === undefined ? {} : { hits }), cpuMs };
}

type Step = 'transferred' | 'exported' | 'opened' | 'trashed' | undefined;

/** One backend under test: the bulk-loading store, the store opened again as a program opens it, its size. */
interface BenchBackend {
  /** Saves at once while filling (PostgreSQL: four connections, as a service would; SQLite: one writer). */
  readonly batch: number;
  fillStore(): Promise<MailboxStore>;
  openStore(): Promise<MailboxStore>;
  sizeMiB(): Promise<number>;
  dispose(): Promise<void>;
  /** The database server's postmaster (PostgreSQL on this machine), for the server's CPU time. */
  readonly postmaster?: () => Promise<number>;
}

/**
 * Fills a store with `count` synthetic deliveries through its own saveDelivery, `batch` at once, with their
 * workflow states; the draws come from `random` in a fixed order, so the same seed fills the same store. Seconds.
 */
export async function fillStore(filling: MailboxStore, count: number, batch: number, random: () => number, progress: (line: string) => void): Promise<number> {
  const fillStart = performance.now();
  for (let i = 0; i < count; i += batch) {
    // the same draws in the same order on both backends: the delivery, then its workflow state
    const group: Array<{ delivery: NewDelivery; step: Step }> = [];
    for (let k = i; k < Math.min(count, i + batch); k++) {
      const delivery = syntheticDelivery(k, random);
      // workflow states in realistic shares: most done, some open, a few in the trash
      const r = random();
      group.push({ delivery, step: r < 0.6 ? 'transferred' : r < 0.75 ? 'exported' : r < 0.92 ? 'opened' : r < 0.94 ? 'trashed' : undefined });
    }
    await Promise.all(
      group.map(async ({ delivery, step }) => {
        const { id } = await filling.saveDelivery(delivery);
        if (step === 'transferred') await filling.markTransferred(id);
        else if (step === 'exported') await filling.recordExported(id, 'pdf');
        else if (step === 'opened') await filling.openDelivery(id);
        else if (step === 'trashed') await filling.moveToTrash(id);
      }),
    );
    if (i > 0 && i % 10_000 < batch) progress(`${i} deliveries stored (${((performance.now() - fillStart) / 1000).toFixed(0)} s)`);
  }
  return (performance.now() - fillStart) / 1000;
}

const PASSWORD = 'Bench-Passwort-2026';

function sqliteBackend(dir: string): BenchBackend {
  const dbPath = path.join(dir, 'bench.db');
  return {
    batch: 1,
    // the same saveDelivery the fetch engine uses, without fsync per save (a bulk load)
    fillStore: async () => new SqliteMailboxStore((await PostfachStore.create(dbPath, { password: PASSWORD, durableCommits: false, osUser: 'bench' })).store),
    openStore: async () => new SqliteMailboxStore(await PostfachStore.open(dbPath, { password: PASSWORD })),
    sizeMiB: () => Promise.resolve(round(statSync(dbPath).size / 1024 / 1024)),
    dispose: () => Promise.resolve(),
  };
}

async function postgresqlBackend(): Promise<BenchBackend> {
  const cluster: LocalCluster = await startLocalCluster({ durable: true });
  const dataKey = randomBytes(32);
  const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database };
  return {
    batch: 4,
    // a bulk load, as SQLite is filled without fsync: commits not waited for
    fillStore: () => PgMailboxStore.open({ connection, dataKey, osUser: 'bench', maxConnections: 4, durableCommits: false }),
    openStore: () => PgMailboxStore.open({ connection, dataKey, osUser: 'bench' }),
    sizeMiB: async () => {
      const size = await cluster.client('psql', ['--dbname', cluster.url, '-At', '-c', 'SELECT pg_database_size(current_database())']);
      return round(Number(size.stdout.trim()) / 1024 / 1024);
    },
    dispose: async () => {
      dataKey.fill(0);
      await cluster.stop();
    },
    postmaster: () => postmasterOf(cluster.url),
  };
}

/** A store filled before and kept running (bench/store-pg-fill.ts), opened as the service opens it. */
function filledPostgresqlBackend(filled: { url: string; dataKey: Uint8Array }): BenchBackend {
  return {
    batch: 4,
    fillStore: () => Promise.reject(new Error('a filled store is not filled again')),
    openStore: () => PgMailboxStore.open({ connection: filled.url, dataKey: filled.dataKey, osUser: 'bench' }),
    sizeMiB: async () => {
      const client = new pg.Client({ connectionString: filled.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
        return round(Number(rows[0]?.size ?? 0) / 1024 / 1024);
      } finally {
        await client.end();
      }
    },
    dispose: () => Promise.resolve(),
    postmaster: () => postmasterOf(filled.url),
  };
}

/** The list, filter, sort, search and count queries, the same on both backends (names are the table's rows). */
async function measureQueries(store: MailboxStore, count: number, runs: number, random: () => number, serverCpu: (() => number) | undefined): Promise<LatencyFigure[]> {
  const measure = (name: string, times: number, work: () => Promise<number | void>) => measureCall(name, times, work, serverCpu);
  const list = (q: ListQuery) => async () => (await store.list(q)).total;
  const pastedId = (await store.list({ offset: Math.floor(count / 2), limit: 1 })).items[0]?.messageId ?? '';
  const ids = (await store.list({ limit: 1000 })).items.map((i) => i.id);
  // offset 50,000 of 100,000; a smaller store is asked half its size (the row's name says which)
  const deep = Math.min(50_000, Math.floor(count / 2));
  return [
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
    await measure(`page at offset ${deep.toLocaleString('en')} (Eingang ↓)`, runs, list({ offset: deep })),
    await measure(`page at offset ${deep.toLocaleString('en')} (applicant ↑)`, runs, list({ sort: 'applicant', offset: deep })),
    await measure('search: common family name "Müller"', runs, list({ search: 'Müller' })),
    await measure('search: full name "Lukasiewicz Karolina"', runs, list({ search: 'Lukasiewicz Karolina' })),
    await measure('search: 3-letter prefix "sch"', runs, list({ search: 'sch' })),
    // SQLite indexes the content's words, PostgreSQL only what stays readable (names, benefit): 0 hits there
    await measure('search: content word "Lindenallee"', runs, list({ search: 'Lindenallee' })),
    await measure('search: a pasted OSCI message id', runs, list({ search: pastedId })),
    await measure('search + filter: "Öztürk" ungelesen, sorted by applicant', runs, list({ search: 'Öztürk', unread: true, sort: 'applicant' })),
    await measure('open one message (record + audit)', runs, async () => {
      await store.openDelivery(ids[Math.floor(random() * ids.length)] ?? 1);
    }),
  ];
}

export async function runStoreBench(
  options: {
    backend?: StoreBackend;
    count?: number;
    runs?: number;
    dir?: string;
    progress?: (line: string) => void;
    /** A PostgreSQL store filled before (bench/store-pg-fill.ts): measured as it is, not filled again. */
    filledPg?: { url: string; dataKey: Uint8Array };
  } = {},
): Promise<StoreBenchResult> {
  const backendName = options.backend ?? 'sqlite';
  const count = options.count ?? 100_000;
  const runs = options.runs ?? 25;
  const progress = options.progress ?? (() => undefined);
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-store-'));
  const filled = backendName === 'postgresql' ? options.filledPg : undefined;
  const backend = backendName === 'sqlite' ? sqliteBackend(dir) : filled !== undefined ? filledPostgresqlBackend(filled) : await postgresqlBackend();
  // a filled store already holds the seed's deliveries: the saves below draw new message ids (each run adds 100)
  const random = filled === undefined ? prng(20261128) : prng(Date.now());
  try {
    let fillSeconds = NaN;
    if (filled === undefined) {
      const filling = await backend.fillStore();
      fillSeconds = await fillStore(filling, count, backend.batch, random, (line) => progress(`${backendName}: ${line}`));
      await filling.close();
    }

    const openStart = performance.now();
    const store = await backend.openStore();
    const openSeconds = (performance.now() - openStart) / 1000;
    let durableSave: LatencyFigure;
    let queries: LatencyFigure[];
    try {
      // durable saves one after the other (fsync'd / commit flushed, as each fetched delivery is saved)
      const saveTimes: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        await store.saveDelivery(syntheticDelivery(count + i, random));
        saveTimes.push(performance.now() - t);
      }
      saveTimes.sort((a, b) => a - b);
      durableSave = { name: 'saveDelivery (durable commit, small content)', p50Ms: round(percentile(saveTimes, 50)), p95Ms: round(percentile(saveTimes, 95)) };
      const postmaster = await backend.postmaster?.();
      queries = await measureQueries(store, count, runs, random, postmaster === undefined ? undefined : () => serverCpuMs(postmaster));
    } finally {
      await store.close();
    }
    const databaseMiB = await backend.sizeMiB();
    return {
      backend: backendName,
      count,
      fillSeconds: round(fillSeconds),
      fillPerSecond: Math.round(count / fillSeconds),
      durableSave,
      openSeconds: round(openSeconds),
      databaseMiB,
      queries,
    };
  } finally {
    await backend.dispose();
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

const LABEL: Readonly<Record<StoreBackend, string>> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

/** The figures of one or both backends, each query's row with every backend's p50 / p95 (hits) side by side. */
export function formatStoreFigures(results: readonly StoreBenchResult[]): string[] {
  const cpu = (q: LatencyFigure): string => (q.cpuMs === undefined ? '' : ` CPU ${q.cpuMs.client}${q.cpuMs.server === undefined ? '' : ` + ${q.cpuMs.server}`}`);
  const cell = (q: LatencyFigure | undefined): string =>
    q === undefined ? '—'.padStart(44) : `${String(q.p50Ms).padStart(7)} / ${String(q.p95Ms).padStart(7)} ms${q.hits === undefined ? '' : ` (${q.hits})`}${cpu(q)}`.padEnd(44);
  const names = [...new Set(results.flatMap((r) => r.queries.map((q) => q.name)))];
  return [
    ...results.map(
      (r) =>
        `${LABEL[r.backend]}: ${r.count.toLocaleString('en')} messages, ${r.databaseMiB} MiB; ${Number.isNaN(r.fillSeconds) ? 'filled before' : `fill ${r.fillSeconds} s = ${r.fillPerSecond}/s (${r.backend === 'sqlite' ? 'no fsync' : '4 connections, synchronous_commit off'})`}; opened in ${r.openSeconds} s; durable save p50 ${r.durableSave.p50Ms} ms, p95 ${r.durableSave.p95Ms} ms`,
    ),
    `  ${'query (p50 / p95, hits; CPU ms per call: this process + server)'.padEnd(58)} ${results.map((r) => `${LABEL[r.backend]} (${r.count.toLocaleString('en')})`.padEnd(44)).join(' ')}`,
    ...names.map((name) => `  ${name.padEnd(58)} ${results.map((r) => cell(r.queries.find((q) => q.name === name))).join(' ')}`),
    ...(results.some((r) => r.backend === 'postgresql')
      ? ['  (PostgreSQL searches only what stays readable — names, benefit, ids — not the encrypted content: the content word has no hits there)']
      : []),
  ];
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const json = process.argv.includes('--json');
  const which = arg('--backend') ?? 'both';
  if (which !== 'sqlite' && which !== 'postgresql' && which !== 'both') throw new Error(`--backend sqlite|postgresql|both, not ${which}`);
  // a kept, filled PostgreSQL store (bench/store-pg-fill.ts): measured without the fill
  const pgUrl = arg('--pg-url');
  const results: StoreBenchResult[] = [];
  const backends: readonly StoreBackend[] = which === 'both' ? ['sqlite', 'postgresql'] : [which];
  for (const backend of backends) {
    results.push(
      await runStoreBench({
        backend,
        count: arg('--count') === undefined ? undefined : Number(arg('--count')),
        runs: arg('--runs') === undefined ? undefined : Number(arg('--runs')),
        ...(backend === 'sqlite' && arg('--keep') !== undefined ? { dir: arg('--keep') } : {}),
        ...(backend === 'postgresql' && pgUrl !== undefined ? { filledPg: { url: pgUrl, dataKey: readFileSync(arg('--data-key-file') ?? '') } } : {}),
        progress: json ? undefined : (line) => process.stderr.write(`${line}\n`),
      }),
    );
  }
  process.stdout.write(
    json
      ? `${JSON.stringify(results, null, 2)}\n`
      : `Store benchmark (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version})\n${formatStoreFigures(results).join('\n')}\n`,
  );
}
