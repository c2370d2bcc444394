/**
 * Why a row matched: while a search is active, the words it matched are marked (<mark>) in every value shown from a
 * message (Shown.tsx) inside a SearchHighlight — the list rows and the reading pane. The words are folded exactly as
 * the search index folds them (core/search-fold.ts), so "Muller" marks "Müller" and "Strasse" marks "Straße".
 *
 * Marking splits a plain run of text into pieces only: hidden-character tokens and the break opportunities of
 * Breakable stay as they were, and nothing is added to the text (copying and the accessible name are unchanged).
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { matchRanges, searchTerms } from '../../../core/search-fold.js';
import { Breakable } from './Breakable.js';

const Terms = createContext<readonly string[]>([]);

export function SearchHighlight({ search, children }: { search: string; children: ReactNode }) {
  const terms = useMemo(() => searchTerms(search), [search]);
  return <Terms.Provider value={terms}>{children}</Terms.Provider>;
}

/** The folded search words in force here (empty: no search). */
export function useSearchTerms(): readonly string[] {
  return useContext(Terms);
}

/** Whether a text shows a match of the words (the row says so where none of its visible values matched). */
export function hasMatch(text: string, terms: readonly string[]): boolean {
  return matchRanges(text, terms).length > 0;
}

/** A plain run of text with the matched words marked; each piece keeps its break opportunities. */
export function Marked({ text, terms }: { text: string; terms: readonly string[] }) {
  const ranges = terms.length === 0 ? [] : matchRanges(text, terms);
  if (ranges.length === 0) return <Breakable text={text} />;
  const pieces: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) pieces.push(<Breakable key={`t${at}`} text={text.slice(at, start)} />);
    pieces.push(
      <mark key={`m${start}`} className="hit">
        <Breakable text={text.slice(start, end)} />
      </mark>,
    );
    at = end;
  }
  if (at < text.length) pieces.push(<Breakable key={`t${at}`} text={text.slice(at)} />);
  return <>{pieces}</>;
}
