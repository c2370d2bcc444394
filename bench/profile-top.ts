/**
 * The functions with the most self time in a V8 CPU profile (a .cpuprofile of `node --cpu-prof`), for
 * `npm run bench -- --profile` and the README's before/after list.
 *
 *   node dist/bench/profile-top.js FILE.cpuprofile [--top 10]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** Where a function lives, short: the package or the project file, with its line. */
function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '';
  const url = frame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  const file = pkg ? `${pkg[1]}/${pkg[2]}` : url.includes('/dist/') ? url.slice(url.lastIndexOf('/dist/') + 6) : url.replace(/^.*\/(core|cli|bench|intermediary)\//, '$1/');
  return `${file}:${frame.lineNumber + 1}`;
}

/** Self time per function (samples in the function itself, not in what it calls); idle and the GC are named too. */
export function topSelfTime(file: string, top = 10): { totalMs: number; idleMs: number; functions: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    if (ms === 0) continue;
    totalMs += ms;
    const f = node.callFrame;
    if (f.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const name = `${f.functionName || '(anonymous)'} ${where(f)}`.trim();
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  const busy = totalMs - idleMs;
  const functions = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((1000 * ms) / busy) / 10 }));
  return { totalMs: Math.round(totalMs), idleMs: Math.round(idleMs), functions };
}

export function formatTop(label: string, file: string, top = 10): string {
  const r = topSelfTime(file, top);
  return [
    `${label}: ${path.basename(file)} (${r.totalMs - r.idleMs} ms busy, ${r.idleMs} ms idle); top ${top} self time:`,
    ...r.functions.map((f, i) => `  ${String(i + 1).padStart(2)}. ${String(f.ms).padStart(6)} ms ${String(f.share).padStart(5)} %  ${f.name}`),
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 10;
  for (const file of args.filter((a, i) => a.endsWith('.cpuprofile') && args[i - 1] !== '--top')) process.stdout.write(`${formatTop('profile', file, top)}\n`);
}
