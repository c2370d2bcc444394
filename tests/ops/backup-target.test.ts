/**
 * The backup file's own rules, shared by the single-PC and the PostgreSQL backup (core/backup/backup-target.ts):
 * never over a file that is there, owner-only, the old file kept when a replace fails, nothing half-written left.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBackupTarget } from '../../core/backup/backup-target.js';
import { PostfachError } from '../../core/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'postfach-backup-target-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const failing = async (): Promise<never> => {
  await Promise.resolve();
  throw new Error('disk went away');
};

describe('writeBackupTarget', () => {
  it('writes a new owner-only file and returns what the writer returned', async () => {
    const file = path.join(dir, 'neu.pfbak');
    const result = await writeBackupTarget(file, false, async (out) => {
      await out.write(Buffer.from('OPFBAK'));
      return 42;
    });
    expect(result).toBe(42);
    expect(readFileSync(file, 'latin1')).toBe('OPFBAK');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is there, in German, and leaves it as it was', async () => {
    const file = path.join(dir, 'vorhanden.pfbak');
    writeFileSync(file, 'gestern');
    const error = await writeBackupTarget(file, false, async () => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostfachError);
    expect((error as PostfachError).kind).toBe('backup-io');
    expect((error as PostfachError).text.de).toMatch(/gibt es schon/);
    expect(readFileSync(file, 'utf8')).toBe('gestern');
  });

  it('removes the file it created when the writer fails', async () => {
    const file = path.join(dir, 'halb.pfbak');
    await expect(writeBackupTarget(file, false, failing)).rejects.toThrow('disk went away');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the old file when a replace fails, and leaves no temporary file', async () => {
    const file = path.join(dir, 'alt.pfbak');
    writeFileSync(file, 'gestern');
    await expect(writeBackupTarget(file, true, failing)).rejects.toThrow('disk went away');
    expect(readdirSync(dir)).toEqual(['alt.pfbak']);
    expect(readFileSync(file, 'utf8')).toBe('gestern');
  });

  it('replaces the old file only once the new one is complete', async () => {
    const file = path.join(dir, 'alt.pfbak');
    writeFileSync(file, 'gestern');
    await writeBackupTarget(file, true, async (out) => {
      // while the new backup is written, the old one is still there under its name
      expect(readFileSync(file, 'utf8')).toBe('gestern');
      await out.write(Buffer.from('heute'));
    });
    expect(readFileSync(file, 'utf8')).toBe('heute');
    expect(readdirSync(dir)).toEqual(['alt.pfbak']);
  });
});
