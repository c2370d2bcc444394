/**
 * Whether a build step must run again: each step records, when it succeeds, every file it read (path, mtime, size)
 * and the files it must have left behind. The step is current only if that record exists, was made by the same
 * build settings (`key`), every output is still there, and every input is unchanged — an mtime or a size that
 * differs in either direction (an edit, a checkout, a file restored from a backup) counts as a change.
 *
 * Files inside node_modules are not recorded one by one: the lockfiles (package-lock.json and npm's
 * node_modules/.package-lock.json, rewritten by every npm ci/install) stand for them. npm rewrites the lockfiles
 * without changing them too (a new mtime, the same bytes), so they are compared by content (SHA-256).
 *
 * A file that changed while the step ran may not be in its output; it is recorded as changed (mtime -1), so the
 * next run builds again. "While" is judged by the file system's own clock (the mtime of a file touched when the step
 * started), which is coarser than Date.now() and may lag it. Pure functions over `stat`/`hash` callbacks, so the
 * decision is unit-tested without a build.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FileStamp {
  readonly mtimeMs: number;
  readonly size: number;
}

/** The stamp of a file or folder, or undefined when it does not exist. */
export type StatFn = (file: string) => FileStamp | undefined;
/** The SHA-256 (hex) of a file's content, or undefined when it cannot be read. */
export type HashFn = (file: string) => string | undefined;

/** [mtimeMs, size] (size -1 for a folder), or [mtimeMs, size, sha256] for a file compared by content. */
export type InputStamp = readonly [number, number] | readonly [number, number, string];

export interface BuildRecord {
  readonly version: 1;
  /** The build settings the step ran with (its name, the build scripts' hash); another key means "build again". */
  readonly key: string;
  /** Input files and folders (a folder's mtime changes when a file is added or removed) → their stamps. */
  readonly inputs: Readonly<Record<string, InputStamp>>;
  /** Files the step must have produced. */
  readonly outputs: readonly string[];
}

/** Why the step must run, in a few words naming the first difference found; undefined when it is current. */
export function staleReason(record: BuildRecord | undefined, key: string, stat: StatFn, hash: HashFn): string | undefined {
  if (record === undefined) return 'never built';
  if (record.key !== key) return 'build settings changed';
  for (const output of record.outputs) if (stat(output) === undefined) return `output missing: ${output}`;
  for (const [file, [mtimeMs, size, sha256]] of Object.entries(record.inputs)) {
    const now = stat(file);
    if (now === undefined) return `removed: ${file}`;
    // folders: only the mtime says something (their size is the file system's business)
    if (size >= 0 && now.size !== size) return `changed: ${file}`;
    if (now.mtimeMs !== mtimeMs && (sha256 === undefined || hash(file) !== sha256)) return `changed: ${file}`;
  }
  return undefined;
}

/** Inside node_modules (stood for by the lockfiles). */
export function isDependencyFile(file: string): boolean {
  return file.split(/[\\/]/).includes('node_modules');
}

/**
 * The record of a step that started at `startedAt` (the file system's clock, ms since the epoch) and read `inputs` (files outside node_modules
 * are recorded, the lockfiles stand for the rest). `globbed`: the inputs a configuration found by a pattern
 * (tsconfig's include) rather than by an import — their folders are recorded too, since a file added beside them is
 * a new input.
 */
export function makeRecord(options: {
  readonly key: string;
  readonly root: string;
  readonly inputs: Iterable<string>;
  readonly globbed?: Iterable<string>;
  readonly outputs: readonly string[];
  readonly startedAt: number;
  readonly stat: StatFn;
  readonly hash: HashFn;
}): BuildRecord {
  const { root, stat } = options;
  const lockfiles = [path.join(root, 'package-lock.json'), path.join(root, 'node_modules', '.package-lock.json')];
  const inside = (file: string): string | undefined => {
    const absolute = path.resolve(root, file);
    return isDependencyFile(path.relative(root, absolute)) ? undefined : absolute;
  };
  // package.json's "type" decides how TypeScript, Vite and esbuild treat every .ts/.js file
  const files = new Set<string>([path.join(root, 'package.json')]);
  for (const input of options.inputs) {
    const file = inside(input);
    if (file !== undefined && !lockfiles.includes(file)) files.add(file);
  }
  const folders = new Set<string>();
  for (const input of options.globbed ?? []) {
    const file = inside(input);
    if (file !== undefined) folders.add(path.dirname(file));
  }
  const stamp = (file: string): readonly [number, number] | undefined => {
    const found = stat(file);
    if (found === undefined) return undefined; // e.g. no node_modules/.package-lock.json (an old npm): nothing to compare
    return [found.mtimeMs >= options.startedAt ? -1 : found.mtimeMs, found.size];
  };
  const inputs: Record<string, InputStamp> = {};
  for (const file of lockfiles) {
    const found = stamp(file);
    const sha256 = options.hash(file);
    if (found !== undefined && sha256 !== undefined) inputs[path.relative(root, file)] = [found[0], found[1], sha256];
  }
  for (const file of [...files].sort()) {
    const found = stamp(file);
    if (found !== undefined) inputs[path.relative(root, file)] = found;
  }
  for (const dir of [...folders].sort()) {
    const found = stamp(dir);
    // a folder's size says nothing: only its mtime is compared
    if (found !== undefined) inputs[`${path.relative(root, dir) || '.'}${path.sep}`] = [found[0], -1];
  }
  return { version: 1, key: options.key, inputs, outputs: options.outputs.map((o) => path.relative(root, path.resolve(root, o))) };
}

/** Reads a record; a missing, unreadable or foreign file is no record (the step then runs). */
export function readRecord(file: string): BuildRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuildRecord>;
    if (parsed.version !== 1 || typeof parsed.key !== 'string' || typeof parsed.inputs !== 'object' || !Array.isArray(parsed.outputs)) return undefined;
    return parsed as BuildRecord;
  } catch {
    return undefined;
  }
}

/** Writes a record through a temporary file and a rename (a build stopped half-way leaves the old or none). */
export function writeRecord(file: string, record: BuildRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record)}\n`);
  renameSync(temporary, file);
}
