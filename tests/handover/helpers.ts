/**
 * Shared checks of the hand-over tests: the machine file that sets IT's `handoverFolder` for a `postfach` process,
 * and the reading of a hand-over folder as the case system would — every `<name>.done` with its folder, each file
 * hashed again and compared with the manifest, temporary names (starting with ".") never counted.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export interface ManifestJson {
  readonly format: string;
  readonly messageId: string;
  readonly storeId: number;
  readonly folder: string;
  readonly again?: number;
  readonly eingang: string;
  readonly benefit: { code: string | null; text: string | null };
  readonly applicants: string[];
  readonly signature: { status: string | null; coverage: string };
  readonly files: Array<{ path: string; size: number; sha256: string; role: string }>;
  readonly program: { name: string; version: string };
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A machine file (POSTFACH_MACHINE_CONFIG) that sets the hand-over folder, or none. */
export function machineConfig(file: string, handoverFolder: string | undefined): Record<string, string> {
  writeFileSync(file, JSON.stringify({ settings: handoverFolder === undefined ? {} : { handoverFolder } }));
  return { POSTFACH_MACHINE_CONFIG: file };
}

function filesBelow(dir: string, rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    return e.isDirectory() ? filesBelow(path.join(dir, e.name), r) : [r];
  });
}

/** One delivery's folder checked against its manifest: every file listed, each size and SHA-256 as written. */
export function verifiedFolder(root: string, name: string): { manifest: ManifestJson; manifestSha256: string } {
  const dir = path.join(root, name);
  const raw = readFileSync(path.join(dir, 'manifest.json'));
  const manifest = JSON.parse(raw.toString('utf8')) as ManifestJson;
  expect(manifest.format).toBe('osci-postfach-uebergabe');
  expect(manifest.folder).toBe(name);
  const onDisk = filesBelow(dir)
    .filter((f) => f !== 'manifest.json')
    .sort();
  expect(onDisk).toEqual(manifest.files.map((f) => f.path).sort());
  for (const f of manifest.files) {
    const bytes = readFileSync(path.join(dir, f.path));
    expect(bytes.length, `${name}/${f.path}`).toBe(f.size);
    expect(sha256(bytes), `${name}/${f.path}`).toBe(f.sha256);
  }
  return { manifest, manifestSha256: sha256(raw) };
}

export interface FolderState {
  /** name → manifest SHA-256, for every `<name>.done` (its folder verified). */
  readonly done: Map<string, string>;
  /** name → reason, for every `<name>.error`. */
  readonly errors: Map<string, string>;
  /** Folders without `.done` (a run stopped after the rename): verified complete too. */
  readonly undone: string[];
  /** Entries with a temporary name (starting with "."). */
  readonly temporary: string[];
}

/** The hand-over folder as the case system sees it; fails on anything incomplete under a final name. */
export function readHandoverFolder(root: string): FolderState {
  const entries = readdirSync(root);
  const done = new Map<string, string>();
  const errors = new Map<string, string>();
  const undone: string[] = [];
  const temporary = entries.filter((e) => e.startsWith('.'));
  for (const e of entries) {
    if (e.startsWith('.')) continue;
    if (e.endsWith('.done')) {
      const name = e.slice(0, -'.done'.length);
      const marker = JSON.parse(readFileSync(path.join(root, e), 'utf8')) as { folder: string; manifestSha256: string };
      expect(marker.folder).toBe(name);
      const { manifestSha256 } = verifiedFolder(root, name);
      expect(marker.manifestSha256).toBe(manifestSha256);
      done.set(name, manifestSha256);
    } else if (e.endsWith('.error')) {
      const marker = JSON.parse(readFileSync(path.join(root, e), 'utf8')) as { reason: string };
      errors.set(e.slice(0, -'.error'.length), marker.reason);
    } else {
      expect(statSync(path.join(root, e)).isDirectory(), `${e}: a file under a final name that is no marker`).toBe(true);
      verifiedFolder(root, e);
      if (!entries.includes(`${e}.done`)) undone.push(e);
    }
  }
  for (const name of errors.keys()) expect(entries.includes(name), `${name}: an error marker and a folder`).toBe(false);
  return { done, errors, undone, temporary };
}
