/** The original content, byte for byte, into a file (written beside the target and renamed when complete). */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileDurably } from '../io/durable-file.js';
import { toByteSource, type XmlSource } from '../xsozial/source.js';
import { sourceChanged, targetNotWritable } from './errors.js';

export interface WrittenFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export async function exportXml(source: XmlSource, outputPath: string): Promise<WrittenFile> {
  const bytes = toByteSource(source);
  const hash = createHash('sha256');
  let size = 0;
  const counted = async function* () {
    for await (const chunk of bytes.stream()) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  await writeAtomically(outputPath, (target) => pipeline(Readable.from(counted()), target));
  if (size !== bytes.size) {
    await rm(outputPath, { force: true });
    throw sourceChanged(`source delivered ${size} bytes, ${bytes.size} expected`);
  }
  return { path: outputPath, size, sha256: hash.digest('hex') };
}

/**
 * Writes through `write` into a temporary file beside `path`, fsyncs it, renames it into place and fsyncs the folder:
 * an export said to be written is on disk whole, never an empty or half file under the final name after a crash.
 */
export async function writeAtomically(path: string, write: (target: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  try {
    await writeFileDurably(path, write);
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw targetNotWritable(`${(error as NodeJS.ErrnoException).code ?? 'error'} writing the export file`, error);
    throw error;
  }
}
