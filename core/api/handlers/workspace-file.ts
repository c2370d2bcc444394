/**
 * The caseworker's settings and the workspace state, kept in `<data folder>/workspace.json` so that they survive a
 * restart: language, background fetch interval, the window's arrangement (splitter, list density, day groups), which mailbox the program works on (real or Übungsmodus), and the
 * last fetch for the status bar. No personal data and no secrets go in here.
 *
 * Written atomically (temporary file, fsync, rename), read once at start; a missing or damaged file means the
 * defaults (a first start), never a failure: the settings are a convenience, the store holds what matters.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { syncFolderSync } from '../../io/durable-file.js';
import { settingsSchema, type Settings } from '../contract/app.js';
import { lastFetchSchema, uiLayoutSchema, workspaceModeSchema } from '../contract/workspace.js';

export const WORKSPACE_FILE = 'workspace.json';

const fileSchema = z.object({
  version: z.literal(1),
  settings: settingsSchema,
  mode: workspaceModeSchema,
  lastFetch: lastFetchSchema.nullable(),
  lastSuccessfulFetchAt: z.string().max(40).nullable(),
  /** Absent in files of older versions: the default arrangement; parts added later (groupByDay) may be absent too. */
  layout: uiLayoutSchema.partial().optional(),
});
export type WorkspaceData = z.infer<typeof fileSchema>;

export const DEFAULT_SETTINGS: Settings = { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true };

const defaults = (): WorkspaceData => ({ version: 1, settings: { ...DEFAULT_SETTINGS }, mode: 'unset', lastFetch: null, lastSuccessfulFetchAt: null });

export class WorkspaceFile {
  private data: WorkspaceData;
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, WORKSPACE_FILE);
    this.data = WorkspaceFile.read(this.file);
  }

  private static read(file: string): WorkspaceData {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return defaults();
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      // a file of an older or damaged shape: keep what still fits, default the rest
      const raw = JSON.parse(text) as Record<string, unknown>;
      const settings = settingsSchema.partial().safeParse(raw.settings);
      const mode = workspaceModeSchema.safeParse(raw.mode);
      return { ...defaults(), settings: { ...DEFAULT_SETTINGS, ...(settings.success ? settings.data : {}) }, mode: mode.success ? mode.data : 'unset' };
    } catch {
      return defaults();
    }
  }

  get(): WorkspaceData {
    return this.data;
  }

  update(change: (current: WorkspaceData) => WorkspaceData): WorkspaceData {
    const next = fileSchema.parse(change(this.data));
    this.write(next);
    this.data = next;
    return next;
  }

  private write(data: WorkspaceData): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temporary, this.file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    // the rename itself on disk (else a crash may bring the old settings back)
    syncFolderSync(path.dirname(this.file));
  }
}
