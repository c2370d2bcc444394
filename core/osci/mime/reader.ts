/**
 * Reader for OSCI's MIME multipart/related entities (PROTOCOL.md §3.2): the entity headers are the first bytes
 * of the body itself (after any leading CRLFs), the boundary may be quoted or unquoted and contain `+` and `/`,
 * parts are delimited by the boundary only (part Content-Length values are ignored — the library writes wrong
 * ones), duplicate Content-IDs are refused, a missing close delimiter means truncated input.
 *
 * The reader works on a ByteSource and never copies part bodies: each part is a range of the source (a Buffer
 * or an encrypted spool), streamed again when needed. It makes one streaming pass to find the delimiters.
 */
import { readAll, sliceSource, type ByteSource } from '../../io/byte-source.js';
import { osciError } from '../errors.js';
import { base64DecodedSource } from './base64-stream.js';
import { MAX_HEADER_BLOCK, MimeHeaders, parseHeaderBlock, parseMediaType } from './headers.js';

export interface MimePart {
  readonly headers: MimeHeaders;
  /** Content-ID without angle brackets, if any. */
  readonly contentId: string | undefined;
  readonly contentType: string;
  /** Content-Transfer-Encoding as written (lower-cased), e.g. `binary`, `8-bit`, `base64`. */
  readonly transferEncoding: string | undefined;
  /** True iff the body is base64 (CTE base64 or Content-Type text/base64). */
  readonly isBase64: boolean;
  /** The part body as transported (before base64 decoding). */
  readonly raw: ByteSource;
  /** Offset of the body in the entity source (diagnostics). */
  readonly offset: number;
  /** The body after removing a base64 transfer encoding (bytes verbatim otherwise). */
  decoded(): Promise<ByteSource>;
}

export interface MimeEntity {
  readonly headers: MimeHeaders;
  readonly boundary: string;
  readonly mediaType: string;
  /** `type` parameter of multipart/related, if any. */
  readonly rootType: string | undefined;
  readonly parts: readonly MimePart[];
  /** Number of leading CRLFs skipped before the entity headers (SOAP faults have one). */
  readonly leadingCrlfs: number;
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const SCAN_CHUNK_CARRY = 256;

/** Finds the end of a header block (index of CRLFCRLF) within the first `limit` bytes from `start`. */
async function readHeaderBlock(source: ByteSource, start: number, where: string): Promise<{ block: Buffer; bodyStart: number }> {
  const end = Math.min(source.size, start + MAX_HEADER_BLOCK + 4);
  const window = await readAll(source, MAX_HEADER_BLOCK + 4, { start, end });
  if (window.subarray(0, 2).equals(CRLF)) return { block: Buffer.alloc(0), bodyStart: start + 2 };
  const idx = window.indexOf(CRLFCRLF);
  if (idx < 0) {
    if (end === source.size) throw osciError('malformed', `${where}: header block not terminated (truncated input)`);
    throw osciError('malformed', `${where}: header block longer than ${MAX_HEADER_BLOCK} bytes`);
  }
  return { block: window.subarray(0, idx), bodyStart: start + idx + 4 };
}

/** Streams the source once and returns every offset where `pattern` starts (from `from`). */
async function findAll(source: ByteSource, pattern: Buffer, from: number): Promise<number[]> {
  const hits: number[] = [];
  let carry = Buffer.alloc(0);
  let carryStart = from;
  for await (const chunk of source.stream({ start: from, end: source.size })) {
    const window = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let i = window.indexOf(pattern);
    while (i >= 0) {
      hits.push(carryStart + i);
      i = window.indexOf(pattern, i + 1);
    }
    const keep = Math.min(window.length, Math.max(pattern.length - 1, 0));
    const nextStart = carryStart + window.length - keep;
    carry = Buffer.from(window.subarray(window.length - keep));
    carryStart = nextStart;
    if (carry.length > SCAN_CHUNK_CARRY + pattern.length) carry = carry.subarray(carry.length - pattern.length);
  }
  return hits;
}

export interface ReadMultipartOptions {
  /** Maximum number of parts (a message has a handful; attachments included). */
  readonly maxParts?: number;
}

export async function readMultipart(source: ByteSource, options: ReadMultipartOptions = {}): Promise<MimeEntity> {
  const maxParts = options.maxParts ?? 10_000;
  // leading CRLFs (SOAP faults of the library start with one)
  const head = await readAll(source, 64, { start: 0, end: Math.min(64, source.size) });
  let start = 0;
  let leadingCrlfs = 0;
  while (head.subarray(start, start + 2).equals(CRLF)) {
    start += 2;
    leadingCrlfs++;
  }
  if (source.size - start === 0) throw osciError('malformed', 'empty message');
  const { block, bodyStart } = await readHeaderBlock(source, start, 'MIME entity');
  const headers = parseHeaderBlock(block, 'MIME entity');
  const version = headers.get('mime-version');
  if (version !== undefined && !/^1\.0(\s|\(|$)/.test(version)) {
    throw osciError('malformed', `unsupported MIME-Version ${version.slice(0, 20)}`);
  }
  const ct = headers.get('content-type');
  if (!ct) throw osciError('malformed', 'MIME entity without Content-Type');
  const media = parseMediaType(ct);
  if (!media.essence.startsWith('multipart/')) throw osciError('malformed', `not a multipart entity (${media.essence.slice(0, 40)})`);
  const boundary = media.params.get('boundary');
  if (!boundary) throw osciError('malformed', 'multipart entity without boundary');
  if (boundary.length > 200 || /[\r\n]/.test(boundary)) throw osciError('malformed', 'invalid MIME boundary');

  // Every delimiter is CRLF "--" boundary; the first may directly follow the entity headers, whose
  // terminating CRLF then doubles as the delimiter's CRLF.
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const hits = await findAll(source, delimiter, bodyStart - 2);

  const parts: MimePart[] = [];
  const seenIds = new Set<string>();
  let closed = false;
  let open: { bodyStart: number; headers: MimeHeaders } | undefined;
  for (const hit of hits) {
    const after = hit + delimiter.length;
    const tail = await readAll(source, 1024, { start: after, end: Math.min(source.size, after + 1024) });
    let kind: 'close' | 'part' | 'none';
    let lineEnd = -1;
    if (tail.subarray(0, 2).toString('latin1') === '--') kind = 'close';
    else {
      // transport padding (spaces/tabs) then CRLF
      let i = 0;
      while (i < tail.length && (tail[i] === 0x20 || tail[i] === 0x09)) i++;
      if (tail.subarray(i, i + 2).equals(CRLF)) {
        kind = 'part';
        lineEnd = after + i + 2;
      } else kind = tail.length < 2 + i ? 'part' : 'none';
      if (kind === 'part' && lineEnd < 0) throw osciError('malformed', 'MIME input truncated after a delimiter');
    }
    if (kind === 'none') continue; // boundary text followed by other characters: not a delimiter
    if (open) {
      parts.push(makePart(source, open.headers, open.bodyStart, hit, seenIds));
    }
    if (kind === 'close') {
      closed = true;
      break;
    }
    if (parts.length >= maxParts) throw osciError('malformed', `more than ${maxParts} MIME parts`);
    const ph = await readHeaderBlock(source, lineEnd, `MIME part ${parts.length + 1}`);
    open = { bodyStart: ph.bodyStart, headers: parseHeaderBlock(ph.block, `MIME part ${parts.length + 1}`) };
  }
  if (hits.length === 0) throw osciError('malformed', 'MIME boundary not found in the message body');
  if (!closed) throw osciError('malformed', 'MIME message truncated (closing delimiter missing)');
  if (parts.length === 0) throw osciError('malformed', 'MIME message without parts');
  return {
    headers,
    boundary,
    mediaType: media.essence,
    rootType: media.params.get('type'),
    parts,
    leadingCrlfs,
  };
}

function makePart(source: ByteSource, headers: MimeHeaders, bodyStart: number, bodyEnd: number, seen: Set<string>): MimePart {
  if (bodyEnd < bodyStart) throw osciError('malformed', 'MIME part overlaps its delimiter');
  const idHeader = headers.get('content-id');
  const contentId = idHeader === undefined ? undefined : idHeader.replace(/^\s*<(.*)>\s*$/, '$1');
  if (contentId !== undefined) {
    if (seen.has(contentId)) throw osciError('malformed', `duplicate Content-ID <${contentId.slice(0, 80)}>`);
    seen.add(contentId);
  }
  const contentTypeRaw = headers.get('content-type') ?? 'text/plain';
  const media = parseMediaType(contentTypeRaw);
  const charset = media.params.get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw osciError('malformed', `unsupported charset ${charset.slice(0, 20)} in MIME part`);
  }
  const cte = headers.get('content-transfer-encoding')?.trim().toLowerCase();
  const isBase64 = cte === 'base64' || media.essence === 'text/base64';
  if (cte !== undefined && !['base64', 'binary', '8bit', '8-bit', '7bit'].includes(cte)) {
    throw osciError('malformed', `unsupported Content-Transfer-Encoding ${cte.slice(0, 20)}`);
  }
  const raw = sliceSource(source, bodyStart, bodyEnd);
  let decoded: Promise<ByteSource> | undefined;
  return {
    headers,
    contentId,
    contentType: media.essence,
    transferEncoding: cte,
    isBase64,
    raw,
    offset: bodyStart,
    decoded() {
      decoded ??= isBase64 ? base64DecodedSource(raw) : Promise.resolve(raw);
      return decoded;
    },
  };
}

/** The part with the given Content-ID. */
export function partById(entity: MimeEntity, contentId: string): MimePart | undefined {
  return entity.parts.find((p) => p.contentId === contentId);
}
