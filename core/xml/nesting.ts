/**
 * The nesting limit every XML reader of the program shares (OSCI messages and their inner MIME part, decrypted
 * content containers, XSozial content, XSD bundles, later Genericode code lists), and the streaming byte scanner
 * that enforces it before any tree is built. A DOM of 200,000 nested elements costs hundreds of MB before a depth
 * check on the finished tree can refuse it; the scanner needs a few numbers of state, whatever the input.
 *
 * The scanner reads just enough XML to count element depth: markup starts at `<`; `</` closes, `<!--`…`-->`,
 * `<![CDATA[`…`]]>`, `<?`…`?>` and other `<!` declarations do not count; a start tag ends at the first `>` outside
 * a quoted attribute value and is self-closing when `/` precedes that `>`. It is fed chunks in order (any split,
 * inside a name or a comment end included) and does not judge well-formedness — the parser does that afterwards,
 * on input that is no longer deep.
 */

/** Elements nested deeper than this are refused (OSCI messages nest about 12 deep, XSozial-basis about 15). */
export const MAX_XML_DEPTH = 100;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DASH = 0x2d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Scanner states. */
const S_TEXT = 0;
const S_OPEN = 1;
const S_BANG = 2;
const S_BANGDASH = 3;
const S_COMMENT = 4;
const S_CDATA = 5;
const S_PI = 6;
const S_DECLARATION = 7;
const S_STARTTAG = 8;
const S_ENDTAG = 9;

export class NestingScanner {
  private state = S_TEXT;
  private depth = 0;
  private quote = 0;
  /** Comment: dashes seen before a `>`; CDATA: `]` seen; PI: `?` seen; tag: last byte was `/`. */
  private run = 0;
  private bracketDepth = 0;
  private deepest = 0;

  constructor(readonly maxDepth: number = MAX_XML_DEPTH) {}

  /** The deepest nesting seen so far. */
  get maxSeen(): number {
    return this.deepest;
  }

  /**
   * Scans the next piece of the document (bytes, or text — every character it looks at is ASCII). Returns false
   * as soon as the nesting exceeds the limit (the rest of the piece is not looked at).
   */
  feed(data: Uint8Array | string): boolean {
    const text = typeof data === 'string';
    const length = data.length;
    const at = text ? (i: number) => data.charCodeAt(i) : (i: number) => data[i]!;
    let i = 0;
    while (i < length) {
      switch (this.state) {
        case S_TEXT: {
          // text runs are skipped in one native search: large payloads cost nothing here
          const next = text ? data.indexOf('<', i) : data.indexOf(LT, i);
          if (next < 0) return true;
          this.state = S_OPEN;
          i = next + 1;
          continue;
        }
        case S_OPEN: {
          const c = at(i);
          if (c === SLASH) this.state = S_ENDTAG;
          else if (c === BANG) this.state = S_BANG;
          else if (c === QUESTION) {
            this.state = S_PI;
            this.run = 0;
          } else {
            this.depth++;
            if (this.depth > this.deepest) this.deepest = this.depth;
            if (this.depth > this.maxDepth) return false;
            this.state = S_STARTTAG;
            this.quote = 0;
            this.run = 0;
            continue; // the byte belongs to the name: look at it in StartTag
          }
          i++;
          continue;
        }
        case S_BANG: {
          const c = at(i);
          if (c === DASH) this.state = S_BANGDASH;
          else if (c === LBRACKET) {
            this.state = S_CDATA;
            this.run = 0;
          } else {
            this.state = S_DECLARATION;
            this.quote = 0;
            this.bracketDepth = 0;
            continue;
          }
          i++;
          continue;
        }
        case S_BANGDASH: {
          // `<!-` + `-` opens a comment; anything else is a (broken) declaration the parser will refuse
          if (at(i) === DASH) {
            this.state = S_COMMENT;
            this.run = 0;
            i++;
          } else {
            this.state = S_DECLARATION;
            this.quote = 0;
            this.bracketDepth = 0;
          }
          continue;
        }
        case S_COMMENT: {
          const c = at(i++);
          if (c === DASH) this.run++;
          else if (c === GT && this.run >= 2) this.state = S_TEXT;
          else this.run = 0;
          continue;
        }
        case S_CDATA: {
          const c = at(i++);
          if (c === RBRACKET) this.run++;
          else if (c === GT && this.run >= 2) this.state = S_TEXT;
          else this.run = 0;
          continue;
        }
        case S_PI: {
          const c = at(i++);
          if (c === GT && this.run === 1) this.state = S_TEXT;
          else this.run = c === QUESTION ? 1 : 0;
          continue;
        }
        case S_DECLARATION: {
          const c = at(i++);
          if (this.quote) {
            if (c === this.quote) this.quote = 0;
          } else if (c === DQUOTE || c === SQUOTE) this.quote = c;
          else if (c === LBRACKET) this.bracketDepth++;
          else if (c === RBRACKET) this.bracketDepth = Math.max(0, this.bracketDepth - 1);
          else if (c === GT && this.bracketDepth === 0) this.state = S_TEXT;
          continue;
        }
        case S_STARTTAG: {
          const c = at(i++);
          if (this.quote) {
            if (c === this.quote) this.quote = 0;
            continue;
          }
          if (c === DQUOTE || c === SQUOTE) {
            this.quote = c;
            this.run = 0;
          } else if (c === GT) {
            if (this.run === 1) this.depth--; // `<a/>`
            this.state = S_TEXT;
          } else this.run = c === SLASH ? 1 : 0;
          continue;
        }
        case S_ENDTAG: {
          const c = at(i++);
          if (c === GT) {
            this.depth = Math.max(0, this.depth - 1);
            this.state = S_TEXT;
          }
          continue;
        }
      }
    }
    return true;
  }
}

/** Scans a whole document in memory; the deepest nesting if it is within the limit, else undefined. */
export function nestingWithin(data: Uint8Array | string, maxDepth: number = MAX_XML_DEPTH): number | undefined {
  const scanner = new NestingScanner(maxDepth);
  return scanner.feed(data) ? scanner.maxSeen : undefined;
}
