/**
 * Writes a pdf-lib document to a file object by object (classic cross-reference table), without building the
 * whole file in memory as pdf-lib's save() does, and appends one embedded-file stream whose bytes are deflated
 * straight from a byte source (the original XML, tens of MB) with its /Length as a separate object.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import type { PDFDocument, PDFObject, PDFRef } from 'pdf-lib';
import type { ByteSource } from '../../io/byte-source.js';

export interface StreamedEmbeddedFile {
  /** Reserved with context.nextRef(): the embedded file stream. */
  readonly ref: PDFRef;
  /** Reserved with context.nextRef(): its /Length. */
  readonly lengthRef: PDFRef;
  /** Dictionary entries of the stream besides /Length and /Filter, already serialised (e.g. "/Type /EmbeddedFile ..."). */
  readonly dictEntries: string;
  readonly source: ByteSource;
}

export async function writePdf(doc: PDFDocument, path: string, embedded?: StreamedEmbeddedFile): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const writer = new Writer(out);
  try {
    const ctx = doc.context;
    const offsets = new Map<number, { offset: number; generation: number }>();
    await writer.write(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'));
    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      offsets.set(ref.objectNumber, { offset: writer.position, generation: ref.generationNumber });
      await writer.write(Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'));
      await writer.write(serialise(obj));
      await writer.write(Buffer.from('\nendobj\n', 'latin1'));
    }
    if (embedded) {
      offsets.set(embedded.ref.objectNumber, { offset: writer.position, generation: 0 });
      await writer.write(Buffer.from(`${embedded.ref.objectNumber} 0 obj\n<< ${embedded.dictEntries} /Filter /FlateDecode /Length ${embedded.lengthRef.objectNumber} 0 R >>\nstream\n`, 'latin1'));
      const start = writer.position;
      const deflate = createDeflate({ level: 6 });
      const pump = (async () => {
        for await (const chunk of embedded.source.stream()) {
          if (!deflate.write(chunk)) await once(deflate, 'drain');
        }
        deflate.end();
      })();
      for await (const chunk of deflate) await writer.write(chunk as Buffer);
      await pump;
      const length = writer.position - start;
      await writer.write(Buffer.from('\nendstream\nendobj\n', 'latin1'));
      offsets.set(embedded.lengthRef.objectNumber, { offset: writer.position, generation: 0 });
      await writer.write(Buffer.from(`${embedded.lengthRef.objectNumber} 0 obj\n${length}\nendobj\n`, 'latin1'));
    }
    const size = Math.max(ctx.largestObjectNumber, ...offsets.keys()) + 1;
    const xrefAt = writer.position;
    // free entries (objects deleted after page import) form the linked list the format asks for
    const free: number[] = [];
    for (let n = 1; n < size; n++) if (!offsets.has(n)) free.push(n);
    const nextFree = (n: number) => String(free.find((f) => f > n) ?? 0).padStart(10, '0');
    const lines = [`xref\n0 ${size}\n`, `${nextFree(0)} 65535 f \n`];
    for (let n = 1; n < size; n++) {
      const entry = offsets.get(n);
      lines.push(entry ? `${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n \n` : `${nextFree(n)} 00001 f \n`);
    }
    const t = ctx.trailerInfo;
    const trailer = [`/Size ${size}`, `/Root ${String(t.Root)}`];
    if (t.Info) trailer.push(`/Info ${String(t.Info)}`);
    if (t.ID) trailer.push(`/ID ${String(t.ID)}`);
    lines.push(`trailer\n<< ${trailer.join(' ')} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    await writer.write(Buffer.from(lines.join(''), 'latin1'));
    await writer.end();
    return writer.position;
  } catch (error) {
    out.destroy();
    throw error;
  }
}

function serialise(obj: PDFObject): Buffer {
  const buffer = Buffer.alloc(obj.sizeInBytes());
  obj.copyBytesInto(buffer, 0);
  return buffer;
}

class Writer {
  position = 0;
  constructor(private readonly out: WriteStream) {}

  async write(chunk: Buffer): Promise<void> {
    this.position += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async end(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}
