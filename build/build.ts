/**
 * `npm run build` (also the first half of `npm start`, `npm test`, `npm run bench`): builds what is older than its
 * sources and skips the rest (build/incremental/). With part names (`core`, `renderer`, `electron`) only those;
 * `--force` builds everything again regardless of the records.
 *
 *   tsx build/build.ts [core] [renderer] [electron] [--force]
 *
 * One line per step says whether it was built (and why) or skipped. Exit code 1 when a step failed (type errors are
 * printed as tsc prints them); later steps do not run then, as with the former `tsc && vite build && …` chain.
 */
import { PARTS, runStep, STEP_NAMES, type StepName } from './incremental/steps.js';

const args = process.argv.slice(2);
const force = args.includes('--force');
const parts = args.filter((a) => !a.startsWith('--'));
const unknown = parts.filter((p) => PARTS[p] === undefined);
if (unknown.length > 0) {
  process.stderr.write(`Unbekannter Teil / unknown part: ${unknown.join(', ')} (core, renderer, electron)\n`);
  process.exit(2);
}
const steps: StepName[] = parts.length === 0 ? [...STEP_NAMES] : STEP_NAMES.filter((s) => parts.some((p) => PARTS[p]?.includes(s)));

const started = Date.now();
let built = 0;
for (const step of steps) {
  const result = await runStep(step, { force });
  const seconds = (result.ms / 1000).toFixed(1);
  if (result.outcome === 'skipped') {
    process.stdout.write(`build ${step}: unverändert, übersprungen / unchanged, skipped\n`);
    continue;
  }
  if (result.outcome === 'failed') {
    process.stderr.write(`build ${step}: FEHLGESCHLAGEN / FAILED (${seconds} s)\n`);
    process.exit(1);
  }
  built++;
  process.stdout.write(`build ${step}: gebaut in ${seconds} s / built in ${seconds} s (${result.reason ?? ''})\n`);
}
if (built > 0)
  process.stdout.write(`build: ${built} von ${steps.length} Schritten gebaut, ${((Date.now() - started) / 1000).toFixed(1)} s / ${built} of ${steps.length} steps built\n`);
