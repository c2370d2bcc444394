/**
 * Inline documents into a folder: one file each, streamed from the content, with safe predictable names whose
 * extension follows the detected content (file-names.ts: allow-list, else ".bin"); an existing file is never
 * overwritten (duplicates get " (2)", " (3)", ...), every written file's SHA-256 is checked against the view, and
 * each file carries the Mark-of-the-Web on Windows (mark-of-the-web.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { openDocument } from '../xsozial/read-delivery.js';
import type { XmlSource } from '../xsozial/source.js';
import type { DocumentView } from '../xsozial/view.js';
import { noFreeName, sourceChanged, targetNotWritable } from './errors.js';
import { inlineDocumentName, numbered } from './file-names.js';
import { markFromInternet } from './mark-of-the-web.js';

export interface ExportedAttachment {
  readonly documentId: string;
  readonly fileName: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** False: the content is of no allowed type and was written as ".bin". */
  readonly allowed: boolean;
}

export async function exportAttachments(source: XmlSource, documents: readonly DocumentView[], folder: string, names: FreeNames = new FreeNames()): Promise<ExportedAttachment[]> {
  await createFolder(folder);
  const out: ExportedAttachment[] = [];
  for (const doc of documents) {
    if (doc.problem?.kind === 'document-invalid') continue;
    const name = inlineDocumentName(doc);
    const written = await writeNewFile(folder, name.fileName, openDocument(source, doc), names);
    if (written.sha256 !== doc.sha256) throw sourceChanged(`attachment ${doc.ordinal}: SHA-256 differs from the view`);
    out.push({ documentId: doc.id, ...written, allowed: name.allowed });
  }
  return out;
}

/** Creates the folder the attachments go into (with its parents). */
export async function createFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw targetNotWritable(`cannot create the attachment folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
}

/**
 * The numbers already used for each name in one export. The sender names every document, so all of them may
 * carry the same name: without this, the n-th copy tried n−1 taken names first (50,000 copies: over a billion
 * attempts) and the 10,000th failed the whole export.
 */
export class FreeNames {
  private readonly next = new Map<string, number>();
  /** The first number worth trying for `base` in `folder`. */
  start(folder: string, base: string): number {
    return this.next.get(FreeNames.key(folder, base)) ?? 1;
  }
  used(folder: string, base: string, n: number): void {
    this.next.set(FreeNames.key(folder, base), n + 1);
  }
  /** Windows' file systems do not tell "Antrag.pdf" from "ANTRAG.PDF": one counter for both (and for both Unicode forms). */
  private static key(folder: string, base: string): string {
    return `${folder}\0${base.normalize('NFC').toLowerCase()}`;
  }
}

/**
 * Streams `chunks` into a new file in `folder` named after `base` (never overwriting: " (2)", " (3)", ...), synced
 * before it counts as written and then marked as coming from the Internet (Windows); a failure while writing removes
 * the partial file. `names`, shared by the files of one export, remembers which numbers are taken.
 */
export async function writeNewFile(
  folder: string,
  base: string,
  chunks: AsyncIterable<Uint8Array>,
  names: FreeNames = new FreeNames(),
): Promise<{ fileName: string; path: string; size: number; sha256: string }> {
  const { handle, fileName } = await createExclusive(folder, base, names);
  const target = path.join(folder, fileName);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(target, { force: true });
    throw error;
  }
  await handle.close();
  await markFromInternet(target);
  return { fileName, path: target, size, sha256: hash.digest('hex') };
}

/** Tries after the last number this export used for the name; names taken by others cost one attempt each. */
async function createExclusive(folder: string, base: string, names: FreeNames): Promise<{ handle: import('node:fs/promises').FileHandle; fileName: string }> {
  const start = names.start(folder, base);
  for (let n = start; n < start + 10_000; n++) {
    const fileName = numbered(base, n);
    try {
      const handle = await open(path.join(folder, fileName), 'wx', 0o600);
      names.used(folder, base, n);
      return { handle, fileName };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw targetNotWritable(`cannot create an attachment file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
      }
    }
  }
  throw noFreeName(`no free file name for ${base.length} characters of name after 10,000 attempts`);
}
