/**
 * The browser mode's file transfer (the desktop app has native open and save dialogs instead):
 *
 *  - uploads: a key (.p12) or certificate file chosen in the browser arrives as bytes and is kept, mode 0600, in
 *    `<data folder>/transfer/uploads/` until the set-up has read it (`discardUploads`, and every start). A .p12 is
 *    protected by its own password; certificates are public.
 *  - downloads: an export is written into a private folder `<data folder>/transfer/downloads/<id>/`, read back in
 *    chunks by the UI (which offers it as a browser download) and deleted when released, and on every start. The
 *    files are as readable as any export the caseworker saves; they live only for the moments of the download.
 *
 * Names given by the UI are reduced to plain file names (no folders, no characters Windows forbids).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError } from '../../errors.js';
import { UPLOAD_MAX_BYTES } from '../contract/workspace.js';

const transferError = (kind: 'transfer-unknown' | 'transfer-invalid', detail: string): PostfachError =>
  new PostfachError(
    kind,
    kind === 'transfer-unknown'
      ? { de: 'Die Datei ist nicht mehr vorhanden. Bitte den Vorgang wiederholen.', en: 'The file is no longer there. Please repeat the action.' }
      : { de: 'Die Datei konnte nicht übertragen werden.', en: 'The file could not be transferred.' },
    detail,
  );

/** A plain file name: no folders, no control characters or characters Windows forbids, not empty. */
export function plainFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[<>:"|?*\u0000-\u001f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return (cleaned === '' ? 'Datei' : cleaned).slice(0, 200);
}

export class TransferFolders {
  private readonly uploads: string;
  private readonly downloads: string;

  constructor(dataDir: string) {
    const root = path.join(dataDir, 'transfer');
    this.uploads = path.join(root, 'uploads');
    this.downloads = path.join(root, 'downloads');
    // left over from a previous run (a crash, a closed tab): nothing of it is needed any more
    rmSync(root, { recursive: true, force: true });
  }

  upload(kind: string, name: string, base64: string): { path: string; name: string; size: number } {
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length === 0 || bytes.length > UPLOAD_MAX_BYTES) throw transferError('transfer-invalid', `upload of ${bytes.length} bytes (${kind})`);
    mkdirSync(this.uploads, { recursive: true, mode: 0o700 });
    const folder = path.join(this.uploads, randomBytes(12).toString('base64url'));
    mkdirSync(folder, { mode: 0o700 });
    const shown = plainFileName(name);
    const file = path.join(folder, shown);
    writeFileSync(file, bytes, { mode: 0o600 });
    return { path: file, name: shown, size: bytes.length };
  }

  discardUploads(): number {
    let count: number;
    try {
      count = readdirSync(this.uploads).length;
    } catch {
      return 0;
    }
    rmSync(this.uploads, { recursive: true, force: true });
    return count;
  }

  /** `target` is the file to export into, or (attachments) the folder the exporter creates. */
  createDownload(fileName: string): { downloadId: string; target: string } {
    const downloadId = randomBytes(18).toString('base64url');
    const dir = path.join(this.downloads, downloadId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { downloadId, target: path.join(dir, plainFileName(fileName)) };
  }

  private folderOf(downloadId: string): string {
    const dir = path.join(this.downloads, downloadId);
    try {
      if (statSync(dir).isDirectory()) return dir;
    } catch {
      // fall through
    }
    throw transferError('transfer-unknown', `download ${downloadId.slice(0, 6)}… not found`);
  }

  /** The files the export wrote (a single file, or the files of an attachments folder). */
  files(downloadId: string): Array<{ name: string; size: number }> {
    const dir = this.folderOf(downloadId);
    const found: Array<{ name: string; size: number }> = [];
    const walk = (folder: string, prefix: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
        else if (entry.isFile()) found.push({ name: `${prefix}${entry.name}`, size: statSync(full).size });
      }
    };
    walk(dir, '');
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(downloadId: string, file: string, offset: number, length: number): Promise<{ offset: number; size: number; data: string; done: boolean }> {
    const dir = this.folderOf(downloadId);
    const wanted = path.resolve(dir, file);
    if (!wanted.startsWith(dir + path.sep)) throw transferError('transfer-invalid', 'file outside the download folder');
    let handle;
    try {
      handle = await open(wanted, 'r');
    } catch {
      throw transferError('transfer-unknown', 'download file not found');
    }
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = buffer.length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, buffer.length, offset);
      return { offset, size, data: buffer.subarray(0, bytesRead).toString('base64'), done: offset + bytesRead >= size };
    } finally {
      await handle.close();
    }
  }

  release(downloadId: string): boolean {
    const dir = path.join(this.downloads, downloadId);
    try {
      statSync(dir);
    } catch {
      return false;
    }
    rmSync(dir, { recursive: true, force: true });
    return true;
  }
}
