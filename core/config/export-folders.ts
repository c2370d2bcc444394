/**
 * The policy "allowed export folders": exports (PDF, XML, attachments, receipt, audit CSV, backup, acceptance record)
 * only into these folders and below. Checked on the real path (symbolic links and `..` resolved, the file's folder
 * must exist), case-insensitively on Windows.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import type { ResolvedConfig } from './load-config.js';

function real(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

function inside(child: string, parent: string, windows: boolean): boolean {
  const norm = (p: string) => (windows ? p.toLowerCase() : p);
  const rel = path.relative(norm(parent), norm(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Refuses a target outside the allowed folders (`export-folder-not-allowed`). `target` is the file (or, for
 * attachments, the folder) to be written; `alsoAllowed` are the program's own folders (browser-mode downloads).
 */
export function assertExportAllowed(config: ResolvedConfig | undefined, target: string, alsoAllowed: readonly string[] = [], platform: NodeJS.Platform = process.platform): void {
  const allowed = config?.values.allowedExportFolders ?? [];
  if (allowed.length === 0) return;
  const windows = platform === 'win32';
  const absolute = path.resolve(target);
  // the nearest existing ancestor decides (the target itself may not exist yet); links and `..` resolved
  let probe = absolute;
  const tail: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      existing = path.join(realpathSync.native(probe), ...[...tail].reverse());
      break;
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) break;
      tail.push(path.basename(probe));
      probe = parent;
    }
  }
  const candidates = [...allowed, ...alsoAllowed].map(real);
  if (candidates.some((folder) => inside(existing, folder, windows))) return;
  throw new PostfachError(
    'export-folder-not-allowed',
    {
      de: `Exporte sind von Ihrer IT nur in bestimmte Ordner erlaubt: ${allowed.join('; ')}. Bitte einen dieser Ordner wählen.`,
      en: `Your IT allows exports only into certain folders: ${allowed.join('; ')}. Please choose one of them.`,
    },
    `target outside allowedExportFolders (${config?.state.allowedExportFolders.source ?? 'default'})`,
  );
}
