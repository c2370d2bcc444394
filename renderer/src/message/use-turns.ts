/**
 * How far the caseworker turned a document in the viewer (a scan put in sideways), in quarter turns clockwise, per
 * document: kept while the program runs (this window's memory), so turning one attachment, looking at another and
 * coming back finds it as it was left — but not stored: the document itself is never changed, and the next start
 * shows every document as delivered. "R" turns clockwise, Umschalt+R back (while the viewer has focus), as does the
 * toolbar's button.
 */
import { useCallback, useState } from 'react';

const turnsOf = new Map<string, number>();

/** `key` names one document of one message ("12:a3"); undefined: not remembered (a viewer without a document key). */
export function useTurns(key: string | undefined): readonly [turns: number, turn: (by: 1 | -1) => void] {
  const [state, setState] = useState<{ key: string | undefined; turns: number }>(() => ({ key, turns: key === undefined ? 0 : (turnsOf.get(key) ?? 0) }));
  // another document in the same viewer: its own turns
  const current = state.key === key ? state.turns : key === undefined ? 0 : (turnsOf.get(key) ?? 0);
  if (state.key !== key) setState({ key, turns: current });
  const turn = useCallback((by: 1 | -1) => {
    setState((s) => {
      const turns = (s.turns + by + 4) % 4;
      if (s.key !== undefined) turnsOf.set(s.key, turns);
      return { key: s.key, turns };
    });
  }, []);
  return [current, turn] as const;
}

/** The viewer's keys for turning: R clockwise, Shift+R counter-clockwise; true when the key was one of them. */
export function turnKey(event: { key: string; shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean }, turn: (by: 1 | -1) => void): boolean {
  if (event.ctrlKey || event.altKey || event.metaKey || (event.key !== 'r' && event.key !== 'R')) return false;
  turn(event.shiftKey ? -1 : 1);
  return true;
}
