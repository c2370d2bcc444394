/**
 * core/io's one streaming base64 decoder (used by core/osci for MIME parts and large XML text, and by core/xsozial
 * for inline document content): the same bytes whatever the pieces, padding split across pieces accepted, and each
 * kind of invalid data named — never dropped silently. Random data against Node's own encoder.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Base64Decoder, base64DecodedLength, decodeBase64, decodeBase64Whole } from '../../core/io/base64.js';

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < text.length; at += size) yield Buffer.from(text.slice(at, at + size), 'latin1');
}

const fail = (reason: string): Error => new Error(reason);

async function decodeAll(text: string, size: number): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const b of decodeBase64(pieces(text, size), fail)) out.push(b);
  return Buffer.concat(out);
}

async function reason(text: string, size: number): Promise<string> {
  try {
    await decodeAll(text, size);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('the one base64 decoder (core/io/base64.ts)', () => {
  it('decodes in any piece size, with line breaks, to the bytes Node encoded', async () => {
    for (const n of [0, 1, 2, 3, 4, 57, 1000, 4099]) {
      const data = randomBytes(n);
      const text = data.toString('base64').replace(/(.{76})/g, '$1\r\n');
      for (const size of [1, 2, 3, 5, 76, 78, 1 << 16]) {
        expect(await decodeAll(text, size)).toEqual(data);
        expect(await base64DecodedLength(pieces(text, size), fail)).toBe(n);
      }
    }
  });

  it('accepts padding split across pieces ("ab=" then "=")', async () => {
    // the decoder of core/xsozial refused this before issue 11 (it saw "ab=" as misplaced padding)
    const d = new Base64Decoder();
    const out = Buffer.concat([d.push('QUJDRA='), d.push('=')]);
    d.end();
    expect(d.invalid).toBeUndefined();
    expect(out.toString()).toBe('ABCD');
  });

  it('names invalid data: foreign character, misplaced padding, data after padding, an incomplete group', async () => {
    for (const size of [1, 3, 100]) {
      expect(await reason('QUJD*RA==', size)).toBe('invalid character in base64 data');
      expect(await reason('QUJDR===', size)).toBe('misplaced base64 padding');
      expect(await reason('QUJD=A==', size)).toBe('misplaced base64 padding');
      expect(await reason('QUJDRA==QUJD', size)).toMatch(/^(misplaced base64 padding|base64 data continues after padding)$/);
      expect(await reason('QUJDRA', size)).toBe('base64 data ends with an incomplete group');
      expect(await reason('QUJDRA=', size)).toBe('base64 data ends with an incomplete group');
    }
    const d = new Base64Decoder();
    d.push('QUI=');
    d.push('  \n');
    expect(d.invalid).toBeUndefined();
    d.push('QQ==');
    expect(d.invalid).toBe('base64 data continues after padding');
  });

  it('decodeBase64Whole (native decode, checked by encoding again) gives exactly what the decoder gives', () => {
    const byDecoder = (text: string): Buffer | string => {
      const d = new Base64Decoder();
      const out = d.push(text);
      d.end();
      return d.invalid ?? out;
    };
    const cases: string[] = [
      '',
      'QQ==',
      'QR==',
      'QUI=',
      'QUJ=',
      'QUJD',
      'QUJDRA==',
      'QUJDR===',
      'QUJD=A==',
      'QUJDRA==QUJD',
      'QUJDRA',
      'QUJDRA=',
      'QUJD*RA==',
      'ab-_',
      'QU\u00a0JD',
      'QU\fJD',
      '  QU\r\nJD\t',
      'QUJ\u2028D',
      'QUJDRA=\n=',
      '====',
    ];
    for (const n of [1, 2, 3, 100, 4099]) {
      const text = randomBytes(n).toString('base64');
      cases.push(text, text.replace(/(.{76})/g, '$1\r\n'), ` ${text} `, text.slice(0, -1), `${text}=`, text.replace(/\+/g, '-'));
    }
    for (const text of cases) {
      for (const input of [text, Buffer.from(text, 'latin1')]) {
        // bytes are read as Latin-1 (a U+2028 given as bytes is another character)
        const want = byDecoder(typeof input === 'string' ? input : input.toString('latin1'));
        const got = decodeBase64Whole(input);
        if (typeof want === 'string') expect(got, JSON.stringify(text)).toBe(want);
        else expect(Buffer.isBuffer(got) && got.equals(want), JSON.stringify(text)).toBe(true);
      }
    }
  });
});
