/**
 * The application pane (or a window of its own): title, Testantrag banner, applicants, Eingang (Creation), the
 * signature in words with the details one click away, the state; the actions (übertragen, export, print, own
 * window, trash, ...); and the tabs Übersicht (cards, copy, checklist), Daten (full tree), Dokumente (viewer),
 * Laufzettel (proof of receipt, signature and certificate results).
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { Button, Menu, MenuItem, MenuTrigger, Popover, Separator, Tab, TabList, TabPanel, Tabs, Toolbar, type Key } from 'react-aria-components';
import { isolatedText } from '../../../core/visible-text.js';
import { useApi } from '../api/api-context.js';
import { writeClipboard } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { IconChevronDown, IconExport, IconMore, IconPrint, IconWindow } from '../components/Icons.js';
import { Modal } from '../components/Modal.js';
import { Shown } from '../components/Shown.js';
import { SignatureBadge } from '../components/SignatureBadge.js';
import { dateTime, officeDay } from '../format/format.js';
import { EingangNotice } from './eingang.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { useCommands } from '../keyboard/commands.js';
import { applicantOf, unreadableReasonOf } from '../mailbox/MessageRow.js';
import { PrintView } from '../print/PrintView.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { DataTree } from './DataTree.js';
import { DocumentsPanel } from './DocumentsPanel.js';
import { Laufzettel } from './Laufzettel.js';
import { SummaryCards } from './SummaryCards.js';
import { CaseWorkPanel } from './CaseWorkPanel.js';
import { SearchHighlight } from '../components/Highlight.js';
import { blockText, type Detail, type ListItem } from './types.js';
import { suggestedName, useDownloader, useExporter, type ExportFormat } from './use-exporter.js';
import { valueSource, ValueSourceProvider } from './value-source.js';
import { clipText } from '../../../core/text-bounds.js';
import { BenefitFullName } from './BenefitFullName.js';
import { benefitTitle } from './benefit-title.js';

/** Characters of the title and the applicants in the header (whole in the cards). */
const TITLE_CHARS = 160;
/** The line pinned over the content once the header is scrolled away: a line or two. */
const PINNED_CHARS = 80;

type TabId = 'overview' | 'data' | 'documents' | 'laufzettel';

/**
 * Who signed the application shown: the signer of the signature that covers it (the content's coverage), never of
 * another signature in the delivery; the certificate's common name, else its whole subject.
 */
function applicationSigner(detail: Detail): string | undefined {
  const content = detail.parts.find((p) => p.ref.source === 'content')?.coverage;
  if (content?.role !== 'application' || content.status !== 'signed') return undefined;
  const subject = detail.signatures[content.signatures[0] ?? -1]?.signer?.subject;
  if (subject === undefined) return undefined;
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1]?.trim() ?? subject;
}

export interface MessageViewProps {
  readonly id: number;
  /** The list patches its row from the item the service answered. */
  readonly onItemChanged?: (item: ListItem) => void;
  /** Called before this view changes the message (opening marks it read): the change event that follows is ours. */
  readonly onBeforeChange?: (id: number) => void;
  /** A window of its own: no "own window" action, the title is the page's main heading. */
  readonly standalone?: boolean;
  /** Opens the audit log narrowed to this message ("Protokoll dieses Antrags"). */
  readonly onShowLog?: (id: number) => void;
}

export function MessageView({ id, onItemChanged, onBeforeChange, standalone = false, onShowLog }: MessageViewProps) {
  const api = useApi();
  const { t, language, settings } = useLanguage();
  const w = useReadingWords();
  const familyFirst = settings.familyNameFirst;
  const { announce, reportError } = useStatus();
  const { isDesktop } = useWorkspace();
  const exportAs = useExporter();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [tab, setTab] = useState<TabId>('overview');
  const [printing, setPrinting] = useState(false);
  const headerRef = useRef<HTMLElement>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // "Aktenzeichen, Notiz oder Wiedervorlage eintragen …" (the ⋯ menu) opens the case-work form
  const [caseWorkOpen, setCaseWorkOpen] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    setDetail((d) => (d?.item.id === id ? d : null));
    onBeforeChange?.(id);
    api.call('messages.detail', { ref: { id } }).then(
      (loaded) => {
        if (cancelled) return;
        setDetail(loaded);
        setTab((current) => (loaded.view === null && (current === 'overview' || current === 'data') ? 'laufzettel' : current));
        onItemChanged?.(loaded.item);
      },
      (e: unknown) => {
        if (!cancelled) setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
    // the name order and imported code lists change how the service writes the view: read it again then
    // eslint-disable-next-line react-hooks/exhaustive-deps -- onItemChanged is a notification; a new function must not load the message again
  }, [api, id, attempt, familyFirst]);

  useEffect(() => api.on('codelists.changed', () => setAttempt((n) => n + 1)), [api]);

  const changed = useCallback(
    (item: ListItem) => {
      setDetail((d) => (d === null || d.item.id !== item.id ? d : { ...d, item }));
      onItemChanged?.(item);
    },
    [onItemChanged],
  );

  const act = useCallback(
    async (work: () => Promise<ListItem>, done: string) => {
      onBeforeChange?.(id);
      try {
        const item = await work();
        // said first, so that the list may say more (a row that leaves the view offers "Rückgängig")
        announce(done);
        changed(item);
      } catch (e) {
        reportError(e);
      }
    },
    [changed, announce, reportError, onBeforeChange, id],
  );

  const download = useDownloader();
  /**
   * The acceptance record of a Testantrag: in the desktop app with a screenshot of this window (the rendered
   * application), saved where the caseworker chooses; in browser mode without one, as a download.
   */
  const acceptanceRecord = useCallback(async () => {
    if (detail === null) return;
    const name = `Abnahmeprotokoll_${officeDay(detail.laufzettel.eingang ?? detail.item.eingang)}_${detail.item.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}.pdf`;
    try {
      if (isDesktop) {
        const { png } = await api.call('window.capture', {});
        const { path } = await api.call('dialog.saveFile', { kind: 'pdf', suggestedName: name });
        if (path === null) return;
        await api.call('abnahme.create', { id: detail.item.id, target: path, ...(png ? { screenshot: png, screenshotSource: 'Desktop-Programm' } : {}) });
        announce(t.ops.abnahmeDone(path));
        return;
      }
      const { downloadId, target } = await api.call('workspace.createDownload', { fileName: name });
      try {
        await api.call('abnahme.create', { id: detail.item.id, target });
      } catch (error) {
        await api.call('workspace.releaseDownload', { downloadId }).catch(() => undefined);
        throw error;
      }
      await download(downloadId);
      announce(t.ops.abnahmeDownloaded);
    } catch (error) {
      reportError(error);
    }
  }, [api, detail, isDesktop, download, announce, reportError, t]);

  const exportFormat = useCallback(
    (format: ExportFormat) => {
      if (detail === null) return;
      onBeforeChange?.(detail.item.id);
      void exportAs(detail.item.id, format, suggestedName(format, detail.laufzettel.eingang ?? detail.item.eingang, detail.item.messageId)).then((ok) => {
        if (ok && format !== 'receipt') {
          // the state may have become "exportiert"
          api.call('messages.list', { search: detail.item.messageId, limit: 1 }).then((page) => {
            const item = page.items.find((i) => i.id === detail.item.id);
            if (item) changed(item);
          }, () => undefined);
        }
      });
    },
    [detail, exportAs, api, changed, onBeforeChange],
  );

  // print: render the print layer, open the system dialog, record it
  useEffect(() => {
    if (!printing || detail === null) return;
    const frame = requestAnimationFrame(() => {
      window.print();
      setPrinting(false);
      api.call('messages.recordPrinted', { id: detail.item.id }).then(() => announce(t.message.printed), reportError);
    });
    return () => cancelAnimationFrame(frame);
  }, [printing, detail, api, announce, reportError, t]);

  const copyBlock = useCallback(() => {
    const cards = detail?.view?.cards ?? [];
    if (cards.length === 0) return;
    // the block in focus; without one, the first block a caseworker reads (never the technical facts)
    const focusedCard = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-card]')?.dataset.card;
    const card = cards.find((c) => c.id === focusedCard) ?? cards.find((c) => c.kind !== 'technical' && c.collapsed !== true) ?? cards[0];
    if (card === undefined || detail === null) return;
    valueSource(api, detail.item.id)
      .fullCard(card)
      .then((whole) => writeClipboard(blockText(whole, language, { noValue: w.noValue })))
      .then(() => announce(t.common.copiedBlock(isolatedText(card.title[language]))), reportError);
  }, [api, detail, language, announce, reportError, t, w]);

  useCommands({
    export: () => {
      if (detail?.view) exportFormat('pdf');
    },
    print: () => {
      if (detail) setPrinting(true);
    },
    copyBlock,
  });

  const setChecklist = async (ticked: string[]): Promise<void> => {
    if (detail === null) return;
    onBeforeChange?.(detail.item.id);
    try {
      const { checklist } = await api.call('messages.setChecklist', { id: detail.item.id, ticked });
      setDetail((d) => (d === null ? d : { ...d, checklist }));
      const cards = detail.view?.cards ?? [];
      const complete = cards.length > 0 && cards.every((c) => checklist.includes(c.id));
      if (complete && detail.item.state !== 'transferred') {
        changed(await api.call('messages.setTransferred', { id: detail.item.id, transferred: true }));
        announce(t.message.checklist.complete);
      }
    } catch (e) {
      reportError(e);
    }
  };

  if (error !== undefined) return <ErrorNotice error={error} onRetry={() => setAttempt((n) => n + 1)} />;
  if (detail === null)
    return (
      <p className="message__loading" role="status">
        {t.message.loading}
      </p>
    );

  const item = detail.item;
  const view = detail.view;
  const extraParts = detail.parts.filter((p) => p.coverage.role === 'extra').length;
  const signer = applicationSigner(detail);
  // the title and the applicants come from the message: bounded here, whole in the cards (BoundedValue)
  // the short benefit name as the title (the code list's word); the product's full name one click away
  const codeListWord = view?.benefit?.text !== undefined && view.benefit.text !== view.product ? view.benefit.text : undefined;
  const benefit = benefitTitle(codeListWord, view?.product ?? view?.benefit?.text ?? item.benefit.text ?? undefined, item.benefit.code ?? (item.unreadableReason !== null ? t.message.unreadableTitle : t.message.untitled));
  const title = clipText(benefit.title, TITLE_CHARS);
  const who = clipText(applicantOf(item, t, familyFirst), TITLE_CHARS);
  const transferred = item.state === 'transferred';
  const inTrash = item.state === 'trashed';
  const Title = standalone ? 'h1' : 'h2';

  const onMenu = (key: Key): void => {
    switch (key) {
      case 'pdf':
      case 'xml':
      case 'attachments':
      case 'receipt':
        exportFormat(key);
        return;
      case 'abnahme':
        void acceptanceRecord();
        return;
      case 'casework':
        setCaseWorkOpen(true);
        return;
      case 'unread':
        void act(() => api.call('messages.setRead', { id: item.id, read: false }), t.message.markedUnread);
        return;
      case 'trash':
        void act(() => api.call('messages.setTrashed', { id: item.id, trashed: true }), t.message.trashed);
        return;
      case 'restore':
        void act(() => api.call('messages.setTrashed', { id: item.id, trashed: false }), t.message.restored);
        return;
      case 'hold':
        void act(() => api.call('messages.setLegalHold', { id: item.id, hold: !item.legalHold }), item.legalHold ? t.message.actions.legalHoldOff : t.message.actions.legalHoldOn);
        return;
      case 'delete':
        setConfirmDelete(true);
        return;
      case 'log':
        onShowLog?.(item.id);
        return;
    }
  };

  const deleteForever = async (): Promise<void> => {
    setConfirmDelete(false);
    try {
      await api.call('messages.deletePermanently', { id: item.id });
      announce(t.message.deleted);
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <article className="message" aria-labelledby="message-heading" data-testid="message-view" data-message-id={item.id}>
      {item.isTest ? (
        <p className="banner banner--test" data-testid="test-banner">
          {t.message.testBanner}
        </p>
      ) : null}
      {item.unreadableReason === null && item.signatureStatus === 'unsigned' ? (
        <p className="banner banner--unsigned" role="note" data-testid="unsigned-banner">
          {t.message.unsignedBanner}
        </p>
      ) : null}
      {item.unreadableReason === null && extraParts > 0 ? (
        <p className="banner banner--extra" role="note" data-testid="extra-parts-banner">
          {t.message.extraParts(extraParts)}
        </p>
      ) : null}
      <PinnedSummary header={headerRef} messageId={item.id} who={clipText(who, PINNED_CHARS)} when={`${item.eingangKnown ? t.mailbox.list.eingang : t.mailbox.list.eingangUnknown} ${dateTime(item.eingang, language)}`} />
      <header className="message__header" ref={headerRef}>
        <Title id="message-heading" className="message__title" tabIndex={-1}>
          <Shown text={title} />
        </Title>
        {benefit.fullName === undefined ? null : <BenefitFullName key={item.id} name={clipText(benefit.fullName, TITLE_CHARS * 4)} />}
        <p className="message__who">
          <Shown text={who} />
        </p>
        <dl className="message__facts">
          <div>
            <dt>{t.message.eingang}</dt>
            <dd data-testid="message-eingang">
              {item.eingangKnown ? dateTime(detail.laufzettel.eingang ?? item.eingang, language, true) : `${t.message.eingangMissing} ${dateTime(item.eingang, language)}`}
              <EingangNotice item={item} language={language} />
            </dd>
          </div>
          <div>
            <dt>{t.message.signatureLine}</dt>
            <dd>
              <SignatureBadge status={item.signatureStatus} long />{' '}
              {signer !== undefined ? (
                <>
                  <span className="message__signer" data-testid="signature-signer">
                    {t.message.signedBy(signer)}
                  </span>{' '}
                </>
              ) : null}
              <Button className="button button--link" onPress={() => setTab('laufzettel')}>
                {t.message.showDetails}
              </Button>
            </dd>
          </div>
          <div>
            <dt>{t.message.state}</dt>
            <dd data-testid="message-state">{t.states[item.state]}</dd>
          </div>
          {view?.applicationDate ? (
            <div>
              <dt>{w.applicationDate}</dt>
              {/* an xs:date as written in the application (no time zone applies) */}
              <dd data-testid="message-application-date">
                <Shown text={clipText(view.applicationDate.display, TITLE_CHARS)} />
              </dd>
            </div>
          ) : null}
        </dl>
      </header>
      <Toolbar className="message__actions" aria-label={t.message.actions.label}>
        {view !== null && !inTrash ? (
          <Button className={transferred ? 'button button--secondary' : 'button'} onPress={() => void act(() => api.call('messages.setTransferred', { id: item.id, transferred: !transferred }), transferred ? t.message.unmarkedTransferred : t.message.markedTransferred)} aria-label={transferred ? t.message.actions.unmarkTransferred : t.message.actions.markTransferred} data-testid="toggle-transferred">
            {/* both labels take the room, the one not meant is invisible: the toolbar does not reflow when the state changes */}
            <span className="stable-label">
              <span data-shown={!transferred || undefined}>{t.message.actions.markTransferred}</span>
              <span data-shown={transferred || undefined}>{t.message.actions.unmarkTransferred}</span>
            </span>
          </Button>
        ) : null}
        <MenuTrigger>
          <Button className="button button--secondary" data-testid="export-menu">
            <IconExport />
            <span className="message__action-label">{t.message.actions.export}</span>
            <IconChevronDown />
          </Button>
          <Popover className="popover">
            <Menu className="menu" onAction={onMenu} disabledKeys={view === null ? ['pdf', ...(detail.documents.length === 0 ? ['attachments'] : [])] : []}>
              <MenuItem id="pdf" className="menu__item">
                {t.message.actions.exportPdf}
              </MenuItem>
              <MenuItem id="xml" className="menu__item">
                {t.message.actions.exportXml}
              </MenuItem>
              <MenuItem id="attachments" className="menu__item">
                {t.message.actions.exportAttachments}
              </MenuItem>
              <MenuItem id="receipt" className="menu__item">
                {t.message.actions.exportReceipt}
              </MenuItem>
              {item.isTest ? (
                <MenuItem id="abnahme" className="menu__item" textValue={t.ops.abnahme} data-testid="menu-abnahme">
                  {t.ops.abnahme}
                </MenuItem>
              ) : null}
            </Menu>
          </Popover>
        </MenuTrigger>
        <Button className="button button--secondary" onPress={() => setPrinting(true)} aria-keyshortcuts="Control+P">
          <IconPrint />
          <span className="message__action-label">{t.message.actions.print}</span>
        </Button>
        {isDesktop && !standalone ? (
          <Button className="button button--secondary" onPress={() => void api.call('window.openMessage', { id: item.id }).catch(reportError)}>
            <IconWindow />
            <span className="message__action-label">{t.message.actions.openWindow}</span>
          </Button>
        ) : null}
        <MenuTrigger>
          <Button className="button button--secondary" aria-label={t.message.actions.more} data-testid="more-menu">
            <IconMore />
          </Button>
          <Popover className="popover">
            <Menu className="menu" onAction={onMenu}>
              <MenuItem id="casework" className="menu__item">
                {t.habits.caseWork.add}
              </MenuItem>
              <MenuItem id="unread" className="menu__item">
                {t.message.actions.markUnread}
              </MenuItem>
              {inTrash ? (
                <MenuItem id="restore" className="menu__item">
                  {t.message.actions.restore}
                </MenuItem>
              ) : (
                <MenuItem id="trash" className="menu__item">
                  {t.message.actions.trash}
                </MenuItem>
              )}
              <MenuItem id="hold" className="menu__item">
                {item.legalHold ? t.message.actions.legalHoldOff : t.message.actions.legalHoldOn}
              </MenuItem>
              {onShowLog ? (
                <MenuItem id="log" className="menu__item" data-testid="menu-log">
                  {w.audit.showLog}
                </MenuItem>
              ) : null}
              {inTrash ? (
                <>
                  <Separator className="menu__separator" />
                  <MenuItem id="delete" className="menu__item menu__item--danger">
                    {t.message.actions.deleteForever}
                  </MenuItem>
                </>
              ) : null}
            </Menu>
          </Popover>
        </MenuTrigger>
      </Toolbar>

      {item.unreadableReason !== null ? (
        <div className="notice notice--warn" data-testid="unreadable-notice">
          <h3 className="notice__title">{t.message.unreadableHeading}</h3>
          <p>
            <strong>{unreadableReasonOf(item, language)}</strong>
          </p>
          <p>{t.message.unreadableText}</p>
        </div>
      ) : null}
      {detail.viewError !== undefined ? <ErrorNotice error={detail.viewError} headingLevel={3} /> : null}
      <CaseWorkPanel
        open={caseWorkOpen}
        onOpenChange={setCaseWorkOpen}
        id={item.id}
        caseWork={detail.caseWork}
        onBeforeChange={onBeforeChange}
        onSaved={(saved, caseWork) => {
          setDetail((d) => (d === null || d.item.id !== saved.id ? d : { ...d, caseWork }));
          changed(saved);
        }}
      />

      <Tabs className="tabs" selectedKey={tab} onSelectionChange={(k) => setTab(k as TabId)}>
        <TabList className="tabs__list" aria-label={t.message.tabsLabel}>
          {view !== null ? (
            <Tab id="overview" className="tabs__tab">
              {t.message.tabs.overview}
            </Tab>
          ) : null}
          {view !== null ? (
            <Tab id="data" className="tabs__tab">
              {t.message.tabs.data}
            </Tab>
          ) : null}
          <Tab id="documents" className="tabs__tab">
            {t.message.tabs.documents(detail.documents.length)}
          </Tab>
          <Tab id="laufzettel" className="tabs__tab">
            {t.message.tabs.laufzettel}
          </Tab>
        </TabList>
        {view !== null ? (
          <TabPanel id="overview" className="tabs__panel">
            <ValueSourceProvider messageId={item.id}>
              <SummaryCards cards={view.cards} checklist={detail.checklist} onChecklist={(ticked) => void setChecklist(ticked)} />
            </ValueSourceProvider>
          </TabPanel>
        ) : null}
        {view !== null ? (
          <TabPanel id="data" className="tabs__panel">
            <ValueSourceProvider messageId={item.id}>
              <DataTree tree={view.tree} />
            </ValueSourceProvider>
          </TabPanel>
        ) : null}
        <TabPanel id="documents" className="tabs__panel">
          <DocumentsPanel id={item.id} documents={detail.documents} />
        </TabPanel>
        <TabPanel id="laufzettel" className="tabs__panel">
          <Laufzettel detail={detail} />
        </TabPanel>
      </Tabs>
      {printing ? (
        // paper carries no search marks: what is printed is the application, not the search that found it
        <SearchHighlight search="">
          <PrintView detail={detail} />
        </SearchHighlight>
      ) : null}
      <Modal title={t.message.actions.deleteTitle} isOpen={confirmDelete} onClose={() => setConfirmDelete(false)} size="narrow" role="alertdialog">
        <p>{t.message.actions.deleteText}</p>
        <div className="form__actions">
          <Button className="button button--danger" onPress={() => void deleteForever()}>
            {t.message.actions.deleteConfirm}
          </Button>
          <Button className="button button--secondary" onPress={() => setConfirmDelete(false)}>
            {t.common.cancel}
          </Button>
        </div>
      </Modal>
    </article>
  );
}

/**
 * Once the message is scrolled past its header, a compact line pinned to the top of the reading pane keeps saying
 * which application is open (applicant, Eingang). It lies over the content (no space of its own, so nothing moves
 * when it appears) and is hidden from screen readers: the heading says the same.
 */
function PinnedSummary({ header, messageId, who, when }: { header: RefObject<HTMLElement | null>; messageId: number; who: string; when: string }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const target = header.current;
    if (target === null || typeof IntersectionObserver === 'undefined') return;
    // the header sits at the top of the message: out of sight means scrolled past (the pane clips it)
    const observer = new IntersectionObserver(([entry]) => setShown(entry !== undefined && !entry.isIntersecting));
    observer.observe(target);
    return () => observer.disconnect();
  }, [header, messageId]);
  return (
    <div className="message__pin" aria-hidden="true">
      <p className={shown ? 'message__pin-bar message__pin-bar--shown' : 'message__pin-bar'} data-testid="message-pinned">
        <Shown text={who} /> · {when}
      </p>
    </div>
  );
}
