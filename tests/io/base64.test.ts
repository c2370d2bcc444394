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

  it('skips only XML whitespace (space, tab, CR, LF): form feed, vertical tab and no-break space are refused', async () => {
    for (const text of ['QUJD\fQUJD', 'QUJD\vQUJD', 'QUJD\u00a0QUJD', 'QUJD\u2028QUJD']) {
      for (const size of [1, 3, 100]) expect(await reason(text, size), JSON.stringify(text)).toBe('invalid character in base64 data');
      expect(decodeBase64Whole(text)).toBe('invalid character in base64 data');
    }
    expect(await decodeAll(' QUJD\t\r\nQUJD ', 100)).toEqual(Buffer.from('ABCABC'));
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
  it('laid-out bytes (the native path by counting) decode exactly as the decoder decides, over many pieces and with every fault', () => {
    const byDecoder = (text: Buffer): Buffer | string => {
      const d = new Base64Decoder();
      const out = d.push(text);
      d.end();
      return d.invalid ?? out;
    };
    const same = (input: Buffer, label: string): void => {
      const want = byDecoder(input);
      const got = decodeBase64Whole(input);
      if (typeof want === 'string') expect(got, label).toBe(want);
      else expect(Buffer.isBuffer(got) && got.equals(want), label).toBe(true);
    };
    const layouts: Array<[string, (b64: string) => string]> = [
      ['LF 76', (t) => t.replace(/(.{76})(?=.)/g, '$1\n')],
      ['CRLF 76', (t) => t.replace(/(.{76})(?=.)/g, '$1\r\n')],
      ['LF 64, breaks around', (t) => `\n${t.replace(/(.{64})(?=.)/g, '$1\n')}\n`],
      ['CRLF 75, breaks around', (t) => `\r\n${t.replace(/(.{75})(?=.)/g, '$1\r\n')}\r\n`],
      ['LF 1', (t) => t.split('').join('\n')],
      ['one line', (t) => t],
      ['LF 76, break after the last full line', (t) => `${t.replace(/(.{76})/g, '$1\n')}`],
    ];
    // bytes the decoder treats differently: whitespace it skips, characters it refuses, the URL-safe alphabet, padding
    const faults = [0x2d, 0x5f, 0x3d, 0x20, 0x09, 0x0a, 0x0d, 0x0b, 0xa0, 0x2a, 0x00, 0xe4, 0x2e];
    for (const n of [1, 2, 3, 56, 57, 58, 1000, 70_000, 250_001]) {
      const raw = randomBytes(n);
      for (const [name, layout] of layouts) {
        if (name === 'LF 1' && n > 1000) continue;
        const text = Buffer.from(layout(raw.toString('base64')), 'latin1');
        const got = decodeBase64Whole(text);
        expect(Buffer.isBuffer(got) && got.equals(raw), `${name} ${n}`).toBe(true);
        for (let round = 0; round < 12; round++) {
          const fault = faults[(round + n) % faults.length]!;
          const at = (round * 7919 + n * 31) % text.length;
          const replaced = Buffer.from(text);
          replaced[at] = fault;
          same(replaced, `${name} ${n}: byte ${at} replaced by ${fault}`);
          same(Buffer.concat([text.subarray(0, at), Buffer.from([fault]), text.subarray(at)]), `${name} ${n}: ${fault} inserted at ${at}`);
          same(Buffer.concat([text.subarray(0, at), text.subarray(at + 1)]), `${name} ${n}: byte ${at} left out`);
        }
        // stray bits in the last group, an extra pad, and padding that is not at the end
        const b64 = raw.toString('base64');
        if (b64.endsWith('=')) same(Buffer.from(layout(`${b64.slice(0, b64.indexOf('=') - 1)}B${b64.slice(b64.indexOf('='))}`), 'latin1'), `${name} ${n}: stray bits`);
        same(Buffer.from(`${layout(b64)}=`, 'latin1'), `${name} ${n}: extra pad`);
        same(Buffer.from(layout(`QQ==${b64}`), 'latin1'), `${name} ${n}: pad first`);
      }
    }
  });
});
