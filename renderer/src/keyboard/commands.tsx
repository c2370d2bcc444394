/**
 * The window's commands and their shortcuts, one place for both ways in: keys pressed in the page, and the
 * application menu / tray of the desktop app (`ui.command` events, sent to the focused window only).
 *
 *   F5, Strg+R  Abrufen            Strg+F        Suchen
 *   Strg+E      PDF exportieren    Strg+P        Drucken
 *   Strg+Umschalt+C  Block kopieren (the card with the focus, else the first)
 *
 * Screens register handlers for the commands they can carry out; a command nobody handles does nothing. The
 * single-letter shortcut N (next unread) lives in the message list, which handles it only while it has focus.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useApi } from '../api/api-context.js';

export type Command = 'fetch' | 'search' | 'export' | 'print' | 'copyBlock' | 'settings' | 'about';

type Handlers = Partial<Record<Command, () => void>>;

interface CommandsValue {
  readonly register: (handlers: Handlers) => () => void;
  readonly run: (command: Command) => void;
}

const CommandsContext = createContext<CommandsValue>({ register: () => () => undefined, run: () => undefined });

/** Which command a key press means, or undefined. */
export function commandOfKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): Command | undefined {
  const mod = event.ctrlKey || event.metaKey;
  if (event.altKey) return undefined;
  if (event.key === 'F5' && !mod) return 'fetch';
  if (!mod) return undefined;
  const key = event.key.toLowerCase();
  if (event.shiftKey) return key === 'c' ? 'copyBlock' : undefined;
  if (key === 'r') return 'fetch';
  if (key === 'f') return 'search';
  if (key === 'e') return 'export';
  if (key === 'p') return 'print';
  return undefined;
}

export function CommandsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const stack = useRef<Handlers[]>([]);

  const run = useCallback((command: Command) => {
    for (let i = stack.current.length - 1; i >= 0; i--) {
      const handler = stack.current[i]?.[command];
      if (handler) {
        handler();
        return;
      }
    }
  }, []);

  const register = useCallback((handlers: Handlers) => {
    stack.current.push(handlers);
    return () => {
      stack.current = stack.current.filter((h) => h !== handlers);
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const command = commandOfKey(event);
      if (command === undefined) return;
      // a modal dialog is open: only its own keys count
      if (document.querySelector('.modal-overlay') !== null) return;
      event.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    const off = api.on('ui.command', ({ command }) => run(command));
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, [api, run]);

  const value = useMemo(() => ({ register, run }), [register, run]);
  return <CommandsContext.Provider value={value}>{children}</CommandsContext.Provider>;
}

/** Registers handlers while the component is shown; the newest registration wins for a command. */
export function useCommands(handlers: Handlers): void {
  const { register } = useContext(CommandsContext);
  const latest = useRef(handlers);
  latest.current = handlers;
  const names = Object.keys(handlers).sort().join(',');
  useEffect(() => {
    const proxy: Handlers = {};
    for (const name of names.split(',') as Command[]) if (name) proxy[name] = () => latest.current[name]?.();
    return register(proxy);
  }, [register, names]);
}

export function useRunCommand(): (command: Command) => void {
  return useContext(CommandsContext).run;
}
