/**
 * The mailbox window's arrangement as the caseworker left it — the message list's width (the splitter), the list
 * density and the day groups — read once from the service (`workspace.layout`, kept in workspace.json) and saved back when it
 * changes, so a restart (and the browser mode on another day) shows the same window. A drag saves once it rests.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { UiLayout } from '../../../core/api/contract/workspace.js';
import { DEFAULT_UI_LAYOUT } from '../../../core/api/contract/ui-layout-default.js';
import { useApi } from '../api/api-context.js';

const SAVE_DELAY_MS = 400;

export interface Layout extends UiLayout {
  /** The arrangement was read from the service (before that, the defaults show). */
  readonly loaded: boolean;
  readonly change: (patch: Partial<UiLayout>) => void;
}

export function useLayout(): Layout {
  const api = useApi();
  const [layout, setLayout] = useState<UiLayout>(DEFAULT_UI_LAYOUT);
  const [loaded, setLoaded] = useState(false);
  const pending = useRef<Partial<UiLayout>>({});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    api.call('workspace.layout', {}).then(
      (stored) => {
        if (cancelled) return;
        setLayout(stored);
        setLoaded(true);
      },
      () => setLoaded(true), // the defaults: the arrangement is a convenience, never a reason to fail
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const flush = useCallback(() => {
    const patch = pending.current;
    pending.current = {};
    if (Object.keys(patch).length > 0) api.call('workspace.setLayout', patch).catch(() => undefined);
  }, [api]);

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      flush();
    },
    [flush],
  );

  const change = useCallback(
    (patch: Partial<UiLayout>) => {
      setLayout((current) => ({ ...current, ...patch }));
      pending.current = { ...pending.current, ...patch };
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, SAVE_DELAY_MS);
    },
    [flush],
  );

  return { ...layout, loaded, change };
}
