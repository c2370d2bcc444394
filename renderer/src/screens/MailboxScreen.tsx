/**
 * The mailbox: three panes — views and quick filters | the list | the application — under a toolbar with
 * "Abrufen" (progress, cancel), the search (Strg+F, with the number of matches), the audit log, settings and about.
 * In a narrow window (zoom 200 %) one pane shows at a time: the list, or the application with "Zurück".
 *
 * Performance marks for the tests and the bench: `postfach:list-first-render` (mailbox shown → first rows on
 * screen) and `postfach:list-query` (a filter, search or sort changed → its rows on screen).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Button, Input, Label, ListBox, ListBoxItem, Popover, SearchField, Select, SelectValue, ToggleButton } from 'react-aria-components';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import type { MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { IconChevronLeft, IconHelp, IconLog, IconSearch, IconSettings } from '../components/Icons.js';
import { AboutDialog } from '../dialogs/AboutDialog.js';
import { AuditDialog } from '../dialogs/AuditDialog.js';
import { SettingsDialog } from '../dialogs/SettingsDialog.js';
import { useLanguage } from '../i18n/i18n.js';
import { useCommands } from '../keyboard/commands.js';
import { FetchControl, FetchProgressText } from '../mailbox/FetchControl.js';
import { FolderPane, NO_FILTERS, filterRange, type Filters, type Folder } from '../mailbox/FolderPane.js';
import { groupedLayout, groupStarts } from '../mailbox/day-groups.js';
import { SearchHighlight } from '../components/Highlight.js';
import { today as officeToday } from '../format/days.js';
import { MessageList } from '../mailbox/MessageList.js';
import { useFetcher } from '../mailbox/use-fetch.js';
import { useMessagePages, type ListQuery } from '../mailbox/use-message-pages.js';
import { MessageView } from '../message/MessageView.js';
import { AppShell } from '../shell/AppShell.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { Splitter } from '../layout/Splitter.js';
import { useLayout } from '../layout/use-layout.js';
import { leavesView, useArrivals } from '../mailbox/live-list.js';

type SortKey = NonNullable<ListQuery['sort']>;
const SORTS: readonly SortKey[] = ['eingang', 'applicant', 'benefit', 'state', 'followUp'];
type Counts = MethodOutput<'messages.counts'>;

function useNarrow(): boolean {
  const query = '(max-width: 56rem)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = (): void => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The office's day, looked at once a minute: the day groups move on at midnight. */
function useOfficeToday(): string {
  const [day, setDay] = useState(() => officeToday());
  useEffect(() => {
    const timer = setInterval(() => setDay(officeToday()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return day;
}

function queryOf(folder: Folder, filters: Filters, search: string, sort: SortKey, descending: boolean, day: string): ListQuery {
  const words = search.trim();
  return {
    ...(folder === 'trash' ? { folder: 'trash' as const } : {}),
    ...(folder === 'unread' || filters.unread ? { unread: true } : {}),
    ...(folder === 'notTransferred' || filters.notTransferred ? { notTransferred: true } : {}),
    ...(folder === 'transferred' ? { transferred: true } : {}),
    ...(folder === 'test' ? { test: true } : {}),
    ...(folder === 'unreadable' ? { unreadable: true } : {}),
    ...(folder === 'followUp' ? { followUp: true } : {}),
    ...(filters.withAttachments ? { withAttachments: true } : {}),
    ...filterRange(filters),
    ...(words === '' ? {} : { search: words }),
    sort,
    descending,
    // sorted by Eingang, the list is grouped by Eingang day (day-groups.ts)
    ...(sort === 'eingang' ? { countFrom: groupStarts(day).map((g) => g.from) } : {}),
  };
}

export function MailboxScreen({ onSetUp }: { onSetUp: () => void }) {
  const api = useApi();
  const { t } = useLanguage();
  const { identity, training, isDesktop } = useWorkspace();
  const { reportError, clearTransient, announce } = useStatus();
  const narrow = useNarrow();
  const [folder, setFolder] = useState<Folder>('inbox');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText, 250);
  const [sort, setSort] = useState<SortKey>('eingang');
  const [descending, setDescending] = useState(true);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [showMessage, setShowMessage] = useState(false);
  const [counts, setCounts] = useState<Counts | undefined>(undefined);
  const [dialog, setDialog] = useState<'settings' | 'audit' | 'about' | null>(null);
  /** The audit log narrowed to one message (opened from the message's menu). */
  const [auditFor, setAuditFor] = useState<number | undefined>(undefined);
  const searchInput = useRef<HTMLInputElement>(null);
  const patched = useRef(new Map<number, number>());
  const focusMessageWanted = useRef(false);
  const [focusRequest, setFocusRequest] = useState(0);

  // ---- performance marks ----
  const mountMark = useRef<string | null>(null);
  if (mountMark.current === null) {
    mountMark.current = 'postfach:mailbox-shown';
    performance.mark(mountMark.current);
  }
  const day = useOfficeToday();
  const query = useMemo(() => queryOf(folder, filters, search, sort, descending, day), [folder, filters, search, sort, descending, day]);
  const queryMark = useRef<{ key: string; mark: string } | null>(null);
  const firstRendered = useRef(false);
  const queryKey = JSON.stringify(query);
  const previousQueryKey = useRef(queryKey);
  if (previousQueryKey.current !== queryKey) {
    previousQueryKey.current = queryKey;
    const mark = `postfach:query-${performance.now()}`;
    performance.mark(mark);
    queryMark.current = { key: queryKey, mark };
  }
  const onRowsShown = useCallback((key: string) => {
    if (!firstRendered.current) {
      firstRendered.current = true;
      performance.measure('postfach:list-first-render', 'postfach:mailbox-shown');
    }
    const pending = queryMark.current;
    if (pending !== null && key.startsWith(pending.key)) {
      queryMark.current = null;
      performance.measure('postfach:list-query', pending.mark);
    }
  }, []);

  const pages = useMessagePages(query);
  const { reload, patch, remove } = pages;
  const pagesNow = useRef(pages);
  pagesNow.current = pages;
  const grouped = sort === 'eingang';
  const layout = useMemo(() => (grouped ? groupedLayout(pages.total ?? 0, pages.atOrAfter, descending) : undefined), [grouped, pages.total, pages.atOrAfter, descending]);
  const paneLayout = useLayout();

  const refreshCounts = useCallback(() => {
    api.call('messages.counts', {}).then(setCounts, () => undefined);
  }, [api]);
  useEffect(refreshCounts, [refreshCounts]);

  // changes from fetches, other windows and retention
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('messages.changed', (change) => {
      clearTimeout(timer);
      timer = setTimeout(refreshCounts, 200);
      const now = Date.now();
      const ours = change.reason === 'state' && change.ids !== undefined && change.ids.every((id) => now - (patched.current.get(id) ?? 0) < 3000);
      if (!ours) reload();
      if (change.reason === 'deleted' || change.reason === 'retention') {
        setSelectedId((current) => (current !== null && change.ids?.includes(current) ? null : current));
      }
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [api, refreshCounts, reload]);

  // the reading pane reads its message again after a change made around it (Rückgängig, Wiederherstellen)
  const [viewVersion, setViewVersion] = useState(0);
  const viewNow = useRef({ folder, filters });
  viewNow.current = { folder, filters };
  const onItemChanged = useCallback(
    (item: MessageListItem) => {
      patched.current.set(item.id, Date.now());
      const shown = pagesNow.current;
      const index = shown.indexOf(item.id);
      const before = index === undefined ? undefined : shown.itemAt(index);
      const leaving = before === undefined ? null : leavesView(before, item, viewNow.current.folder, viewNow.current.filters);
      if (leaving === null) {
        patch(item);
        return;
      }
      // the row leaves the view at once; the status bar offers to take it back for a while
      remove(item.id);
      const undo = (): void => {
        patched.current.set(item.id, Date.now());
        const back = leaving === 'trashed' ? api.call('messages.setTrashed', { id: item.id, trashed: false }) : leaving === 'transferred' ? api.call('messages.setTransferred', { id: item.id, transferred: false }) : api.call('messages.setTrashed', { id: item.id, trashed: true });
        back.then(() => {
          setViewVersion((v) => v + 1);
          reload();
          refreshCounts();
          announce(t.mailbox.space.undone);
        }, reportError);
      };
      const text = leaving === 'trashed' ? t.mailbox.space.trashedUndo : leaving === 'transferred' ? t.mailbox.space.transferredUndo : t.mailbox.space.restoredFromTrash;
      announce(text, { label: t.mailbox.space.undo, run: undo, forMs: 10_000 });
    },
    [patch, remove, reload, refreshCounts, api, announce, reportError, t],
  );
  // the change event of our own action may arrive before the action's answer: it is ours all the same
  const onBeforeChange = useCallback((id: number) => patched.current.set(id, Date.now()), []);

  // during a fetch each stored delivery comes into the list (said politely), without moving what is selected
  const arrivals = useArrivals(
    useCallback(() => {
      refreshCounts();
      reload();
    }, [refreshCounts, reload]),
  );

  const fetcher = useFetcher(
    useCallback(() => {
      refreshCounts();
      reload();
    }, [refreshCounts, reload]),
  );

  useCommands({
    fetch: () => fetcher.start(false),
    search: () => {
      searchInput.current?.focus();
      searchInput.current?.select();
    },
    settings: () => setDialog('settings'),
    about: () => setDialog('about'),
  });

  const select = useCallback((item: MessageListItem) => {
    setSelectedId(item.id);
    setShowMessage(true);
  }, []);
  const activate = useCallback(
    (item: MessageListItem) => {
      if (isDesktop && !narrow) {
        setSelectedId(item.id);
        api.call('window.openMessage', { id: item.id }).catch(reportError);
        return;
      }
      setSelectedId(item.id);
      setShowMessage(true);
      focusMessageWanted.current = true;
      setFocusRequest((n) => n + 1);
    },
    [isDesktop, narrow, api, reportError],
  );
  useEffect(() => {
    if (!focusMessageWanted.current || selectedId === null) return;
    // the heading of the message just opened (not the one still shown while it loads)
    const timer = setInterval(() => {
      const heading = document.querySelector<HTMLElement>(`[data-message-id="${selectedId}"] #message-heading`);
      if (heading) {
        heading.focus();
        focusMessageWanted.current = false;
        clearInterval(timer);
      }
    }, 50);
    const stop = setTimeout(() => clearInterval(timer), 3000);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [focusRequest, selectedId]);

  // moving on (another message, folder or dialog) clears the status bar's transient messages; a message that
  // goes away by the action itself (deleted: nothing selected) keeps what the action said
  useEffect(() => {
    if (selectedId !== null) clearTransient();
  }, [selectedId, clearTransient]);
  useEffect(() => {
    if (dialog !== null) clearTransient();
  }, [dialog, clearTransient]);

  const changeFolder = (f: Folder): void => {
    if (f !== folder) clearTransient();
    // the Wiedervorlage is read in due order, as a follow-up list is; elsewhere that order means nothing
    if (f === 'followUp' && folder !== 'followUp') {
      setSort('followUp');
      setDescending(false);
    } else if (f !== 'followUp' && sort === 'followUp') {
      setSort('eingang');
      setDescending(true);
    }
    setFolder(f);
    setShowMessage(false);
  };

  const folderName = t.mailbox.folders[folder];
  const listLabel = t.mailbox.list.label(folderName, pages.total ?? 0);
  const searching = search.trim() !== '';
  const notSetUp = identity === null && !training;
  const messagePaneVisible = !narrow || showMessage;
  const listPaneVisible = !narrow || !showMessage;
  const panesStyle = !narrow && paneLayout.listWidth !== null ? ({ '--list-width': `${paneLayout.listWidth}px` } as CSSProperties) : undefined;
  const roomForList = useCallback(() => {
    // the room there is: the window minus the views pane and the reading pane's least width (20rem)
    const panes = document.querySelector<HTMLElement>('.panes');
    const folders = document.querySelector<HTMLElement>('.panes > .folders');
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    return (panes?.clientWidth ?? window.innerWidth) - (folders?.offsetWidth ?? 0) - 20 * rem - 8;
  }, []);
  const selectedTrashed = folder === 'trash' && selectedId !== null ? pages.itemAt(pages.indexOf(selectedId) ?? -1) : undefined;

  const toolbar = (
    <div className="toolbar">
      <FetchControl fetcher={fetcher} />
      <div className="toolbar__search" role="search">
        <SearchField className="search" value={searchText} onChange={setSearchText} aria-label={t.mailbox.searchLabel} aria-keyshortcuts="Control+F">
          <IconSearch />
          <Input ref={searchInput} className="search__input" placeholder={t.mailbox.searchPlaceholder} data-testid="search" />
          <Button className="search__clear" aria-label={t.mailbox.clearSearch}>
            ×
          </Button>
        </SearchField>
        <span className="toolbar__results" aria-live="polite" data-testid="search-results">
          {searching && pages.total !== undefined && !pages.loading ? t.mailbox.results(pages.total) : ''}
        </span>
      </div>
      <div className="toolbar__end">
        <Button
          className="button button--quiet"
          onPress={() => {
            setAuditFor(undefined);
            setDialog('audit');
          }}
          data-testid="open-audit"
        >
          <IconLog />
          <span className="toolbar__label">{t.mailbox.auditLog}</span>
        </Button>
        <Button className="button button--quiet" onPress={() => setDialog('settings')} aria-keyshortcuts="Control+Comma" data-testid="open-settings">
          <IconSettings />
          <span className="toolbar__label">{t.mailbox.settings}</span>
        </Button>
        <Button className="button button--quiet" onPress={() => setDialog('about')} data-testid="open-about">
          <IconHelp />
          <span className="toolbar__label">{t.mailbox.about}</span>
        </Button>
      </div>
    </div>
  );

  return (
    <AppShell toolbar={toolbar} activity={fetcher.running ? <FetchProgressText fetcher={fetcher} /> : undefined} mainLabel={t.mailbox.regionList} fill>
      <h1 className="visually-hidden">{`${t.app.title} – ${folderName}`}</h1>
      {notSetUp ? (
        <div className="notice notice--info banner-inline" data-testid="not-set-up">
          <p>{t.mailbox.notSetUp}</p>
          <Button className="button" onPress={onSetUp}>
            {t.mailbox.setUpNow}
          </Button>
        </div>
      ) : null}
      <div className={`panes${narrow ? ' panes--narrow' : ' panes--split'}`} style={panesStyle}>
        {listPaneVisible ? <FolderPane folder={folder} onFolder={changeFolder} counts={counts} filters={filters} onFilters={setFilters} /> : null}
        {listPaneVisible ? (
          <section className="pane pane--list" id="list-pane" aria-label={t.mailbox.regionList}>
            <div className="list-header">
              <span className="list-header__count" data-testid="list-count">
                {pages.total === undefined ? t.status.loading : t.mailbox.listCount(pages.total)}
              </span>
              <Select
                className="select select--inline"
                selectedKey={sort}
                onSelectionChange={(k) => {
                  const next = (SORTS as readonly unknown[]).includes(k) ? (k as SortKey) : 'eingang';
                  setSort(next);
                  // newest first for the Eingang, A to Z for names and the rest (the toggle still turns it round)
                  setDescending(next === 'eingang');
                }}
              >
                <Label className="select__label">{t.mailbox.sort.label}</Label>
                <Button className="select__button select__button--small" data-testid="sort-select">
                  <SelectValue />
                </Button>
                <Popover className="popover">
                  <ListBox className="menu">
                    {SORTS.map((s) => (
                      <ListBoxItem key={s} id={s} className="menu__item">
                        {t.mailbox.sort[s]}
                      </ListBoxItem>
                    ))}
                  </ListBox>
                </Popover>
              </Select>
              <ToggleButton
                className="button button--secondary button--small"
                isSelected={paneLayout.density === 'compact'}
                onChange={(compact) => paneLayout.change({ density: compact ? 'compact' : 'comfortable' })}
                aria-label={t.mailbox.space.density}
                data-testid="density-toggle"
              >
                <span aria-hidden="true" title={t.mailbox.space.densityHint}>
                  ☰
                </span>
              </ToggleButton>
              <ToggleButton className="button button--secondary button--small" isSelected={descending} onChange={setDescending} aria-label={`${t.mailbox.sort.direction}: ${descending ? t.mailbox.sort.descending : t.mailbox.sort.ascending}`}>
                {descending ? '↓' : '↑'}
              </ToggleButton>
            </div>
            {selectedTrashed !== undefined && selectedTrashed.state === 'trashed' ? (
              <div className="list-toolbar">
                <Button
                  className="button button--secondary button--small"
                  data-testid="restore-selected"
                  onPress={() => {
                    onBeforeChange(selectedTrashed.id);
                    api.call('messages.setTrashed', { id: selectedTrashed.id, trashed: false }).then((item) => {
                      onItemChanged(item);
                      setViewVersion((v) => v + 1);
                    }, reportError);
                  }}
                >
                  {t.mailbox.space.restore}
                </Button>
              </div>
            ) : null}
            <span className="visually-hidden" aria-live="polite" data-testid="list-arrivals">
              {arrivals.said}
            </span>
            {pages.error !== undefined ? <ErrorNotice error={pages.error} onRetry={pages.reload} /> : null}
            <SearchHighlight search={search}>
            <MessageList
              layout={layout}
              pages={pages}
              label={listLabel}
              selectedId={selectedId}
              onSelect={select}
              onActivate={activate}
              emptyText={searching ? t.mailbox.list.emptySearch : t.mailbox.list.empty}
              onRowsShown={onRowsShown}
              followFocus={!narrow}
              density={paneLayout.density}
            />
            </SearchHighlight>
            <p className="list-hint">{t.mailbox.list.hint}</p>
          </section>
        ) : null}
        {!narrow && listPaneVisible && paneLayout.loaded ? <Splitter controls="list-pane" label={t.mailbox.space.splitter} min={240} max={roomForList} onChange={(listWidth) => paneLayout.change({ listWidth })} /> : null}
        {messagePaneVisible ? (
          <section className="pane pane--message" aria-label={t.mailbox.regionMessage}>
            {narrow ? (
              <Button className="button button--secondary button--small pane__back" onPress={() => setShowMessage(false)}>
                <IconChevronLeft />
                {t.common.back}
              </Button>
            ) : null}
            {selectedId === null ? (
              <p className="pane__empty">{t.message.none}</p>
            ) : (
              <SearchHighlight search={search}>
                <MessageView
                  key={viewVersion}
                  id={selectedId}
                  onItemChanged={onItemChanged}
                  onBeforeChange={onBeforeChange}
                  onShowLog={(id) => {
                    setAuditFor(id);
                    setDialog('audit');
                  }}
                />
              </SearchHighlight>
            )}
          </section>
        ) : null}
      </div>
      <SettingsDialog isOpen={dialog === 'settings'} onClose={() => setDialog(null)} onSetUp={onSetUp} />
      <AuditDialog isOpen={dialog === 'audit'} onClose={() => setDialog(null)} deliveryId={auditFor} />
      <AboutDialog isOpen={dialog === 'about'} onClose={() => setDialog(null)} />
    </AppShell>
  );
}
