/**
 * Export of a large (default 50 MB) synthetic application with bounded memory: generates the XML into a temporary
 * file (streamed), then, in a fresh child process, reads it (readDelivery from a file source) and exports the XML,
 * the PDF and the attachments — in the order `postfach export --xml --pdf --attachments` asks its service for them
 * (cli/commands/mailbox.ts) — and reports that process's peak RSS and the time of each step. The export runs in a
 * worker thread with the V8 limits `postfach export` gives its service worker (core/api/service-limits.ts), as the
 * command does; `--main-thread` runs it on the main thread with V8's defaults instead (the earlier figure).
 * `--steps pdf` exports the PDF alone, `--steps pdf,xml,attachments` in the order this bench used until 2026-12-06.
 *
 *   npx tsx bench/export-large.ts [--mb 50] [--keep DIR] [--main-thread] [--steps xml,pdf,attachments]
 */
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { EXPORT_SERVICE_YOUNG_GENERATION_MB, SERVICE_HEAP_LIMIT_MB } from '../core/api/service-limits.js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReceiptFacts } from '../core/export/index.js';
import { peakRssKiB } from './peak-rss.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

type Step = 'xml' | 'pdf' | 'attachments';
/** The order in which `postfach export --xml --pdf --attachments` asks for the formats. */
const COMMAND_ORDER: readonly Step[] = ['xml', 'pdf', 'attachments'];

function stepsOf(text: string | undefined): Step[] {
  if (text === undefined) return [...COMMAND_ORDER];
  const steps = text.split(',').map((s) => s.trim());
  for (const step of steps) if (!(COMMAND_ORDER as readonly string[]).includes(step)) throw new Error(`--steps: unknown step ${step} (xml, pdf, attachments)`);
  return steps as Step[];
}

async function exportStep(xmlPath: string, outDir: string, steps: readonly Step[], report: (line: string) => void): Promise<void> {
  // loaded here, not at the top: the process that starts the export worker holds no export or generator code
  const { exportAttachments, exportPdf, exportXml } = await import('../core/export/index.js');
  const { fileSource, readDelivery } = await import('../core/xsozial/index.js');
  const timings: Record<string, number> = {};
  let t = Date.now();
  const source = await fileSource(xmlPath);
  const view = await readDelivery(source);
  timings.read = Date.now() - t;
  const receipt: ReceiptFacts = {
    messageId: 'bench0000000000000000000000000001',
    creation: '2026-11-28T16:02:11+01:00',
    forwarding: '2026-11-28T16:05:40+01:00',
    reception: '2026-11-28T16:05:41+01:00',
    sender: 'CN=Sozialplattform (Benchmark)',
    recipient: 'CN=Sozialamt Musterstadt (Benchmark)',
    signatures: [{ role: 'Inhaltsdaten (Autor)', signer: 'CN=Sozialplattform (Benchmark)', result: 'valid', certificate: 'trusted', revocationChecked: false }],
    inspections: [],
    contentSha256: '0'.repeat(64),
    contentSize: source.size,
  };
  let pdf: { size: number; pages: number; pdfa: boolean } | undefined;
  let attachments: number | undefined;
  for (const step of steps) {
    t = Date.now();
    if (step === 'pdf') pdf = await exportPdf(view, receipt, { source }, path.join(outDir, 'export.pdf'));
    else if (step === 'xml') await exportXml(source, path.join(outDir, 'export.xml'));
    else attachments = (await exportAttachments(source, view.documents, path.join(outDir, 'anhaenge'))).length;
    timings[step] = Date.now() - t;
  }
  // VmHWM: getrusage's maxRSS would keep the spawning parent's high-water mark across exec
  const peak = peakRssKiB() * 1024;
  report(
    JSON.stringify({
      xmlBytes: source.size,
      documents: view.documents.length,
      steps,
      pdfBytes: pdf?.size,
      pdfPages: pdf?.pages,
      pdfa: pdf?.pdfa,
      attachments,
      timingsMs: timings,
      peakRssBytes: peak,
    }),
  );
}

async function main(): Promise<void> {
  if (args[0] === '--export-only') {
    if (args.includes('--main-thread')) {
      await exportStep(args[1]!, args[2]!, stepsOf(arg('--steps')), (line) => console.log(line));
      return;
    }
    // the service worker of `postfach export` (cli/commands/mailbox.ts): same entry limits
    // from source (tsx), the worker registers tsx itself: Node 20 does not pass `--import` loaders on to workers
    const self = import.meta.url;
    const fromSource = self.endsWith('.ts');
    const worker = new Worker(fromSource ? `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(self)}); });` : fileURLToPath(self), {
      eval: fromSource,
      argv: ['--export-in-worker', args[1]!, args[2]!, ...(arg('--steps') === undefined ? [] : ['--steps', arg('--steps')!])],
      resourceLimits: { maxOldGenerationSizeMb: SERVICE_HEAP_LIMIT_MB, maxYoungGenerationSizeMb: EXPORT_SERVICE_YOUNG_GENERATION_MB },
    });
    let line = '';
    worker.on('message', (m: string) => (line = m));
    const code = await new Promise<number>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', resolve);
    });
    if (code !== 0 || !line) throw new Error(`export worker exited with ${code}`);
    // the whole process's high-water mark (both threads), read after the worker ended
    const result = JSON.parse(line) as Record<string, unknown>;
    console.log(JSON.stringify({ ...result, peakRssBytes: peakRssKiB() * 1024 }));
    return;
  }
  if (args[0] === '--export-in-worker') {
    const { parentPort } = await import('node:worker_threads');
    await exportStep(args[1]!, args[2]!, stepsOf(arg('--steps')), (line) => parentPort!.postMessage(line));
    return;
  }
  const targetMb = Number(arg('--mb') ?? '50');
  const dir = arg('--keep') ?? mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-'));
  try {
    const evidenceCount = 8;
    // base64 grows by 4/3; the platform PDF and the XML around it are small
    const evidenceSize = Math.floor((targetMb * 1024 * 1024 * 0.75) / evidenceCount);
    const t = Date.now();
    const { generateApplication } = await import('../intermediary/generator/index.js');
    const app = await generateApplication({ service: 'hzl', seed: 'bench', evidence: { count: evidenceCount, size: evidenceSize } });
    const xmlPath = path.join(dir, 'antrag.xml');
    await app.writeFile(xmlPath);
    console.log(
      `generated ${mb(statSync(xmlPath).size)} with ${evidenceCount} evidence files of ${mb(evidenceSize)} in ${Date.now() - t} ms (generator peak RSS ${mb(process.resourceUsage().maxRSS * 1024)})`,
    );
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--export-only',
        xmlPath,
        dir,
        ...(args.includes('--main-thread') ? ['--main-thread'] : []),
        ...(arg('--steps') === undefined ? [] : ['--steps', arg('--steps')!]),
      ],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`export step failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      peakRssBytes: number;
      timingsMs: Record<string, number>;
      steps: Step[];
      pdfBytes?: number;
      pdfPages?: number;
      pdfa?: boolean;
      attachments?: number;
      xmlBytes: number;
    };
    const done = result.steps.map((step) =>
      step === 'pdf'
        ? `PDF ${result.timingsMs.pdf} ms (${mb(result.pdfBytes ?? 0)}, ${result.pdfPages} pages, PDF/A ${result.pdfa})`
        : step === 'xml'
          ? `XML ${result.timingsMs.xml} ms`
          : `${result.attachments} attachments ${result.timingsMs.attachments} ms`,
    );
    console.log(`export of ${mb(result.xmlBytes)}: read ${result.timingsMs.read} ms, ${done.join(', ')}`);
    console.log(
      `export process peak RSS: ${mb(result.peakRssBytes)} = ${(result.peakRssBytes / 1e6).toFixed(1)} MB (${result.steps.join(', ')}; ${args.includes('--main-thread') ? 'main thread, V8 defaults' : `in a worker with postfach export's limits: young generation ${EXPORT_SERVICE_YOUNG_GENERATION_MB} MB`})`,
    );
  } finally {
    if (!arg('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
