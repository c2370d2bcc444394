/**
 * Fetching: "Abrufen" (button, F5/Strg+R, the menu and the tray), the periodic background fetch of the configured
 * interval, progress from `fetch.progress` (count, bytes), cancel between deliveries, and the outcome in the status
 * bar and in the workspace ("Zuletzt abgerufen"). A background fetch that finds another fetch running stays quiet.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FetchProgress, FetchResult } from '../../../core/api/contract/mailbox.js';
import { PostfachError, toPostfachError } from '../../../core/errors.js';
import { useApi } from '../api/api-context.js';
import { useLanguage } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

export interface FetchState {
  readonly running: boolean;
  readonly cancelling: boolean;
  readonly progress: FetchProgress | undefined;
  readonly background: boolean;
}

export interface Fetcher extends FetchState {
  readonly start: (background?: boolean) => void;
  readonly cancel: () => void;
  /** The mailbox identity is set up: fetching is possible. */
  readonly possible: boolean;
}

export function useFetcher(onFetched: (result: FetchResult) => void): Fetcher {
  const api = useApi();
  const { t, settings } = useLanguage();
  const { announce, reportError, clear } = useStatus();
  const { identity, setWorkspace } = useWorkspace();
  const [state, setState] = useState<FetchState>({ running: false, cancelling: false, progress: undefined, background: false });
  const running = useRef(false);
  const fetched = useRef(onFetched);
  fetched.current = onFetched;
  const possible = identity !== null && identity !== undefined;

  useEffect(() => api.on('fetch.progress', (progress) => setState((s) => (s.running ? { ...s, progress } : s))), [api]);

  const record = useCallback(
    (outcome: FetchResult['outcome'], newMessages: number, errorKind?: string) => {
      api.call('workspace.recordFetch', { outcome, newMessages, ...(errorKind === undefined ? {} : { errorKind }) }).then(setWorkspace, () => undefined);
    },
    [api, setWorkspace],
  );

  const start = useCallback(
    (background = false) => {
      if (running.current || !possible) return;
      running.current = true;
      // a fetch the caseworker starts makes the last outcome (and a failed fetch's error) old news
      if (!background) clear();
      setState({ running: true, cancelling: false, progress: undefined, background });
      api
        .call('mailbox.fetch', {})
        .then(
          (result) => {
            if (result.outcome === 'failed') {
              const error = result.error
                ? new PostfachError(
                    result.error.kind,
                    { de: result.error.message, en: result.error.messageEn },
                    result.error.detail,
                    result.error.osciCode ? { osciCode: result.error.osciCode } : {},
                  )
                : undefined;
              record('failed', result.newMessages, result.error?.kind);
              reportError(error ?? new PostfachError('fetch-failed', { de: t.fetch.phases.failed, en: t.fetch.phases.failed }, 'fetch failed without error'), { lasting: true });
            } else if (result.outcome === 'cancelled') {
              record('cancelled', result.newMessages);
              announce(t.fetch.cancelled(result.newMessages));
            } else {
              record('complete', result.newMessages);
              if (!background || result.newMessages > 0) announce(t.fetch.result(result.newMessages, result.unreadable));
            }
            fetched.current(result);
            // the hand-over folder for the case system could not be written: said until the next step (nothing is lost)
            const handover = result.outcome === 'failed' ? undefined : result.handover?.error;
            if (handover) reportError(new PostfachError(handover.kind, { de: handover.message, en: handover.messageEn }, handover.detail), { lasting: true });
          },
          (error: unknown) => {
            const e = toPostfachError(error);
            if (background && e.kind === 'fetch-running') return;
            record('failed', 0, e.kind);
            reportError(e, { lasting: true });
          },
        )
        .finally(() => {
          running.current = false;
          setState({ running: false, cancelling: false, progress: undefined, background: false });
        });
    },
    [api, possible, record, announce, reportError, clear, t],
  );

  const cancel = useCallback(() => {
    setState((s) => ({ ...s, cancelling: true }));
    api.call('mailbox.cancelFetch', {}).catch(reportError);
  }, [api, reportError]);

  // the periodic background fetch, while the program is open
  const minutes = settings.fetchIntervalMinutes;
  useEffect(() => {
    if (minutes <= 0 || !possible) return;
    const timer = setInterval(() => start(true), minutes * 60_000);
    return () => clearInterval(timer);
  }, [minutes, possible, start]);

  // one object while nothing changed: the toolbar is not rendered again when only the list's rows change
  return useMemo(() => ({ ...state, start, cancel, possible }), [state, start, cancel, possible]);
}
