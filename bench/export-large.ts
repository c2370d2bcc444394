/**
 * Export of a large (default 50 MB) synthetic application with bounded memory: generates the XML into a temporary
 * file (streamed), then, in a fresh child process, reads it (readDelivery from a file source) and exports the PDF,
 * the XML and the attachments, and reports that process's peak RSS and the time of each step.
 *
 *   npx tsx bench/export-large.ts [--mb 50] [--keep DIR]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportAttachments, exportPdf, exportXml, type ReceiptFacts } from '../core/export/index.js';
import { fileSource, readDelivery } from '../core/xsozial/index.js';
import { generateApplication } from '../intermediary/generator/index.js';
import { peakRssKiB } from './peak-rss.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function exportStep(xmlPath: string, outDir: string): Promise<void> {
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
  t = Date.now();
  const pdf = await exportPdf(view, receipt, { source }, path.join(outDir, 'export.pdf'));
  timings.pdf = Date.now() - t;
  t = Date.now();
  await exportXml(source, path.join(outDir, 'export.xml'));
  timings.xml = Date.now() - t;
  t = Date.now();
  const files = await exportAttachments(source, view.documents, path.join(outDir, 'anhaenge'));
  timings.attachments = Date.now() - t;
  // VmHWM: getrusage's maxRSS would keep the spawning parent's high-water mark across exec
  const peak = peakRssKiB() * 1024;
  console.log(
    JSON.stringify({
      xmlBytes: source.size,
      documents: view.documents.length,
      pdfBytes: pdf.size,
      pdfPages: pdf.pages,
      pdfa: pdf.pdfa,
      attachments: files.length,
      timingsMs: timings,
      peakRssBytes: peak,
    }),
  );
}

async function main(): Promise<void> {
  if (args[0] === '--export-only') {
    await exportStep(args[1]!, args[2]!);
    return;
  }
  const targetMb = Number(arg('--mb') ?? '50');
  const dir = arg('--keep') ?? mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-'));
  try {
    const evidenceCount = 8;
    // base64 grows by 4/3; the platform PDF and the XML around it are small
    const evidenceSize = Math.floor((targetMb * 1024 * 1024 * 0.75) / evidenceCount);
    const t = Date.now();
    const app = await generateApplication({ service: 'hzl', seed: 'bench', evidence: { count: evidenceCount, size: evidenceSize } });
    const xmlPath = path.join(dir, 'antrag.xml');
    await app.writeFile(xmlPath);
    console.log(
      `generated ${mb(statSync(xmlPath).size)} with ${evidenceCount} evidence files of ${mb(evidenceSize)} in ${Date.now() - t} ms (generator peak RSS ${mb(process.resourceUsage().maxRSS * 1024)})`,
    );
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--export-only', xmlPath, dir], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`export step failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      peakRssBytes: number;
      timingsMs: Record<string, number>;
      pdfBytes: number;
      pdfPages: number;
      pdfa: boolean;
      attachments: number;
      xmlBytes: number;
    };
    console.log(
      `export of ${mb(result.xmlBytes)}: read ${result.timingsMs.read} ms, PDF ${result.timingsMs.pdf} ms (${mb(result.pdfBytes)}, ${result.pdfPages} pages, PDF/A ${result.pdfa}), XML ${result.timingsMs.xml} ms, ${result.attachments} attachments ${result.timingsMs.attachments} ms`,
    );
    console.log(`export process peak RSS: ${mb(result.peakRssBytes)}`);
  } finally {
    if (!arg('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
