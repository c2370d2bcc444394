/** core/io byte sources and the base64 streams the MIME layer relies on. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource, concatSources, fileSource, readAll, sliceSource, writeSourceToFile } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { base64DecodedSource, base64LinesLength, encodeBase64Lines } from '../../core/osci/mime/base64-stream.js';

const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff));

describe('byte sources', () => {
  it('slices and concatenations read any range', async () => {
    const src = concatSources([bufferSource(bytes.subarray(0, 1000)), sliceSource(bufferSource(bytes), 1000, 3000), bufferSource(bytes.subarray(3000))]);
    expect(src.size).toBe(5000);
    for (const [s, e] of [
      [0, 5000],
      [999, 1001],
      [2500, 4100],
      [4999, 5000],
      [7, 7],
    ] as const) {
      expect((await readAll(src, 1e6, { start: s, end: e })).equals(bytes.subarray(s, e))).toBe(true);
    }
    await expect(readAll(src, 100)).rejects.toThrow(RangeError);
  });

  it('files and spools give back exactly what was written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'osci-bs-'));
    try {
      const file = path.join(dir, 'x.bin');
      await writeSourceToFile(bufferSource(bytes), file);
      const f = await fileSource(file);
      expect((await readAll(f, 1e6, { start: 123, end: 4567 })).equals(bytes.subarray(123, 4567))).toBe(true);
      const scope = new SpoolScope(1000);
      const spooled = await scope.receive(
        (async function* () {
          for (let i = 0; i < bytes.length; i += 333) yield bytes.subarray(i, i + 333);
        })(),
      );
      expect(scope.spoolCount).toBe(1);
      expect((await readAll(spooled, 1e6, { start: 17, end: 4999 })).equals(bytes.subarray(17, 4999))).toBe(true);
      await scope.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('base64 lines: 76 characters, LF, exact predicted length; streamed decoding ignores line breaks', async () => {
    for (const n of [0, 1, 56, 57, 58, 114, 1000, 4999]) {
      const chunks: Buffer[] = [];
      for await (const c of encodeBase64Lines(bufferSource(bytes.subarray(0, n)).stream())) chunks.push(c);
      const text = Buffer.concat(chunks);
      expect(text.length).toBe(base64LinesLength(n));
      expect(
        text
          .toString()
          .split('\n')
          .every((l) => l.length <= 76),
      ).toBe(true);
      const decoded = await base64DecodedSource({
        size: text.length,
        stream: () =>
          (async function* () {
            for (let i = 0; i < text.length; i += 5) yield text.subarray(i, i + 5);
          })(),
      });
      expect((await readAll(decoded, 1e6)).equals(bytes.subarray(0, n))).toBe(true);
    }
  });
});
