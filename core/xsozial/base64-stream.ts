/**
 * Incremental base64 decoding of inline document content that arrives in pieces (text chunks of the XML parser
 * or byte ranges of the source). Whitespace is skipped; anything outside the base64 alphabet, or data after the
 * padding, marks the content as invalid instead of being silently dropped.
 */
const NON_BASE64 = /[^A-Za-z0-9+/=\s]/;
const WHITESPACE = /\s+/g;

export class Base64StreamDecoder {
  private pending = '';
  private padded = false;
  private invalidReason: string | undefined;

  get invalid(): string | undefined {
    return this.invalidReason;
  }

  /** Decodes as much of `text` as forms whole 4-character groups; returns the decoded bytes (maybe empty). */
  push(text: string): Buffer {
    if (this.invalidReason !== undefined) return Buffer.alloc(0);
    if (NON_BASE64.test(text)) {
      this.invalidReason = 'character outside the base64 alphabet';
      return Buffer.alloc(0);
    }
    const compact = this.pending + text.replace(WHITESPACE, '');
    if (compact.length === 0) return Buffer.alloc(0);
    if (this.padded) {
      this.invalidReason = 'data after base64 padding';
      return Buffer.alloc(0);
    }
    const padAt = compact.indexOf('=');
    if (padAt >= 0 && compact.length % 4 === 3 && padAt === compact.length - 1) {
      // "xx=" so far: the second '=' may come with the next piece (the text arrives in pieces of any length)
      const whole = compact.length - 3;
      this.pending = compact.slice(whole);
      return whole > 0 ? Buffer.from(compact.slice(0, whole), 'base64') : Buffer.alloc(0);
    }
    if (padAt >= 0) {
      // padding may only close the last group: "xx==" or "xxx="
      const tail = compact.slice(padAt);
      if (!/^={1,2}$/.test(tail) || compact.length % 4 !== 0 || compact.length - padAt > 2) {
        this.invalidReason = 'misplaced base64 padding';
        return Buffer.alloc(0);
      }
      this.padded = true;
      this.pending = '';
      return Buffer.from(compact, 'base64');
    }
    const whole = compact.length - (compact.length % 4);
    this.pending = compact.slice(whole);
    return whole > 0 ? Buffer.from(compact.slice(0, whole), 'base64') : Buffer.alloc(0);
  }

  /** Ends the content; a dangling partial group is invalid. */
  end(): void {
    if (this.invalidReason === undefined && this.pending.length > 0) {
      this.invalidReason = 'base64 content ends with an incomplete group';
    }
  }
}
