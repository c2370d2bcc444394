/**
 * Writer for OSCI MIME entities in the library's layout (PROTOCOL.md §3.2). The result is a ByteSource of known
 * size (an exact HTTP Content-Length before sending); binary part bodies are streamed from their own sources.
 */
import { randomBytes } from 'node:crypto';
import { bufferSource, concatSources, transformedSource, type ByteSource } from '../../io/byte-source.js';
import { base64LinesLength, encodeBase64Lines } from './base64-stream.js';

export interface MimePartInput {
  readonly contentType: string;
  /** Written as given: `8bit`, `8-bit`, `binary`, `7bit` or `base64` (the body is then base64-encoded here). */
  readonly transferEncoding: string;
  readonly contentId: string;
  /** Write a Content-Length header (the library does for attachments). */
  readonly contentLength?: boolean;
  readonly body: ByteSource;
}

/** A fresh boundary as the library makes them: `MIME_boundary_` + base64 of 24 random bytes. */
export function newBoundary(): string {
  return `MIME_boundary_${randomBytes(24).toString('base64')}`;
}

export function buildMultipart(parts: readonly MimePartInput[], boundary = newBoundary(), leadingCrlf = false): ByteSource {
  const pieces: ByteSource[] = [];
  const text = (s: string) => pieces.push(bufferSource(Buffer.from(s, 'utf8')));
  text(`${leadingCrlf ? '\r\n' : ''}MIME-Version: 1.0\r\nContent-Type: Multipart/Related; boundary=${boundary}; type=text/xml\r\n\r\n`);
  for (const part of parts) {
    const base64 = part.transferEncoding.toLowerCase() === 'base64' || part.contentType.toLowerCase() === 'text/base64';
    const body = base64 ? transformedSource(base64LinesLength(part.body.size), () => encodeBase64Lines(part.body.stream())) : part.body;
    let head = `--${boundary}\r\nContent-Type: ${part.contentType}\r\nContent-Transfer-Encoding: ${part.transferEncoding}\r\nContent-ID: <${part.contentId}>\r\n`;
    if (part.contentLength) head += `Content-Length: ${body.size}\r\n`;
    text(`${head}\r\n`);
    pieces.push(body);
    text('\r\n');
  }
  text(`--${boundary}--\r\n`);
  return concatSources(pieces);
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\r\n\r\n';

/** The first part of every OSCI message: the SOAP envelope with XML declaration and an empty line. */
export function soapPart(envelopeXml: string, contentLengthHeader = false): MimePartInput {
  return soapPartOf(bufferSource(Buffer.from(`${XML_DECLARATION}${envelopeXml}`, 'utf8')), contentLengthHeader, false);
}

/** The same for an envelope held by a source (streamed, e.g. with a large ContentPackage from a file). */
export function soapPartOf(envelope: ByteSource, contentLengthHeader = false, addDeclaration = true): MimePartInput {
  return {
    contentType: 'text/xml; charset=UTF-8',
    transferEncoding: '8bit',
    contentId: 'osci@message',
    contentLength: contentLengthHeader,
    body: addDeclaration ? concatSources([bufferSource(Buffer.from(XML_DECLARATION, 'utf8')), envelope]) : envelope,
  };
}
