/**
 * Files that must survive a power cut once they appear under their name: the content is fsynced before the rename
 * that puts it in place, and the folder is fsynced after it (else the rename itself may be lost, or a file of the
 * final name may come back empty after the crash). Windows cannot open a folder for fsync; NTFS commits the rename in
 * its journal, so the folder sync is skipped there.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** fsync of a file already written (and closed or not) by whatever wrote it. */
export async function syncFile(file: string): Promise<void> {
  // r+: Windows flushes only a handle opened for writing
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a folder (its entries: a rename into it); skipped on Windows. */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The same as syncFolder, for the synchronous writers of small settings files. */
export function syncFolderSync(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with `content` atomically and durably: a temporary file beside it (mode 0600, never an existing
 * one), fsynced, renamed over it, the folder fsynced. On failure the temporary file is removed and the old file
 * stays as it was.
 */
export function replaceFileSync(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolderSync(path.dirname(file));
}

/**
 * Writes through `write` into a temporary file beside `file` (mode 0600, never an existing one), fsyncs it, renames
 * it into place and fsyncs the folder: a file said to be written is on disk whole, never empty or half under its
 * name after a crash. On failure the temporary file is removed and the error passed on as it came.
 */
export async function writeFileDurably(file: string, write: (target: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.part`;
  try {
    await write(createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    await syncFile(temp);
    await rename(temp, file);
    await syncFolder(path.dirname(file));
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
