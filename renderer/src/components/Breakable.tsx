/**
 * Text from a message that may hold words of any length, with a line-break opportunity (<wbr>) every few characters
 * inside long runs without a space. Chromium lays out a long unbroken word in a narrow box very slowly even with
 * `overflow-wrap: anywhere` (measured: 20,000 characters about 5 s, 100,000 about a minute — the window hangs);
 * with a <wbr> every 32 characters 200,000 characters take about 0.1 s (every 8, as here, so that lines fill a
 * narrow column, about 0.3 s). Ordinary words (up to 24 characters) are
 * left alone, so lines still break between words; the text itself is unchanged (copying and searching see no
 * extra characters).
 */
import { Fragment, type ReactNode } from 'react';
import { cutIndex } from '../../../core/text-bounds.js';

/** Runs longer than this get break opportunities; every this many characters. */
const LONG_RUN = 24;
const STEP = 8;

export function Breakable({ text }: { text: string }) {
  const long = new RegExp(`\\S{${LONG_RUN + 1},}`, 'gu');
  if (!long.test(text)) return <>{text}</>;
  long.lastIndex = 0;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(long)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start > last) parts.push(text.slice(last, start));
    let from = start;
    while (end - from > STEP) {
      // between two characters: never inside a surrogate pair or before a combining mark
      const cut = Math.max(from + 1, cutIndex(text, from + STEP));
      parts.push(text.slice(from, cut), <wbr key={`w${cut}`} />);
      from = cut;
    }
    parts.push(text.slice(from, end));
    last = end;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts.map((part, i) => (typeof part === 'string' ? <Fragment key={`t${i}`}>{part}</Fragment> : part))}</>;
}
