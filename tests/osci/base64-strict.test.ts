/**
 * The strict base64 decoder of core/osci (mime/base64-stream.ts): its fast path (one table pass, Node's decoder)
 * must accept exactly what the rule accepts — the alphabet, whitespace anywhere, at most two `=` at the very end,
 * a length that is a multiple of 4 — and give the same bytes as decoding the text without its whitespace; whitespace
 * other than XML's four (space, tab, CR, LF) is refused like any foreign character.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { base64DecodedSource, decodeBase64Text } from '../../core/osci/mime/base64-stream.js';

/** The rule as a regular expression over the text without whitespace (what the decoder replaced). */
function byRule(text: string): Buffer | undefined {
  const s = text.replace(/[ \t\r\n]+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64') : undefined;
}

function outcome(text: string): Buffer | 'invalid' {
  try {
    return decodeBase64Text(text, 'test: invalid base64');
  } catch (error) {
    expect(error).toMatchObject({ kind: 'malformed' });
    expect((error as Error).message).toMatch(/test: invalid base64/);
    return 'invalid';
  }
}

describe('strict base64', () => {
  it('decodes wrapped text of every length (LF, CRLF, spaces, tabs) to the original bytes, as text and as bytes', () => {
    for (let n = 0; n < 200; n++) {
      const raw = randomBytes(n);
      const plain = raw.toString('base64');
      for (const text of [plain, plain.replace(/(.{76})/g, '$1\n'), plain.replace(/(.{64})/g, '$1\r\n'), ` ${plain.replace(/(.{4})/g, '$1 \t')}\n`]) {
        expect(decodeBase64Text(text, 'test: invalid base64').equals(raw)).toBe(true);
        expect(decodeBase64Text(Buffer.from(text, 'latin1'), 'test: invalid base64').equals(raw)).toBe(true);
      }
    }
  });

  it('refuses what is not base64: padding inside, three pads, a partial group, URL-safe or foreign characters, 8-bit bytes', () => {
    for (const text of ['QQ==QQ==', 'QQ===', 'Q===', '====', 'QUJD\nRA', 'QUJ', 'AB-_', 'QUJD!', 'QU\u00e4D', 'QUJD\u0000', 'QQ=\nA']) {
      expect(outcome(text)).toBe('invalid');
      expect(byRule(text)).toBeUndefined();
    }
    expect(() => decodeBase64Text(Buffer.from([0x51, 0x55, 0xe4, 0x44]), 'test: invalid base64')).toThrow(/invalid base64/);
  });

  it('agrees with the rule on random mutations of valid text', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n\r\t-_!.\u00a0\u000b\u2028';
    for (let round = 0; round < 3000; round++) {
      const chars = randomBytes(1 + (round % 23))
        .toString('base64')
        .split('');
      const edits = round % 4;
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(Math.random() * (chars.length + 1));
        const c = alphabet[Math.floor(Math.random() * alphabet.length)]!;
        if (Math.random() < 0.5) chars.splice(at, 0, c);
        else chars[Math.min(at, chars.length - 1)] = c;
      }
      const text = chars.join('');
      const want = byRule(text);
      const got = outcome(text);
      if (want === undefined) expect(got, JSON.stringify(text)).toBe('invalid');
      else expect(got === 'invalid' ? got : got.toString('hex'), JSON.stringify(text)).toBe(want.toString('hex'));
    }
  });

  it('whitespace other than the four of XML (form feed, vertical tab, no-break space, line separator) is refused', () => {
    for (const text of ['QUJD\fQUJD', 'QUJD\vQUJD', 'QUJD\u00a0QUJD', 'QU\u00a0JD\u000bRA\u2028==']) {
      expect(outcome(text), JSON.stringify(text)).toBe('invalid');
      expect(() => decodeBase64Text(Buffer.from(text, 'latin1'), 'test: invalid base64')).toThrow(/invalid base64/);
    }
    expect(decodeBase64Text(' QUJD\t\r\nQUJD ', 'test: invalid base64').toString()).toBe('ABCABC');
  });

  it('a source in memory follows the same rule (a padding inside the data is refused)', async () => {
    const ok = await base64DecodedSource(bufferSource(Buffer.from('QUJD\nRA==')));
    expect((await readAll(ok, 100)).toString()).toBe('ABCD');
    await expect(base64DecodedSource(bufferSource(Buffer.from('QQ==QUJD')))).rejects.toMatchObject({ kind: 'malformed' });
  });
});
