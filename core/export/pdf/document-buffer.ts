/**
 * One buffer, as large as the largest document the PDF export reads whole, into which each evidence document is
 * read in turn (issue 14, export memory). A PDF export reads an evidence PDF twice (planning, page import) and a
 * JPEG twice (layout, writing); with a fresh buffer each time a 50 MB application allocated 16 buffers of 5 MB
 * outside V8's heap, freed only when a garbage collection happened to find their (small, long promoted) owners,
 * so that several of them — and the malloc arena pages they left — were resident at once.
 *
 * What is read here is valid only until the next `read`: the caller must be done with it — pdf-lib documents
 * parsed from it dropped, their copied objects written and flushed to the file (`PdfFileWriter.flush`), nothing of
 * pdfkit still pointing at it — before it reads the next document. `sharesMemory` lets the caller check that.
 */
import { openDocument } from '../../xsozial/read-delivery.js';
import type { XmlSource } from '../../xsozial/source.js';
import type { DocumentView } from '../../xsozial/view.js';

export class DocumentBuffer {
  private scratch: Buffer | undefined;

  constructor(private readonly source: XmlSource) {}

  /**
   * The document's decoded bytes (exactly `doc.size`; its size and SHA-256 are checked as the stream ends, see
   * openDocument), in the shared buffer: overwritten by the next call.
   */
  async read(doc: DocumentView): Promise<Buffer> {
    if (!this.scratch || this.scratch.length < doc.size) {
      // grown to the largest document seen; the smaller one before it is garbage
      this.scratch = undefined;
      this.scratch = Buffer.alloc(doc.size);
    }
    const out = this.scratch.subarray(0, doc.size);
    let at = 0;
    for await (const chunk of openDocument(this.source, doc)) {
      if (at < out.length) chunk.copy(out, at, 0, Math.min(chunk.length, out.length - at));
      at += chunk.length;
    }
    // as readDocumentBytes: a shorter content (which openDocument reports) leaves no bytes of the document before
    if (at < out.length) out.fill(0, at);
    return out;
  }

  /** Whether these bytes lie in the shared buffer (and so would change with the next `read`). */
  sharesMemory(bytes: Uint8Array): boolean {
    return this.scratch !== undefined && bytes.buffer === this.scratch.buffer;
  }
}
