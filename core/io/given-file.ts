/**
 * Reading a file the user named (on the command line or in the intermediary's configuration): the bytes, or a
 * PostfachError 'file-unreadable' naming only the error code and the file's base name (never its folder).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PostfachError } from '../errors.js';

/** Reads `file` whole; with `max`, a larger file is refused as unreadable (EFBIG). */
export function readGivenFile(file: string, max?: number): Buffer {
  try {
    const data = readFileSync(file);
    if (max !== undefined && data.length > max) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return data;
  } catch (cause) {
    throw new PostfachError(
      'file-unreadable',
      { de: 'Eine angegebene Datei kann nicht gelesen werden.', en: 'A given file cannot be read.' },
      `${(cause as NodeJS.ErrnoException).code ?? 'error'} reading ${path.basename(file)}`,
      { cause },
    );
  }
}
