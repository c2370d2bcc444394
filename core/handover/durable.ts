/**
 * Files that count only when they are on disk: every file of a delivery's folder is fsynced (and hashed from what was
 * written, for the manifest), then the folders, and a folder or marker appears under its final name only by a rename
 * from a temporary name in the same folder, after which the parent folder is fsynced too. Windows cannot fsync a
 * folder (NTFS commits the rename in its journal); there the folder sync is skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder } from '../io/durable-file.js';
import { killPoint } from '../mailbox/kill-points.js';

export interface FileFacts {
  /** Relative to the delivery's folder, "/" between parts. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Hashes and fsyncs one file as it lies on disk. */
async function syncFile(file: string): Promise<{ size: number; sha256: string }> {
  const handle = await open(file, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1024 * 1024 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    await handle.sync();
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** Every file below `root` fsynced and described (sorted by path), then every folder, deepest first. */
export async function syncTree(root: string, skip: ReadonlySet<string> = new Set()): Promise<FileFacts[]> {
  const files: FileFacts[] = [];
  const walk = async (folder: string, rel: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, relPath);
      else if (entry.isFile() && !skip.has(relPath)) {
        files.push({ path: relPath, ...(await syncFile(full)) });
        killPoint('handover-file-synced');
      }
    }
    await syncFolder(folder);
  };
  await walk(root, '');
  return files;
}

/** The files below `root` as they are now (no sync): for checking a folder against its manifest. */
export async function describeTree(root: string, skip: ReadonlySet<string>): Promise<FileFacts[]> {
  const files: FileFacts[] = [];
  const walk = async (folder: string, rel: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, relPath);
      else if (!skip.has(relPath)) {
        const hash = createHash('sha256');
        let size = 0;
        const handle = await open(full, 'r');
        try {
          for await (const chunk of handle.createReadStream({ autoClose: false })) {
            hash.update(chunk as Buffer);
            size += (chunk as Buffer).length;
          }
        } finally {
          await handle.close();
        }
        files.push({ path: relPath, size, sha256: hash.digest('hex') });
      }
    }
  };
  await walk(root, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A small file written under a temporary name, fsynced and renamed to `name` in `folder` (then the folder fsynced).
 * Never replaces a file of that name: false when one is there already.
 */
export async function writeFileOnce(folder: string, name: string, bytes: Uint8Array): Promise<boolean> {
  const target = path.join(folder, name);
  if (await exists(target)) return false;
  const temp = path.join(folder, `.${name}.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    if (await exists(target)) return false;
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  await syncFolder(folder);
  return true;
}

/** Removes what a killed run left of `prefix` in `folder` (temporary folders and files of one delivery only). */
export async function removeLeftovers(folder: string, prefix: string): Promise<number> {
  let removed = 0;
  for (const entry of await readdir(folder)) {
    if (!entry.startsWith(prefix)) continue;
    await rm(path.join(folder, entry), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
