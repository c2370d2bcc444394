/**
 * Issue 16 "Bounded work on any file": a backup whose header asks for an absurd scrypt cost (N=2^14, r=8, p=640
 * took 52 s before "wrong password"; p=10^6 hours) is refused before any key is derived, with the German words of
 * a damaged backup and the reason for IT — in the library and on the command line. The store's key file and the
 * backup share one bound (core/store/scrypt-cost.ts).
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { verifyBackup } from '../../core/backup/backup.js';
import { BackupWriter, MAGIC } from '../../core/backup/format.js';
import { DEFAULT_SCRYPT, MAX_SCRYPT_WORK, scryptCostProblem } from '../../core/store/scrypt-cost.js';
import { ensureBuilt, FAST_SCRYPT, postfach, tempDir } from '../mailbox/helpers.js';
import { failure } from './helpers.js';

const root = tempDir('postfach-backup-bounds-');
const PASSWORD = 'Sicherung-Herbst-2026';

/** A small backup that verifies (stand-in store files and a manifest), written by the real writer. */
async function realBackup(file: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    const writer = await BackupWriter.start(handle, PASSWORD, { appVersion: '0.1.0-test', cost: FAST_SCRYPT });
    const entries = [];
    for (const name of ['store/database', 'store/keys.json']) {
      const data = Buffer.from(`Inhalt von ${name}`);
      entries.push(
        await writer.file(
          name,
          data.length,
          (async function* () {
            yield data;
          })(),
        ),
      );
    }
    await writer.finish({ entries, summary: { messages: 0 } });
  } finally {
    await handle.close();
  }
}

/** The same file with the header's kdf changed (length field rewritten; the chunks stay as they were). */
async function withKdf(source: string, target: string, kdf: Record<string, unknown>): Promise<void> {
  const bytes = await readFile(source);
  const length = bytes.readUInt32BE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8')) as { kdf: Record<string, unknown> };
  header.kdf = { ...header.kdf, ...kdf };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lengthField = Buffer.alloc(4);
  lengthField.writeUInt32BE(json.length);
  await writeFile(target, Buffer.concat([MAGIC, lengthField, json, bytes.subarray(12 + length)]));
}

const CRAFTED: Record<string, Record<string, unknown>> = {
  'p=640 (52 s before)': { N: 2 ** 14, r: 8, p: 640 },
  'p=10^6': { N: 2 ** 14, r: 8, p: 1_000_000 },
  'r=2^20 (memory)': { N: 2 ** 14, r: 2 ** 20, p: 1 },
  'N=2^22': { N: 2 ** 22, r: 8, p: 1 },
  'N not a power of two': { N: 100_000, r: 8, p: 1 },
  'p not a number': { N: 2 ** 14, r: 8, p: '640' },
};

describe('crafted backup headers', () => {
  it('are refused at once, before any key derivation, with a clear error', async () => {
    const good = path.join(root, 'echt.pfbak');
    await realBackup(good);
    await expect(verifyBackup(good, PASSWORD)).resolves.toBeDefined();
    for (const [name, kdf] of Object.entries(CRAFTED)) {
      const file = path.join(root, `${name.replace(/\W+/g, '-')}.pfbak`);
      await withKdf(good, file, kdf);
      const started = performance.now();
      const error = await failure(verifyBackup(file, PASSWORD));
      const ms = performance.now() - started;
      expect(error.kind, name).toBe('backup-corrupt');
      expect(error.text.de).toMatch(/^Die Sicherungsdatei ist beschädigt oder wurde verändert/);
      expect(error.detail, name).toMatch(/key derivation parameters out of range: scrypt/);
      // the check comes first: far below the ~40 ms of even the test's cheap N=1024 derivation
      expect(ms, name).toBeLessThan(50);
    }
  });

  it('refuses the same headers on the command line with exit code 1 and German words', async () => {
    ensureBuilt();
    const good = path.join(root, 'cli-echt.pfbak');
    await realBackup(good);
    const file = path.join(root, 'cli-p640.pfbak');
    await withKdf(good, file, { N: 2 ** 14, r: 8, p: 640 });
    const started = performance.now();
    const run = await postfach(['backup', 'verify', file], { POSTFACH_BACKUP_PASSWORD: PASSWORD });
    const ms = performance.now() - started;
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Fehler: Die Sicherungsdatei ist beschädigt oder wurde verändert/);
    // a whole CLI process start included: seconds at most, not the 52 s of the derivation
    expect(ms).toBeLessThan(15_000);
  }, 60_000);
});

describe('the scrypt bound', () => {
  it('lets the default and the test cost through and stops at four times the default work and 256 MiB', () => {
    expect(scryptCostProblem(DEFAULT_SCRYPT)).toBeUndefined();
    expect(scryptCostProblem(FAST_SCRYPT)).toBeUndefined();
    expect(scryptCostProblem({ N: 2 ** 17, r: 8, p: 4 })).toBeUndefined();
    expect(MAX_SCRYPT_WORK).toBe(2 ** 22);
    expect(scryptCostProblem({ N: 2 ** 17, r: 8, p: 5 })).toMatch(/N·r·p/);
    expect(scryptCostProblem({ N: 2 ** 18, r: 4, p: 1 })).toBeUndefined();
    expect(scryptCostProblem({ N: 2 ** 19, r: 8, p: 1 })).toMatch(/MiB/);
    expect(scryptCostProblem({ N: 1, r: 8, p: 1 })).toMatch(/power of two/);
    expect(scryptCostProblem({ N: 2 ** 14, r: 0, p: 1 })).toMatch(/positive integers/);
    expect(scryptCostProblem({ N: 2 ** 14, r: 8, p: 1.5 })).toMatch(/positive integers/);
  });

  it('is also what the writer keeps to: no header it would refuse to read', async () => {
    const handle = await open(path.join(root, 'zu-teuer.pfbak'), 'wx');
    try {
      await expect(BackupWriter.start(handle, PASSWORD, { appVersion: 'x', cost: { N: 2 ** 14, r: 8, p: 640 } })).rejects.toThrow(/N·r·p/);
    } finally {
      await handle.close();
    }
  });
});
