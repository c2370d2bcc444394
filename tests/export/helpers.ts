/** Shared pieces of the export tests: receipt facts, poppler/qpdf calls, PNG chunks. */
import { execFileSync } from 'node:child_process';
import { crc32 } from 'node:zlib';
import type { ReceiptFacts } from '../../core/export/index.js';

export function receiptFor(contentSha256: string, contentSize: number): ReceiptFacts {
  return {
    messageId: '7f3a9c0d1e2b4a5f8c6d7e8f9a0b1c2d',
    subject: 'Antrag über die Sozialplattform',
    creation: '2026-11-28T16:02:11.318+01:00',
    forwarding: '2026-11-28T16:20:05+01:00',
    reception: '2026-11-28T16:20:06+01:00',
    sender: 'CN=Sozialplattform Übungsmodus,O=Testland,C=DE',
    recipient: 'CN=Sozialamt Musterstadt,O=Testland,C=DE',
    signatures: [
      {
        role: 'Inhaltsdaten (Autor)',
        signer: 'CN=Sozialplattform Übungsmodus,O=Testland,C=DE',
        result: 'valid',
        certificate: 'trusted',
        revocationChecked: false,
        algorithm: 'RSASSA-PSS mit SHA-256',
      },
    ],
    inspections: [{ subject: 'Signaturzertifikat des Absenders', result: 'gültig (mathematisch geprüft)', time: '2026-11-28T16:02:11+01:00' }],
    contentSha256,
    contentSize,
  };
}

/** The Eingang timestamp as the PDF must show it: office time (Europe/Berlin) with the zone stated. */
export const EINGANG_TEXT = '28.11.2026, 16:02:11 Uhr (MEZ, UTC+01:00)';

export function pdftotext(file: string, firstPage?: number, lastPage?: number): string {
  const range = firstPage ? ['-f', String(firstPage), '-l', String(lastPage ?? firstPage)] : [];
  return execFileSync('pdftotext', [...range, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

export function pdfinfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

/** qpdf --check; throws with its output when the structure is broken (exit 2; exit 3 = warnings only). */
export function qpdfCheck(file: string): string {
  try {
    return execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  } catch (error) {
    const e = error as { status?: number; stdout?: string };
    if (e.status === 3) return e.stdout ?? '';
    throw new Error(`qpdf --check failed: ${e.stdout ?? String(error)}`, { cause: error });
  }
}

/** Whitespace-insensitive, NFC text for searching extracted PDF text. */
export function searchable(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ');
}

/** One PNG chunk: length, type, data and the CRC-32 over type and data (PNG spec §5.3). */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
