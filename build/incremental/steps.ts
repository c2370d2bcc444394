/**
 * The build steps of `npm run build` (and so of `npm start` and `npm test`), each run only when records.ts says its
 * record is stale:
 *
 *   core            tsc -p tsconfig.json               → dist/ (CLI, core, intermediary, bench)
 *   renderer-types  tsc -p renderer/tsconfig.json      (type check only)
 *   renderer        vite build (renderer/vite.config)  → dist/renderer/
 *   electron-types  tsc -p electron/tsconfig.json      (type check only)
 *   electron        build/build-electron.mjs (esbuild) → dist/electron/
 *
 * The TypeScript steps are incremental (a .tsbuildinfo beside the records), so a change checks again only what it
 * affects. Each step's inputs are what the tool itself reports having read — TypeScript's program files, Vite's module
 * graph, esbuild's metafile — so nothing is listed by hand that could drift from the imports.
 * Tools are loaded only when a step runs: an unchanged project starts without loading TypeScript, Vite or esbuild.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRecord, readRecord, staleReason, writeRecord, type BuildRecord, type FileStamp, type HashFn, type StatFn } from './records.js';
import { useZodBundle } from './zod-for-node.js';

/** This project; tests build a small project of their own elsewhere (the steps only need its configuration files). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const STEP_NAMES = ['core', 'renderer-types', 'renderer', 'electron-types', 'electron'] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** The parts `npm run build:<part>` names, each the steps it takes. */
export const PARTS: Readonly<Record<string, readonly StepName[]>> = {
  core: ['core'],
  renderer: ['renderer-types', 'renderer'],
  electron: ['electron-types', 'electron'],
};

interface StepResult {
  readonly ok: boolean;
  readonly inputs: readonly string[];
  readonly globbed?: readonly string[];
  readonly outputs: readonly string[];
}

/** File access relative to a project folder. */
function filesOf(root: string): { stat: StatFn; hash: HashFn } {
  return {
    stat: (file) => {
      const found = statSync(path.resolve(root, file), { throwIfNoEntry: false });
      return found === undefined ? undefined : ({ mtimeMs: found.mtimeMs, size: found.size } satisfies FileStamp);
    },
    hash: (file) => {
      try {
        return createHash('sha256')
          .update(readFileSync(path.resolve(root, file)))
          .digest('hex');
      } catch {
        return undefined;
      }
    },
  };
}

/** Records and TypeScript's incremental state live in dist/.build/ (gone with dist/, so a clean build is `rm -rf dist`). */
export const recordsDir = (root: string): string => path.join(root, 'dist', '.build');
const recordFile = (root: string, step: StepName): string => path.join(recordsDir(root), `${step}.json`);
const buildInfoFile = (root: string, step: StepName): string => path.join(recordsDir(root), `${step}.tsbuildinfo`);

/** The build scripts themselves: changing how a step builds makes every record stale. */
function scriptsHash(): string {
  const hash = createHash('sha256');
  const dir = path.dirname(fileURLToPath(import.meta.url));
  for (const file of [
    path.join(dir, '..', 'build.ts'),
    // the zod bundle's plugin (the core step's zod bundle, the Electron bundles)
    path.join(dir, '..', 'zod-without-locales.mjs'),
    ...readdirSync(dir)
      .sort()
      .map((f) => path.join(dir, f)),
  ]) {
    hash.update(path.basename(file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

let cachedHash: string | undefined;
export function stepKey(step: StepName): string {
  cachedHash ??= scriptsHash();
  return `${step}:${cachedHash}`;
}

/** Why `step` must run (undefined: current). */
export function stepStaleReason(step: StepName, root: string = projectRoot): string | undefined {
  const { stat, hash } = filesOf(root);
  return staleReason(readRecord(recordFile(root, step)), stepKey(step), stat, hash);
}

// ---- TypeScript (through its API: one process for every project, the program's files are the inputs) ----

async function typescriptStep(root: string, configFile: string, step: StepName, write: (text: string) => void): Promise<StepResult> {
  const ts = (await import('typescript')).default;
  const config = path.join(root, configFile);
  const diagnostics: import('typescript').Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    config,
    { incremental: true, tsBuildInfoFile: buildInfoFile(root, step) },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d) },
  );
  if (parsed === undefined) {
    report(ts, root, diagnostics, write);
    return { ok: false, inputs: [], outputs: [] };
  }
  const host = ts.createIncrementalCompilerHost(parsed.options);
  const program = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    ...(parsed.projectReferences ? { projectReferences: parsed.projectReferences } : {}),
    host,
  });
  // the order tsc reports in: configuration, options, syntax, then (only without syntax errors) types
  diagnostics.push(...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
  const syntactic = program.getSyntacticDiagnostics();
  diagnostics.push(...syntactic);
  if (syntactic.length === 0) diagnostics.push(...program.getSemanticDiagnostics());
  // emits even with type errors, as tsc does (noEmitOnError is off); noEmit projects write only the .tsbuildinfo
  diagnostics.push(...program.emit().diagnostics);
  report(ts, root, diagnostics, write);

  const configSource = parsed.options.configFile as import('typescript').TsConfigSourceFile | undefined;
  const inputs = [
    config,
    ...(configSource?.extendedSourceFiles ?? []),
    ...program
      .getProgram()
      .getSourceFiles()
      .map((f) => f.fileName),
  ];
  const ignoreCase = !ts.sys.useCaseSensitiveFileNames;
  const outputs = parsed.options.noEmit ? [] : parsed.fileNames.filter((f) => !f.endsWith('.d.ts')).flatMap((f) => ts.getOutputFileNames(parsed, f, ignoreCase));
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  return { ok: errors === 0, inputs, globbed: parsed.fileNames, outputs };
}

function report(ts: typeof import('typescript'), root: string, diagnostics: readonly import('typescript').Diagnostic[], write: (text: string) => void): void {
  if (diagnostics.length === 0) return;
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => root, getNewLine: () => ts.sys.newLine };
  write(process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : ts.formatDiagnostics(diagnostics, host));
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  if (errors > 0) write(`\nFound ${errors} error${errors === 1 ? '' : 's'}.\n`);
}

// ---- Vite (the renderer bundle; its module graph is the input list) ----

async function viteStep(root: string): Promise<StepResult> {
  const { build } = await import('vite');
  const modules = new Set<string>();
  const outputs: string[] = [];
  // The shipped UI is always React's production build. Vite takes the bundle's `process.env.NODE_ENV` (and the
  // React plugin its JSX runtime) from this process's NODE_ENV when one is set: vitest sets `test`, so a UI test
  // that built the renderer itself (ensureRendererBuilt, run alone after a change) got a development bundle — with
  // StrictMode's second mount of every screen — which the record then counted as current for `npm run build`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(root, 'renderer', 'vite.config.ts'),
      plugins: [
        {
          name: 'postfach-build-inputs',
          apply: 'build',
          buildEnd() {
            for (const id of this.getModuleIds()) modules.add(id);
          },
          writeBundle(options, bundle) {
            for (const file of Object.keys(bundle)) outputs.push(path.join(options.dir ?? path.join(root, 'dist', 'renderer'), file));
          },
        },
      ],
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // module ids are file paths, some with a query (?url) or virtual (\0…): keep the files
  const files = [...modules].map((id) => id.split('?')[0] ?? id).filter((id) => path.isAbsolute(id) && filesOf(root).stat(id) !== undefined);
  const viteFolder = path.join(root, 'build', 'vite');
  const configInputs = [
    path.join(root, 'renderer', 'vite.config.ts'),
    path.join(root, 'renderer', 'index.html'),
    // the TypeScript transform reads the nearest tsconfig
    path.join(root, 'renderer', 'tsconfig.json'),
    path.join(root, 'tsconfig.base.json'),
    ...readdirSync(viteFolder).map((f) => path.join(viteFolder, f)),
  ];
  // the renderer folder's own mtime: a public/ folder or another root file appears there
  return { ok: true, inputs: [...files, ...configInputs], globbed: [path.join(root, 'renderer', 'index.html')], outputs };
}

// ---- esbuild (the Electron bundles, in their own process as `npm run build:electron` always ran them) ----

function electronBundleStep(root: string, write: (text: string) => void): StepResult {
  const script = path.join(root, 'build', 'build-electron.mjs');
  const listFile = path.join(recordsDir(root), 'electron-inputs.json');
  rmSync(listFile, { force: true });
  const run = spawnSync(process.execPath, [script, '--inputs', listFile], { cwd: root, encoding: 'utf8' });
  if (run.stdout) write(run.stdout);
  if (run.stderr) write(run.stderr);
  if (run.status !== 0) return { ok: false, inputs: [], outputs: [] };
  const inputs = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
  rmSync(listFile, { force: true });
  const outputs = ['main.cjs', 'preload.cjs', 'service.cjs', 'fuses.cjs'].map((f) => path.join(root, 'dist', 'electron', f));
  // esbuild reads the tsconfig nearest to each file (electron/, and the root one for core/)
  const configs = ['tsconfig.json', 'tsconfig.base.json', path.join('electron', 'tsconfig.json')].map((f) => path.join(root, f));
  return { ok: true, inputs: [script, ...configs, ...inputs.map((i) => path.resolve(root, i))], outputs };
}

async function runStepTool(root: string, step: StepName, write: (text: string) => void): Promise<StepResult> {
  switch (step) {
    case 'core': {
      // tsc emits even with type errors: the emitted modules get the bundle either way
      const result = await typescriptStep(root, 'tsconfig.json', step, write);
      const bundle = await useZodBundle(root, result.inputs, result.outputs);
      return bundle === undefined ? result : { ...result, outputs: [...result.outputs, bundle] };
    }
    case 'renderer-types':
      return typescriptStep(root, path.join('renderer', 'tsconfig.json'), step, write);
    case 'renderer':
      return viteStep(root);
    case 'electron-types':
      return typescriptStep(root, path.join('electron', 'tsconfig.json'), step, write);
    case 'electron':
      return electronBundleStep(root, write);
  }
}

export interface StepOutcome {
  readonly step: StepName;
  /** 'skipped': its record was current; 'built' / 'failed': it ran. */
  readonly outcome: 'skipped' | 'built' | 'failed';
  /** Why it ran (the first difference found), or undefined when skipped. */
  readonly reason: string | undefined;
  readonly ms: number;
}

/**
 * Runs one step if it is stale (or `force`), and records its inputs when it succeeded. A step that failed leaves no
 * record, so the next run tries again.
 */
/** Now, by the clock the file system stamps files with (a file written at this moment gets this mtime or later). */
function fileSystemNow(root: string): number {
  const probe = path.join(recordsDir(root), '.clock');
  mkdirSync(path.dirname(probe), { recursive: true });
  writeFileSync(probe, '');
  return statSync(probe).mtimeMs;
}

export async function runStep(step: StepName, options: { readonly force?: boolean; readonly write?: (text: string) => void; readonly root?: string } = {}): Promise<StepOutcome> {
  const started = Date.now();
  const root = options.root ?? projectRoot;
  const { stat, hash } = filesOf(root);
  const startedOnDisk = fileSystemNow(root);
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const record: BuildRecord | undefined = options.force === true ? undefined : readRecord(recordFile(root, step));
  const reason = options.force === true ? 'forced' : staleReason(record, stepKey(step), stat, hash);
  if (reason === undefined) return { step, outcome: 'skipped', reason, ms: Date.now() - started };
  // without a trustworthy record, TypeScript's own incremental state may name outputs that are gone: start afresh
  if (record === undefined || reason.startsWith('output missing') || reason === 'build settings changed') rmSync(buildInfoFile(root, step), { force: true });
  rmSync(recordFile(root, step), { force: true });
  const result = await runStepTool(root, step, write);
  if (!result.ok) return { step, outcome: 'failed', reason, ms: Date.now() - started };
  writeRecord(
    recordFile(root, step),
    makeRecord({
      key: stepKey(step),
      root,
      inputs: result.inputs,
      ...(result.globbed ? { globbed: result.globbed } : {}),
      outputs: result.outputs,
      startedAt: startedOnDisk,
      stat,
      hash,
    }),
  );
  return { step, outcome: 'built', reason, ms: Date.now() - started };
}
