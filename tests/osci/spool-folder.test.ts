/**
 * Issue 16: spool files (decrypted transport layers, large bodies) used to go into os.tmpdir()/postfach-spool-<pid>,
 * a name another user on a shared machine can create first and own. Now the folder is made by mkdtemp: a random
 * name created by this process, mode 0700; a folder of the old name placed there beforehand is never used.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateFolder } from '../../cli/private-folder.js';
import { SecureSpool, spoolDirectory } from '../../core/io/secure-spool.js';
import { PostfachError } from '../../core/errors.js';

const planted = path.join(os.tmpdir(), `postfach-spool-${process.pid}`);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'private-folder-'));
afterAll(() => {
  rmSync(planted, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('the spool folder', () => {
  it('is private and of an unpredictable name, whatever waits under the old fixed name', async () => {
    // "another user" was first: a world-writable folder of the old name (this file runs in a fresh module state)
    mkdirSync(planted, { recursive: true, mode: 0o777 });
    const spool = await SecureSpool.create();
    await spool.write(Buffer.from('vertraulich'));
    spool.finish();
    const dir = spoolDirectory();
    expect(path.dirname(spool.file)).toBe(dir);
    expect(dir).not.toBe(planted);
    expect(path.basename(dir)).toMatch(/^postfach-spool-[A-Za-z0-9]{6}$/);
    expect(readdirSync(planted)).toEqual([]);
    if (process.platform !== 'win32') {
      const stat = statSync(dir);
      expect(stat.mode & 0o777).toBe(0o700);
      expect(stat.uid).toBe(process.getuid?.());
      expect(statSync(spool.file).mode & 0o777).toBe(0o600);
    }
    await spool.release();
  });
});

describe.skipIf(process.platform === 'win32')('a reused folder of a fixed name (the demo folder in the temp folder)', () => {
  const kindOf = (dir: string): string => {
    try {
      ensurePrivateFolder(dir);
      return 'ok';
    } catch (error) {
      return error instanceof PostfachError ? `${error.kind}: ${error.detail}` : String(error);
    }
  };

  it("is created 0700 when missing and reused when it is this user's alone", () => {
    const dir = path.join(scratch, 'neu');
    expect(kindOf(dir)).toBe('ok');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(kindOf(dir)).toBe('ok');
  });

  it('is refused when others have access, or when it is a symbolic link', () => {
    const open = path.join(scratch, 'offen');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(kindOf(open)).toMatch(/^folder-not-private: folder has mode 777/);
    const target = path.join(scratch, 'ziel');
    mkdirSync(target, { mode: 0o700 });
    const link = path.join(scratch, 'verweis');
    symlinkSync(target, link);
    expect(kindOf(link)).toMatch(/^folder-not-private: folder is not a folder/);
  });

  // only root can give a folder away; elsewhere this case is covered by the uid comparison above
  it.skipIf(process.getuid?.() !== 0)('is refused when another user created it first', () => {
    const foreign = path.join(scratch, 'fremd');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 54321, 54321);
    expect(kindOf(foreign)).toMatch(/^folder-not-private: folder belongs to user id 54321/);
  });
});
