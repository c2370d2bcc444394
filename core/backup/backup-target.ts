/**
 * The backup file itself, the same for the single-PC store and the team's store on PostgreSQL: created new and
 * owner-only, never written over a file that is there — unless the user chose to replace it, then a temporary file
 * beside it is renamed over it only once complete, so on failure the old file stays as it was. The file is synced
 * before it counts, and on any failure the half-written file is removed: only a file this call created.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import { syncFolder } from '../io/durable-file.js';
import { backupError } from './format.js';

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? 'error';

/** Opens `target` (or its temporary twin), lets `write` fill it, then makes it durable under the target's name. */
export async function writeBackupTarget<T>(target: string, replace: boolean, write: (out: FileHandle) => Promise<T>): Promise<T> {
  const name = path.basename(target);
  const written = replace ? `${target}.${randomBytes(6).toString('hex')}.part` : target;
  let out: FileHandle | undefined;
  try {
    out = await open(written, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new PostfachError(
        'backup-io',
        {
          de: 'Diese Sicherungsdatei gibt es schon. Sie wird nicht überschrieben; bitte einen anderen Namen wählen.',
          en: 'This backup file already exists. It is not overwritten; please choose another name.',
        },
        `backup file ${name}: EEXIST`,
        { cause: error },
      );
    }
    throw backupError('backup-io', `backup file ${name}: ${codeOf(error)}`, error);
  }
  try {
    const result = await write(out);
    await out.sync();
    await out.close();
    out = undefined;
    if (replace) {
      try {
        await rename(written, target);
        await syncFolder(path.dirname(target));
      } catch (error) {
        throw backupError('backup-io', `backup file ${name}: replacing the existing file: ${codeOf(error)}`, error);
      }
    }
    return result;
  } catch (error) {
    await out?.close().catch(() => undefined);
    await rm(written, { force: true }).catch(() => undefined);
    throw error;
  }
}
