/**
 * Store benchmark: fills a store with synthetic deliveries (default 100,000, small content, every 20th with a small
 * attachment file) and measures list, filter, sort, search and count latency (p50/p95), the fill time, the
 * durable save latency (fsynced, as the fetch engine saves) and the time to open the full store.
 *
 *   npx tsx bench/store.ts [--count N] [--runs R] [--json] [--keep DIR]
 *
 * runStoreBench() is exported for `npm run bench`. All names and documents are invented.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostfachStore, type ListQuery, type NewDelivery } from '../core/store/index.js';

export interface LatencyFigure {
  readonly name: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Matches (total) of the query, so the figure can be judged. */
  readonly hits?: number;
}

export interface StoreBenchResult {
  readonly count: number;
  readonly fillSeconds: number;
  readonly fillPerSecond: number;
  readonly durableSave: LatencyFigure;
  readonly openSeconds: number;
  readonly databaseMiB: number;
  readonly queries: readonly LatencyFigure[];
}

/** Small deterministic PRNG (mulberry32), so every run fills the same store. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function measure(name: string, runs: number, work: () => number | void): LatencyFigure {
  work(); // warm-up: statement preparation and page cache
  const times: number[] = [];
  let hits: number | undefined;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const h = work();
    times.push(performance.now() - t);
    if (typeof h === 'number') hits = h;
  }
  times.sort((a, b) => a - b);
  return { name, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), ...(hits === undefined ? {} : { hits }) };
}

export const round = (n: number): number => Math.round(n * 100) / 100;

export async function runStoreBench(options: { count?: number; runs?: number; dir?: string; progress?: (line: string) => void } = {}): Promise<StoreBenchResult> {
  const count = options.count ?? 100_000;
  const runs = options.runs ?? 25;
  const progress = options.progress ?? (() => undefined);
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-store-'));
  const dbPath = path.join(dir, 'bench.db');
  const password = 'Bench-Passwort-2026';
  const random = prng(20261128);
  try {
    // fill: the same saveDelivery the fetch engine uses, without fsync per save (a bulk load)
    const { store: filling } = await PostfachStore.create(dbPath, { password, durableCommits: false, osUser: 'bench' });
    const fillStart = performance.now();
    for (let i = 0; i < count; i++) {
      const { id } = await filling.saveDelivery(syntheticDelivery(i, random));
      // workflow states in realistic shares: most done, some open, a few in the trash
      const r = random();
      if (r < 0.6) {
        filling.markTransferred(id);
      } else if (r < 0.75) {
        filling.recordExported(id, 'pdf');
      } else if (r < 0.92) {
        filling.openDelivery(id);
      } else if (r < 0.94) {
        filling.moveToTrash(id);
      }
      if (i > 0 && i % 10_000 === 0) progress(`  ${i} deliveries stored (${((performance.now() - fillStart) / 1000).toFixed(0)} s)`);
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    filling.close();

    const openStart = performance.now();
    const store = await PostfachStore.open(dbPath, { password });
    const openSeconds = (performance.now() - openStart) / 1000;

    // durable saves (fsync'd commit, as each fetched delivery is saved)
    const saveTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await store.saveDelivery(syntheticDelivery(count + i, random));
      saveTimes.push(performance.now() - t);
    }
    saveTimes.sort((a, b) => a - b);
    const durableSave: LatencyFigure = { name: 'saveDelivery (fsync, small content)', p50Ms: round(percentile(saveTimes, 50)), p95Ms: round(percentile(saveTimes, 95)) };

    const list = (q: ListQuery) => () => store.list(q).total;
    const pastedId = store.getDelivery(Math.floor(count / 2)).messageId;
    const queries: LatencyFigure[] = [
      measure('list: inbox first page (50, Eingang ↓) + total', runs, list({})),
      measure('counts for the folder pane', runs, () => store.counts().inbox),
      measure('filter: ungelesen', runs, list({ unread: true })),
      measure('filter: mit Anhängen', runs, list({ withAttachments: true })),
      measure('filter: nicht übertragen', runs, list({ notTransferred: true })),
      measure('filter: Zeitraum (one month)', runs, list({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })),
      measure('filter: Testanträge', runs, list({ test: true })),
      measure('filter: nicht lesbar', runs, list({ unreadable: true })),
      measure('filter: Papierkorb', runs, list({ trash: true })),
      measure('filter: ungelesen + mit Anhängen + Zeitraum', runs, list({ unread: true, withAttachments: true, from: '2025-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })),
      measure('sort: applicant ↑ first page', runs, list({ sort: 'applicant' })),
      measure('sort: benefit ↑ first page', runs, list({ sort: 'benefit' })),
      measure('sort: state ↑ first page', runs, list({ sort: 'state' })),
      measure('sort: Eingang ↑ first page', runs, list({ descending: false })),
      measure('page at offset 50,000 (Eingang ↓)', runs, list({ offset: 50_000 })),
      measure('page at offset 50,000 (applicant ↑)', runs, list({ sort: 'applicant', offset: 50_000 })),
      measure('search: common family name "Müller"', runs, list({ search: 'Müller' })),
      measure('search: full name "Lukasiewicz Karolina"', runs, list({ search: 'Lukasiewicz Karolina' })),
      measure('search: 3-letter prefix "sch"', runs, list({ search: 'sch' })),
      measure('search: content word "Lindenallee"', runs, list({ search: 'Lindenallee' })),
      measure('search: a pasted OSCI message id', runs, list({ search: pastedId })),
      measure('search + filter: "Öztürk" ungelesen, sorted by applicant', runs, list({ search: 'Öztürk', unread: true, sort: 'applicant' })),
      measure('open one message (record + audit)', runs, () => {
        store.openDelivery(1 + Math.floor(random() * count));
      }),
    ];
    store.close();
    const { statSync } = await import('node:fs');
    const databaseMiB = round(statSync(dbPath).size / 1024 / 1024);
    return { count, fillSeconds: round(fillSeconds), fillPerSecond: Math.round(count / fillSeconds), durableSave, openSeconds: round(openSeconds), databaseMiB, queries };
  } finally {
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function table(result: StoreBenchResult): string {
  const lines = [
    `Store benchmark — ${result.count.toLocaleString('en')} deliveries (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version})`,
    `fill (saveDelivery + state change, no fsync): ${result.fillSeconds} s = ${result.fillPerSecond}/s; database ${result.databaseMiB} MiB`,
    `open the full store (unlock, migrate check, orphan sweep): ${result.openSeconds} s`,
    `durable save (fsync'd commit): p50 ${result.durableSave.p50Ms} ms, p95 ${result.durableSave.p95Ms} ms`,
    '',
    `${'query'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'hits'.padStart(8)}`,
    ...result.queries.map((q) => `${q.name.padEnd(58)} ${String(q.p50Ms).padStart(8)} ${String(q.p95Ms).padStart(8)} ${String(q.hits ?? '').padStart(8)}`),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const json = process.argv.includes('--json');
  const result = await runStoreBench({
    count: arg('--count') === undefined ? undefined : Number(arg('--count')),
    runs: arg('--runs') === undefined ? undefined : Number(arg('--runs')),
    dir: arg('--keep'),
    progress: json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${table(result)}\n`);
}
