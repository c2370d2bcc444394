/**
 * MIME header blocks (RFC 2045/2822 style) as OSCI uses them: entity headers at the very start of an HTTP body,
 * part headers after each delimiter. Lines are capped (a hostile peer must not make us buffer megabytes of
 * "header"); folded lines are unfolded.
 */
import { osciError } from '../errors.js';

/** Longest header line accepted. */
export const MAX_HEADER_LINE = 16 * 1024;
/** Largest header block accepted (all lines of one entity or part). */
export const MAX_HEADER_BLOCK = 64 * 1024;

export class MimeHeaders {
  private readonly map = new Map<string, string>();
  constructor(readonly lines: ReadonlyArray<readonly [string, string]>) {
    for (const [name, value] of lines) {
      const key = name.toLowerCase();
      if (!this.map.has(key)) this.map.set(key, value);
    }
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase());
  }
}

/** Parses a header block (without the terminating empty line). */
export function parseHeaderBlock(block: Buffer, where: string): MimeHeaders {
  if (block.length > MAX_HEADER_BLOCK) {
    throw osciError('malformed', `${where}: header block of ${block.length} bytes exceeds ${MAX_HEADER_BLOCK}`);
  }
  const text = block.toString('latin1');
  const raw = text.length === 0 ? [] : text.split('\r\n');
  const lines: Array<[string, string]> = [];
  for (const line of raw) {
    if (line.length > MAX_HEADER_LINE) {
      throw osciError('malformed', `${where}: header line of ${line.length} bytes exceeds ${MAX_HEADER_LINE}`);
    }
    if (/^[ \t]/.test(line)) {
      const last = lines[lines.length - 1];
      if (!last) throw osciError('malformed', `${where}: continuation line without header`);
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw osciError('malformed', `${where}: header line without name`);
    const name = line.slice(0, colon).trim();
    if (!/^[!-9;-~]+$/.test(name)) throw osciError('malformed', `${where}: invalid header name`);
    lines.push([name, line.slice(colon + 1).trim()]);
  }
  return new MimeHeaders(lines);
}

export interface MediaType {
  /** Lower-cased `type/subtype`. */
  readonly essence: string;
  /** Parameters, names lower-cased, values unquoted. */
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Parses a Content-Type value. Unquoted parameter values may contain `/` and `+` (the library's boundaries do);
 * quoted values may contain `;`.
 */
export function parseMediaType(value: string): MediaType {
  const semi = value.indexOf(';');
  const essence = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  let rest = semi < 0 ? '' : value.slice(semi + 1);
  while (rest.trim().length > 0) {
    const m = /^\s*([^=;\s]+)\s*=\s*/.exec(rest);
    if (!m) {
      // tolerate stray `;` and flag-like parameters without value
      const next = rest.indexOf(';');
      if (next < 0) break;
      rest = rest.slice(next + 1);
      continue;
    }
    const name = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
    let val: string;
    if (rest.startsWith('"')) {
      let i = 1;
      let out = '';
      while (i < rest.length && rest[i] !== '"') {
        if (rest[i] === '\\' && i + 1 < rest.length) i++;
        out += rest[i];
        i++;
      }
      if (i >= rest.length) throw osciError('malformed', 'unterminated quoted parameter in Content-Type');
      val = out;
      rest = rest.slice(i + 1);
      const next = rest.indexOf(';');
      rest = next < 0 ? '' : rest.slice(next + 1);
    } else {
      const next = rest.indexOf(';');
      val = (next < 0 ? rest : rest.slice(0, next)).trim();
      rest = next < 0 ? '' : rest.slice(next + 1);
    }
    if (!params.has(name)) params.set(name, val);
  }
  return { essence, params };
}
