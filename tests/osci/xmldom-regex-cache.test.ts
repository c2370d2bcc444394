/**
 * The xmldom expression memo (core/osci/xml/xmldom-regex-cache.ts): once the first document is parsed, xmldom's
 * grammar hands out one RegExp per expression instead of compiling a new one per end tag — and parsing decides as
 * before: well-formed end tags (with trailing whitespace) pass, malformed and mismatched ones are refused, however
 * often the same expressions were used before.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../core/osci/xml/parse.js';

interface Grammar {
  reg: (...parts: (RegExp | string)[]) => RegExp;
  QName_group: RegExp;
  S_OPT: RegExp;
}
const grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as Grammar;

describe('xmldom expression memo', () => {
  it('gives the same compiled expression for the same parts after the first parse', () => {
    parseXml('<a><b/></a>');
    const first = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    expect(grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$')).toBe(first);
    // other parts, another expression, matching as the grammar says
    const leading = grammar.reg('^', grammar.QName_group);
    expect(leading).not.toBe(first);
    expect(first.exec('ns:name ')?.[1]).toBe('ns:name');
    expect(first.exec('ns:name x')).toBeNull();
    expect(leading.exec('ns:name x')?.[1]).toBe('ns:name');
  });

  it('parses and refuses exactly as before, many times over', () => {
    for (let i = 0; i < 50; i++) {
      expect(parseXml('<p:a xmlns:p="urn:x"><p:b>t</p:b ></p:a>').root.localName).toBe('a');
      expect(() => parseXml('<a><b></b x></a>')).toThrow(/not well-formed/);
      expect(() => parseXml('<a><b></c></a>')).toThrow(/not well-formed/);
      expect(() => parseXml('<a></a\n>trailing')).toThrow();
    }
  });
});
