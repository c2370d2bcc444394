/**
 * The mailbox: three panes — views and quick filters | the list | the application — under a toolbar with
 * "Abrufen" (progress, cancel), the search (Strg+F, with the number of matches), the audit log, settings and about.
 * In a narrow window (zoom 200 %) one pane shows at a time: the list, or the application with "Zurück".
 *
 * This screen composes. The state lives in named hooks — which part the list shows (use-list-view.ts), its rows
 * (use-message-pages.ts), the message shown (use-selection.ts), rows changed here (use-leaving-rows.ts) and
 * elsewhere (use-list-changes.ts), the counts, the fetch, the window's arrangement, the performance marks — and
 * the panes are components of their own.
 */
import { memo, useCallback, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Button } from 'react-aria-components';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { SearchHighlight } from '../components/Highlight.js';
import { AboutDialog, AuditDialog, SettingsDialog } from '../lazy/screens.js';
import { useLanguage } from '../i18n/i18n.js';
import { useCommands } from '../keyboard/commands.js';
import { Splitter } from '../layout/Splitter.js';
import { useLayout } from '../layout/use-layout.js';
import { useNarrow } from '../layout/use-narrow.js';
import { groupedLayout } from '../mailbox/day-groups.js';
import { FetchProgressText } from '../mailbox/FetchControl.js';
import { useInboxPeople } from '../mailbox/use-inbox-people.js';
import { FolderPane, type Folder } from '../mailbox/FolderPane.js';
import { ListHeader } from '../mailbox/ListHeader.js';
import { isGrouped, queryOf } from '../mailbox/list-query.js';
import { useArrivals } from '../mailbox/live-list.js';
import { MailboxToolbar } from '../mailbox/MailboxToolbar.js';
import { MessageList } from '../mailbox/MessageList.js';
import { ReadingPane } from '../mailbox/ReadingPane.js';
import { RestoreBar } from '../mailbox/RestoreBar.js';
import { useCounts } from '../mailbox/use-counts.js';
import { useFetcher } from '../mailbox/use-fetch.js';
import { useLeavingRows } from '../mailbox/use-leaving-rows.js';
import { useListChanges } from '../mailbox/use-list-changes.js';
import { useListMarks } from '../mailbox/use-list-marks.js';
import { useListView } from '../mailbox/use-list-view.js';
import { useMessagePages } from '../mailbox/use-message-pages.js';
import { useOfficeToday } from '../mailbox/use-office-today.js';
import { useSelection } from '../mailbox/use-selection.js';
import type { Density } from '../mailbox/use-list-virtualizer.js';
import { AppShell } from '../shell/AppShell.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

/**
 * The panes around the list, rendered again only when their own props change. Rows arriving for a query (a page of
 * 100, a new filter's first page) change the list and the count; without these the toolbar, the views pane, the
 * reading pane and the dialogs were rendered again with every page too (most of the page's CPU time per query at
 * 100,000 messages). Their callbacks below are stable for the same reason.
 */
const Toolbar = memo(MailboxToolbar);
const Folders = memo(FolderPane);
const Header = memo(ListHeader);
const Reading = memo(ReadingPane);
const PaneSplitter = memo(Splitter);
const Settings = memo(SettingsDialog);
const Audit = memo(AuditDialog);
const About = memo(AboutDialog);

/** The reading pane's least width (rem) beside the list; the splitter stops there. */
const MESSAGE_MIN_REM = 20;

export function MailboxScreen({ onSetUp }: { onSetUp: () => void }) {
  const { t } = useLanguage();
  const { identity, training } = useWorkspace();
  const { clearTransient } = useStatus();
  const narrow = useNarrow();
  const view = useListView();
  const paneLayout = useLayout();
  const selection = useSelection(narrow);
  // a mailbox shared through postfach serve: the views "Meine" and "Nicht zugewiesen"
  const people = useInboxPeople();
  const [dialog, setDialog] = useState<'settings' | 'audit' | 'about' | null>(null);
  /** The audit log narrowed to one message (opened from the message's menu). */
  const [auditFor, setAuditFor] = useState<number | undefined>(undefined);
  const searchInput = useRef<HTMLInputElement>(null);
  // the reading pane reads its message again after a change made around it (Rückgängig, Wiederherstellen)
  const [viewVersion, setViewVersion] = useState(0);
  const reopen = useCallback(() => setViewVersion((v) => v + 1), []);

  const day = useOfficeToday();
  const { folder, filters, search, sort, descending } = view;
  const { groupByDay } = paneLayout;
  const grouped = isGrouped({ sort, groupByDay });
  const query = useMemo(() => queryOf({ folder, filters, search, sort, descending, groupByDay }, day), [folder, filters, search, sort, descending, groupByDay, day]);
  const onRowsShown = useListMarks(JSON.stringify(query));
  const pages = useMessagePages(query);
  const { reload } = pages;
  const layout = useMemo(() => (grouped ? groupedLayout(pages.total ?? 0, pages.atOrAfter, descending) : undefined), [grouped, pages.total, pages.atOrAfter, descending]);

  const { counts, refreshCounts } = useCounts();
  const { markOurs } = useListChanges({ reload, refreshCounts, onGone: selection.forget });
  const onItemChanged = useLeavingRows({ pages, folder, filters, selection, markOurs, refreshCounts, reopen });
  const reread = useCallback(() => {
    refreshCounts();
    reload();
  }, [refreshCounts, reload]);
  // during a fetch each stored delivery comes into the list (said politely), without moving what is selected
  const arrivals = useArrivals(reread);
  const fetcher = useFetcher(reread);

  const openDialog = useCallback(
    (which: 'settings' | 'audit' | 'about', forMessage?: number) => {
      // moving on to a dialog: what the status bar said goes
      clearTransient();
      setAuditFor(forMessage);
      setDialog(which);
    },
    [clearTransient],
  );
  const openAudit = useCallback(() => openDialog('audit'), [openDialog]);
  const openSettings = useCallback(() => openDialog('settings'), [openDialog]);
  const openAbout = useCallback(() => openDialog('about'), [openDialog]);
  const showLog = useCallback((id: number) => openDialog('audit', id), [openDialog]);
  const closeDialog = useCallback(() => setDialog(null), []);
  useCommands({
    fetch: () => fetcher.start(false),
    search: () => {
      searchInput.current?.focus();
      searchInput.current?.select();
    },
    settings: () => openDialog('settings'),
    about: () => openDialog('about'),
  });

  const { setFolder } = view;
  const { showList } = selection;
  const changeFolder = useCallback(
    (f: Folder): void => {
      if (f !== folder) clearTransient();
      setFolder(f);
      showList();
    },
    [folder, clearTransient, setFolder, showList],
  );
  const { change: changeLayout } = paneLayout;
  const changeDensity = useCallback((density: Density) => changeLayout({ density }), [changeLayout]);
  const changeGroupByDay = useCallback((on: boolean) => changeLayout({ groupByDay: on }), [changeLayout]);
  const changeListWidth = useCallback((listWidth: number | null) => changeLayout({ listWidth }), [changeLayout]);

  const folderName = t.mailbox.folders[folder];
  const searching = search.trim() !== '';
  const notSetUp = identity === null && !training;
  const messagePaneVisible = !narrow || selection.showMessage;
  const listPaneVisible = !narrow || !selection.showMessage;
  const panesStyle = !narrow && paneLayout.listWidth !== null ? ({ '--list-width': `${paneLayout.listWidth}px` } as CSSProperties) : undefined;
  const selected = selection.selectedId === null ? undefined : pages.itemAt(pages.indexOf(selection.selectedId) ?? -1);

  const toolbar = (
    <Toolbar
      fetcher={fetcher}
      searchText={view.searchText}
      onSearchText={view.setSearchText}
      searchInput={searchInput}
      results={searching && pages.total !== undefined && !pages.loading ? t.mailbox.results(pages.total) : ''}
      onAudit={openAudit}
      onSettings={openSettings}
      onAbout={openAbout}
    />
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
        {listPaneVisible ? <Folders folder={folder} onFolder={changeFolder} counts={counts} filters={filters} onFilters={view.setFilters} team={people.team} /> : null}
        {listPaneVisible ? (
          <section className="pane pane--list" id="list-pane" aria-label={t.mailbox.regionList}>
            <Header
              total={pages.total}
              sort={sort}
              onSort={view.setSort}
              descending={descending}
              onDescending={view.setDescending}
              density={paneLayout.density}
              onDensity={changeDensity}
              groupByDay={groupByDay}
              onGroupByDay={changeGroupByDay}
            />
            {folder === 'trash' && selected?.state === 'trashed' ? (
              <RestoreBar
                item={selected}
                onBeforeChange={markOurs}
                onRestored={(item) => {
                  onItemChanged(item);
                  reopen();
                }}
              />
            ) : null}
            <span className="visually-hidden" aria-live="polite" data-testid="list-arrivals">
              {arrivals.said}
            </span>
            {pages.error !== undefined ? <ErrorNotice error={pages.error} onRetry={pages.reload} /> : null}
            <SearchHighlight search={search}>
              <MessageList
                layout={layout}
                pages={pages}
                label={t.mailbox.list.label(folderName, pages.total ?? 0)}
                selectedId={selection.selectedId}
                onSelect={selection.select}
                onActivate={selection.activate}
                emptyText={searching ? t.mailbox.list.emptySearch : t.mailbox.list.empty}
                onRowsShown={onRowsShown}
                followFocus={!narrow}
                density={paneLayout.density}
              />
            </SearchHighlight>
            <p className="list-hint">{t.mailbox.list.hint}</p>
          </section>
        ) : null}
        {!narrow && listPaneVisible && paneLayout.loaded ? (
          <PaneSplitter controls="list-pane" label={t.mailbox.space.splitter} min={240} max={roomForList} onChange={changeListWidth} />
        ) : null}
        {messagePaneVisible ? (
          <Reading
            selectedId={selection.selectedId}
            version={viewVersion}
            search={search}
            narrow={narrow}
            onBack={selection.showList}
            onItemChanged={onItemChanged}
            onBeforeChange={markOurs}
            onShowLog={showLog}
          />
        ) : null}
      </div>
      <Settings isOpen={dialog === 'settings'} onClose={closeDialog} onSetUp={onSetUp} />
      <Audit isOpen={dialog === 'audit'} onClose={closeDialog} deliveryId={auditFor} />
      <About isOpen={dialog === 'about'} onClose={closeDialog} />
    </AppShell>
  );
}

/** The room there is for the list: the window minus the views pane and the reading pane's least width. */
function roomForList(): number {
  const panes = document.querySelector<HTMLElement>('.panes');
  const folders = document.querySelector<HTMLElement>('.panes > .folders');
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return (panes?.clientWidth ?? window.innerWidth) - (folders?.offsetWidth ?? 0) - MESSAGE_MIN_REM * rem - 8;
}
