/**
 * The application pane (or a window of its own): title, Testantrag banner, applicants, Eingang (Creation), the
 * signature in words with the details one click away, the state; the actions (übertragen, export, print, own
 * window, trash, ...); and the tabs Übersicht (cards, copy, checklist), Daten (full tree), Dokumente (viewer),
 * Laufzettel (proof of receipt, signature and certificate results).
 *
 * This component composes: reading the message is `useMessageDetail`, what the caseworker does with it
 * `useMessageActions`, printing `usePrint`, "Block kopieren" `useCopyBlock`; header, toolbar and tabs are
 * components of their own.
 */
import { useCallback, useRef, useState } from 'react';
import { clipText } from '../../../core/text-bounds.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { SearchHighlight } from '../components/Highlight.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useCommands } from '../keyboard/commands.js';
import { applicantOf } from '../mailbox/MessageRow.js';
import { PrintView } from '../print/PrintView.js';
import { benefitTitle } from './benefit-title.js';
import { CaseWorkPanel } from './CaseWorkPanel.js';
import { ClaimBar } from './ClaimBar.js';
import { useInboxPeople } from '../mailbox/use-inbox-people.js';
import { DeleteConfirm } from './DeleteConfirm.js';
import { MessageBanners } from './MessageBanners.js';
import { MessageHeader, TITLE_CHARS } from './MessageHeader.js';
import { MessageTabs, tabFor, type TabId } from './MessageTabs.js';
import { MessageToolbar } from './MessageToolbar.js';
import { PinnedSummary } from './PinnedSummary.js';
import type { Detail, ListItem } from './types.js';
import { UnreadableNotice } from './UnreadableNotice.js';
import { useCopyBlock } from './use-copy-block.js';
import { useMessageActions } from './use-message-actions.js';
import { useMessageDetail } from './use-message-detail.js';
import { usePrint } from './use-print.js';

/** The line pinned over the content once the header is scrolled away: a line or two. */
const PINNED_CHARS = 80;

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
  const { t, language, settings } = useLanguage();
  const familyFirst = settings.familyNameFirst;
  const [tab, setTab] = useState<TabId>('overview');
  const onLoaded = useCallback((loaded: Detail) => setTab((current) => tabFor(loaded, current)), []);
  const { detail, error, retry, update } = useMessageDetail(id, { familyFirst, onLoaded, onItemChanged, onBeforeChange });
  const actions = useMessageActions(id, detail, update, { onItemChanged, onBeforeChange });
  const { printing, print } = usePrint(detail?.item.id);
  const copyBlock = useCopyBlock(detail);
  const headerRef = useRef<HTMLElement>(null);
  // the shared inbox (postfach serve): who works on it, and the steps to take, give back or hand it over
  const people = useInboxPeople();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // "Aktenzeichen, Notiz oder Wiedervorlage eintragen …" (the ⋯ menu) opens the case-work form
  const [caseWorkOpen, setCaseWorkOpen] = useState(false);

  useCommands({
    export: () => {
      if (detail?.view) actions.exportAs('pdf');
    },
    print: () => {
      if (detail) print();
    },
    copyBlock,
  });

  if (error !== undefined) return <ErrorNotice error={error} onRetry={retry} />;
  if (detail === null)
    return (
      <p className="message__loading" role="status">
        {t.message.loading}
      </p>
    );

  const item = detail.item;
  const view = detail.view;
  // the short benefit name as the title (the code list's word); the product's full name one click away
  const codeListWord = view?.benefit?.text !== undefined && view.benefit.text !== view.product ? view.benefit.text : undefined;
  const benefit = benefitTitle(
    codeListWord,
    view?.product ?? view?.benefit?.text ?? item.benefit.text ?? undefined,
    item.benefit.code ?? (item.unreadableKind !== null ? t.message.unreadableTitle : t.message.untitled),
  );
  const who = clipText(applicantOf(item, t, familyFirst), TITLE_CHARS);

  return (
    <article className="message" aria-labelledby="message-heading" data-testid="message-view" data-message-id={item.id}>
      <MessageBanners detail={detail} />
      <PinnedSummary
        header={headerRef}
        messageId={item.id}
        who={clipText(who, PINNED_CHARS)}
        when={`${item.eingangKnown ? t.mailbox.list.eingang : t.mailbox.list.eingangUnknown} ${dateTime(item.eingang, language)}`}
      />
      <MessageHeader
        detail={detail}
        title={clipText(benefit.title, TITLE_CHARS)}
        fullName={benefit.fullName}
        who={who}
        standalone={standalone}
        onShowDetails={() => setTab('laufzettel')}
        headerRef={headerRef}
      />
      <MessageToolbar
        detail={detail}
        actions={actions}
        standalone={standalone}
        onPrint={print}
        onCaseWork={() => setCaseWorkOpen(true)}
        onDelete={() => setConfirmDelete(true)}
        onShowLog={onShowLog}
        mayTakeOver={people.mayTakeOver}
      />
      {people.team ? <ClaimBar detail={detail} people={people} changed={actions.changed} onBeforeChange={onBeforeChange} /> : null}
      <UnreadableNotice item={item} />
      {detail.viewError !== undefined ? <ErrorNotice error={detail.viewError} headingLevel={3} /> : null}
      <CaseWorkPanel
        open={caseWorkOpen}
        onOpenChange={setCaseWorkOpen}
        id={item.id}
        caseWork={detail.caseWork}
        onBeforeChange={onBeforeChange}
        onSaved={(saved, caseWork) => {
          update((d) => (d.item.id !== saved.id ? d : { ...d, caseWork }));
          actions.changed(saved);
        }}
      />
      <MessageTabs detail={detail} tab={tab} onTab={setTab} onChecklist={(ticked) => void actions.setChecklist(ticked)} />
      {printing ? (
        // paper carries no search marks: what is printed is the application, not the search that found it
        <SearchHighlight search="">
          <PrintView detail={detail} />
        </SearchHighlight>
      ) : null}
      <DeleteConfirm
        isOpen={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void actions.deleteForever();
        }}
      />
    </article>
  );
}
