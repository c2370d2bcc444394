/**
 * The first page's files — index.html and the scripts and styles it names — held in memory by the bridge (about
 * 0.75 MB), keyed by their path on disk. Each is then sent in one step, where a file from disk takes several turns
 * of the bridge thread's event loop (stat, open, reads, close) while that thread loads the contract's checks and the
 * service host (issue 14, app start: the assets waited 100–300 ms on a busy machine).
 *
 * An update or rebuild in place replaces index.html and the hashed file names it points to: each request for
 * index.html compares the file's size and time with what was read, and reads the first page again when they differ.
 * The files of the earlier first page stay, so a page that was served it still gets the files it names.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolveStaticFile } from './static-files.js';

interface Snapshot {
  /** Size and modification time of index.html when it was read; undefined when there was none. */
  readonly stamp: string | undefined;
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface FirstPage {
  /** The file's bytes if it belongs to a first page read so far (for index.html: the current one). */
  get(file: string): Promise<Buffer | undefined>;
}

const stampOf = async (file: string): Promise<string | undefined> => {
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() === true ? `${info.size}:${info.mtimeMs}` : undefined;
};

async function readSnapshot(rendererDir: string, earlier: ReadonlyMap<string, Buffer>): Promise<Snapshot> {
  const files = new Map(earlier);
  const index = resolveStaticFile(rendererDir, '/');
  if (index === null) return { stamp: undefined, files };
  files.delete(index.file);
  const stamp = await stampOf(index.file);
  try {
    const html = await readFile(index.file);
    files.set(index.file, html);
    const named = [...html.toString('utf8').matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="\.?(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    await Promise.all(
      named.map(async (pathname) => {
        const resolved = resolveStaticFile(rendererDir, pathname);
        const bytes = resolved === null ? undefined : await readFile(resolved.file).catch(() => undefined);
        if (resolved !== null && bytes !== undefined) files.set(resolved.file, bytes);
      }),
    );
  } catch {
    // no index.html: served from disk (and answered 404 there) as before
  }
  return { stamp, files };
}

/** Reads the first page now (the bridge's start) and again when index.html changed on disk. */
export function firstPageOf(rendererDir: string): FirstPage {
  const indexFile = resolveStaticFile(rendererDir, '/')?.file;
  let current = readSnapshot(rendererDir, new Map());
  return {
    async get(file) {
      if (file === indexFile) {
        const [snapshot, stamp] = await Promise.all([current, stampOf(file)]);
        if (stamp !== snapshot.stamp) current = readSnapshot(rendererDir, snapshot.files);
      }
      return (await current).files.get(file);
    },
  };
}
