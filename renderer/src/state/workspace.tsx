/**
 * What the whole window needs to know about the program: which host runs it (desktop app or browser mode), which
 * mailbox it works on (real or Übungsmodus, `workspace.*`), whether the store is open (`store.*`), and the mailbox
 * identity (certificate expiry for the status bar). Loaded once at start (`workspace.resume` starts the Übungsmodus
 * where it was chosen) and kept current through the service's events.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { AppInfo, MethodOutput } from '../../../core/api/contract.js';
import type { ServiceRestarted } from '../../../core/api/contract/app.js';
import type { StoreStatus } from '../../../core/api/contract/mailbox.js';
import type { TrainingPreparation, WorkspaceState } from '../../../core/api/contract/workspace.js';
import { useApi } from '../api/api-context.js';
import { setOfficeTimeZone } from '../format/format.js';
import { askStartPage } from '../mailbox/early-page.js';
import { takeEarlyWorkspace } from './early-start.js';

export type Identity = NonNullable<MethodOutput<'identity.get'>['identity']>;

export type Phase = 'loading' | 'failed' | 'first-start' | 'unlock' | 'mailbox';

interface WorkspaceValue {
  readonly info: AppInfo | undefined;
  readonly isDesktop: boolean;
  readonly workspace: WorkspaceState | undefined;
  readonly store: StoreStatus | undefined;
  /** undefined: not known yet; null: the store has no identity. */
  readonly identity: Identity | null | undefined;
  readonly phase: Phase;
  readonly bootError: unknown;
  readonly training: boolean;
  /** The background service ended and was started again (or not): shown until the caseworker acknowledges it. */
  readonly serviceIncident: ServiceRestarted | undefined;
  readonly acknowledgeServiceIncident: () => void;
  readonly reload: () => void;
  readonly refreshIdentity: () => Promise<void>;
  readonly setStore: (status: StoreStatus) => void;
  readonly setWorkspace: (state: WorkspaceState) => void;
}

const WorkspaceContext = createContext<WorkspaceValue | null>(null);

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | undefined>(undefined);
  const [workspace, setWorkspace] = useState<WorkspaceState | undefined>(undefined);
  const [store, setStoreState] = useState<StoreStatus | undefined>(undefined);
  // the store found open (unlocked, resumed, the Übungsmodus's): the list's first page is read while the mailbox
  // screen is built (early-page.ts), whichever of the answer and the event says so first
  const storeWasOpen = useRef(false);
  const setStore = useCallback(
    (status: StoreStatus) => {
      const open = status.state === 'open';
      if (open && !storeWasOpen.current) askStartPage(api, status.path);
      storeWasOpen.current = open;
      setStoreState(status);
    },
    [api],
  );
  const [identity, setIdentity] = useState<Identity | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  const [serviceIncident, setServiceIncident] = useState<ServiceRestarted | undefined>(undefined);

  // a new service holds no store: the window asks it again what it works on (the Übungsmodus opens itself, a real
  // mailbox asks for its password unless the OS key store opens it) and says in words what happened
  useEffect(
    () =>
      api.on('service.restarted', (incident) => {
        setServiceIncident(incident);
        if (incident.restarted) setAttempt((n) => n + 1);
      }),
    [api],
  );

  useEffect(() => {
    let cancelled = false;
    setBootError(undefined);
    const started = (appInfo: AppInfo, resumed: MethodOutput<'workspace.resume'>): void => {
      // every time shown is in the office's zone, which only the service knows (a machine setting)
      setOfficeTimeZone(appInfo.officeTimeZone);
      setInfo(appInfo);
      setWorkspace(resumed.state);
      setStore(resumed.store);
    };
    // the Übungsmodus's preparation, step by step (before the call that started it returns, and in the background after);
    // committed one by one: events that arrive together (one read of the event stream) would otherwise be batched
    // into one render and a short step would never be shown or announced by the status region
    const progress = (trainingPreparation: TrainingPreparation, commitNow: boolean): void => {
      const apply = (): void => setWorkspace((current) => (current === undefined ? current : { ...current, trainingPreparation }));
      if (commitNow) flushSync(apply);
      else apply();
    };
    // the first mount: the calls went out and the events were heard before React ran (early-start.ts); what arrived
    // meanwhile is applied in its order (without flushSync: React is committing this effect), the rest as it comes
    const early = takeEarlyWorkspace();
    if (early !== undefined) {
      let replaying = true;
      const close = early.attach((arrival) => {
        switch (arrival.kind) {
          case 'started':
            return started(arrival.info, arrival.resumed);
          case 'failed':
            return setBootError(arrival.error);
          case 'store.changed':
            return setStore(arrival.payload);
          case 'workspace.changed':
            return setWorkspace(arrival.payload);
          case 'workspace.trainingProgress':
            return progress(arrival.payload, !replaying);
        }
      });
      replaying = false;
      return close;
    }
    Promise.all([api.call('app.info', {}), api.call('workspace.resume', {})]).then(
      ([appInfo, resumed]) => {
        if (!cancelled) started(appInfo, resumed);
      },
      (error: unknown) => {
        if (!cancelled) setBootError(error);
      },
    );
    const offs = [
      api.on('store.changed', setStore),
      api.on('workspace.changed', setWorkspace),
      api.on('workspace.trainingProgress', (trainingPreparation) => progress(trainingPreparation, true)),
    ];
    return () => {
      cancelled = true;
      for (const off of offs) off();
    };
  }, [api, attempt, setStore]);

  const refreshIdentity = useCallback(async () => {
    try {
      setIdentity((await api.call('identity.get', {})).identity);
    } catch {
      setIdentity(null);
    }
  }, [api]);

  const storeOpen = store?.state === 'open';
  const identityConfigured = store?.identityConfigured === true;
  useEffect(() => {
    if (storeOpen) void refreshIdentity();
    else setIdentity(undefined);
  }, [storeOpen, identityConfigured, store?.path, refreshIdentity]);

  const phase: Phase =
    bootError !== undefined
      ? 'failed'
      : store === undefined || workspace === undefined
        ? 'loading'
        : store.state === 'open'
          ? 'mailbox'
          : store.state === 'locked'
            ? 'unlock'
            : 'first-start';

  const value = useMemo<WorkspaceValue>(
    () => ({
      info,
      isDesktop: info?.host === 'desktop',
      workspace,
      store,
      identity,
      phase,
      bootError,
      training: workspace?.mode === 'training',
      serviceIncident,
      acknowledgeServiceIncident: () => setServiceIncident(undefined),
      reload: () => setAttempt((n) => n + 1),
      refreshIdentity,
      setStore,
      setWorkspace,
    }),
    [info, workspace, store, identity, phase, bootError, refreshIdentity, serviceIncident, setStore],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): WorkspaceValue {
  const value = useContext(WorkspaceContext);
  if (value === null) throw new Error('useWorkspace outside WorkspaceProvider');
  return value;
}
