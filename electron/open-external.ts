/**
 * "Im Standardprogramm öffnen" (issue 17): a private temporary copy of one document handed to the operating
 * system's program. The copy is written by the service's own single-document export — the content-derived name
 * (allow-listed extension or .bin), the Mark-of-the-Web on Windows, audited as "exportiert" — into a folder only
 * this user can read (mkdtemp, 0700), deleted when the program ends (and leftovers of an earlier run when it
 * starts). Before anything is written the service checks the bytes for active content
 * (core/xsozial/active-content.ts); with findings nothing happens until the caseworker, warned, accepts.
 *
 * Written against a contract client and two functions (make a private folder, open a path) so it runs in tests with
 * the real service and without Electron; main.ts passes Electron's `shell.openPath`.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PostfachApi } from '../core/api/api-types.js';
import type { MethodInput, MethodOutput } from '../core/api/contract.js';
import { PostfachError } from '../core/errors.js';

/** The prefix of the private folders in the temp folder (leftovers are found by it). */
export const PRIVATE_COPY_PREFIX = 'OSCI-Postfach-geoeffnet-';

export interface ExternalOpening {
  readonly api: Pick<PostfachApi, 'call'>;
  /** A new folder only this user can read, for one copy. */
  readonly privateFolder: () => Promise<string>;
  /** Electron's shell.openPath: '' when the system's program was started, else its error text. */
  readonly openPath: (file: string) => Promise<string>;
}

export async function openDocumentExternally(input: MethodInput<'document.openExternally'>, deps: ExternalOpening): Promise<MethodOutput<'document.openExternally'>> {
  const { findings } = await deps.api.call('messages.documentActiveContent', { id: input.id, document: input.document });
  if (findings.length > 0 && !input.acceptActive) return { opened: false, findings };
  const folder = await deps.privateFolder();
  const written = await deps.api.call('messages.export', { id: input.id, format: 'attachments', target: folder, document: input.document });
  const file = written.files[0]?.path;
  if (file === undefined)
    throw new PostfachError(
      'document-missing',
      { de: 'Das Dokument konnte nicht bereitgestellt werden.', en: 'The document could not be provided.' },
      'single-document export wrote no file',
    );
  const failed = await deps.openPath(file);
  if (failed !== '')
    throw new PostfachError(
      'open-external-failed',
      {
        de: 'Das Dokument konnte nicht im Standardprogramm geöffnet werden. Speichern Sie es und öffnen Sie es von dort.',
        en: 'The document could not be opened in the system’s program. Save it and open it from there.',
      },
      // the system's text names the program or the association, never the content
      `shell.openPath failed: ${failed.slice(0, 200)}`,
    );
  return { opened: true, findings };
}

/** The private folders of this run, removed when the program ends; leftovers of a run that crashed at the next start. */
export class PrivateCopies {
  private readonly made = new Set<string>();

  constructor(private readonly tempDir: string) {}

  async create(): Promise<string> {
    const folder = await mkdtemp(path.join(this.tempDir, PRIVATE_COPY_PREFIX));
    this.made.add(folder);
    return folder;
  }

  /**
   * Removes this run's folders, synchronously (the program is quitting: nothing waits for a promise). A program may
   * still hold a file open (Windows): what cannot go stays for the next start's `removeLeftovers`.
   */
  removeAll(): void {
    for (const folder of this.made) {
      try {
        rmSync(folder, { recursive: true, force: true });
      } catch {
        // kept for the next start
      }
    }
    this.made.clear();
  }

  /** Removes folders an earlier run left (a crash, a file still open at its end). */
  async removeLeftovers(): Promise<void> {
    const names = await readdir(this.tempDir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n.startsWith(PRIVATE_COPY_PREFIX) && !this.made.has(path.join(this.tempDir, n)))
        .map((n) => rm(path.join(this.tempDir, n), { recursive: true, force: true }).catch(() => undefined)),
    );
  }
}
