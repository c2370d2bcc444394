/**
 * Writes a pdf-lib document to a file object by object (classic cross-reference table), without building the
 * whole file in memory as pdf-lib's save() does, and appends one embedded-file stream whose bytes are deflated
 * straight from a byte source (the original XML, tens of MB) with its /Length as a separate object. Objects can be
 * written ahead and dropped from the document (PdfFileWriter.writeObjects), so a large export never holds all
 * its imported pages at once.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import { PDFRawStream, type PDFDocument, type PDFObject, type PDFRef } from 'pdf-lib';
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

/**
 * A PDF file written in parts: objects may be written early (the imported pages of one evidence PDF, as soon as
 * they are made, so that never more than one document's pages are in memory: export-pdf.ts) and are then deleted
 * from the document; `finish` writes every object still in the document, the embedded file, the cross-reference
 * table (over all objects written) and the trailer.
 */
export class PdfFileWriter {
  private readonly offsets = new Map<number, { offset: number; generation: number }>();
  private readonly writer: Writer;
  private started = false;

  constructor(private readonly out: WriteStream) {
    this.writer = new Writer(out);
  }

  /** Creates the file (never overwriting one). */
  static create(path: string): PdfFileWriter {
    return new PdfFileWriter(createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  }

  private async header(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.writer.write(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'));
  }

  /** Writes these indirect objects now (the caller deletes them from the document afterwards). */
  async writeObjects(objects: Iterable<readonly [PDFRef, PDFObject]>): Promise<void> {
    await this.header();
    for (const [ref, obj] of objects) {
      this.offsets.set(ref.objectNumber, { offset: this.writer.position, generation: ref.generationNumber });
      await this.writer.write(Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'));
      if (obj instanceof PDFRawStream && obj.contents.length > LARGE_STREAM_BYTES) {
        // an image or an imported page's content: its bytes go out as they are, not copied into one more buffer
        obj.updateDict(); // its /Length, as pdf-lib's own serialisation sets it
        await this.writer.write(serialise(obj.dict));
        await this.writer.write(Buffer.from('\nstream\n', 'latin1'));
        await this.writer.write(Buffer.from(obj.contents.buffer, obj.contents.byteOffset, obj.contents.byteLength));
        await this.writer.write(Buffer.from('\nendstream', 'latin1'));
      } else {
        await this.writer.write(serialise(obj));
      }
      await this.writer.write(Buffer.from('\nendobj\n', 'latin1'));
    }
  }

  /**
   * Resolves when every byte written so far has left for the file (the write stream keeps references to the
   * chunks it has not written yet): after this the memory they came from may be reused (DocumentBuffer).
   */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** Writes the rest of the document and ends the file; returns its size in bytes. */
  async finish(doc: PDFDocument, embedded?: StreamedEmbeddedFile): Promise<number> {
    const writer = this.writer;
    const offsets = this.offsets;
    const ctx = doc.context;
    await this.writeObjects(ctx.enumerateIndirectObjects());
    if (embedded) {
      offsets.set(embedded.ref.objectNumber, { offset: writer.position, generation: 0 });
      await writer.write(
        Buffer.from(`${embedded.ref.objectNumber} 0 obj\n<< ${embedded.dictEntries} /Filter /FlateDecode /Length ${embedded.lengthRef.objectNumber} 0 R >>\nstream\n`, 'latin1'),
      );
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
    let size = ctx.largestObjectNumber + 1;
    for (const n of offsets.keys()) size = Math.max(size, n + 1);
    const xrefAt = writer.position;
    // free entries (objects deleted after page import) form the linked list the format asks for
    const free: number[] = [];
    for (let n = 1; n < size; n++) if (!offsets.has(n)) free.push(n);
    let nextIndex = 0;
    const nextFree = (n: number): string => {
      while (nextIndex < free.length && free[nextIndex]! <= n) nextIndex++;
      return String(free[nextIndex] ?? 0).padStart(10, '0');
    };
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
  }

  /** Abandons the file (the caller removes it). */
  destroy(): void {
    this.out.destroy();
  }
}

export async function writePdf(doc: PDFDocument, path: string, embedded?: StreamedEmbeddedFile): Promise<number> {
  const file = PdfFileWriter.create(path);
  try {
    return await file.finish(doc, embedded);
  } catch (error) {
    file.destroy();
    throw error;
  }
}

/** From this size a stream's bytes are written from where they are (pdf-lib would copy them into the object's bytes). */
const LARGE_STREAM_BYTES = 64 * 1024;

function serialise(obj: PDFObject): Buffer {
  const buffer = Buffer.alloc(obj.sizeInBytes());
  obj.copyBytesInto(buffer, 0);
  return buffer;
}

class Writer {
  position = 0;
  /** The stream's error (e.g. the file could not be created), kept until the next write reports it. */
  private failure: Error | undefined;
  constructor(private readonly out: WriteStream) {
    // the file is opened while the export still reads documents: an error then must not go unheard
    out.on('error', (error) => (this.failure ??= error));
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.position += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    // chunks are written in order: when this empty one is done, every one before it is
    await new Promise<void>((resolve, reject) => this.out.write(Buffer.alloc(0), (error) => (error ? reject(error) : this.failure ? reject(this.failure) : resolve())));
  }

  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.out.end();
    await once(this.out, 'finish');
  }
}
