/**
 * A message's actions: "Als übertragen markieren" (the main one), the export menu (PDF, XML, attachments, receipt,
 * the acceptance record of a Testantrag), print, an own window (desktop), and the ⋯ menu (case work, ungelesen,
 * trash or restore, legal hold, its audit log, delete forever in the Papierkorb).
 *
 * In a team, while a colleague works on the application, "übertragen" is theirs: the button is disabled and the
 * reason is shown beside it (the service would refuse it anyway; core/store/shared-inbox.ts).
 */
import { Button, Menu, MenuItem, MenuTrigger, Popover, Separator, Toolbar, type Key } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { IconChevronDown, IconExport, IconMore, IconPrint, IconWindow } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';
import { useInboxWords } from '../i18n/words-inbox.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import type { Detail } from './types.js';
import type { MessageActions } from './use-message-actions.js';

export interface MessageToolbarProps {
  readonly detail: Detail;
  readonly actions: MessageActions;
  /** A window of its own: no "own window" action. */
  readonly standalone: boolean;
  readonly onPrint: () => void;
  readonly onCaseWork: () => void;
  readonly onDelete: () => void;
  readonly onShowLog?: ((id: number) => void) | undefined;
  /** The person may take a colleague's claim over (the Leitung): the reason for a disabled "übertragen" says so. */
  readonly mayTakeOver?: boolean;
}

export function MessageToolbar({ detail, actions, standalone, onPrint, onCaseWork, onDelete, onShowLog, mayTakeOver = false }: MessageToolbarProps) {
  const api = useApi();
  const t = useT();
  const w = useReadingWords();
  const { reportError } = useStatus();
  const { isDesktop } = useWorkspace();
  const item = detail.item;
  const view = detail.view;
  const transferred = item.state === 'transferred';
  const inTrash = item.state === 'trashed';
  const inboxWords = useInboxWords();
  // a colleague works on it (shared inbox): übertragen is theirs
  const heldBy = item.claim != null && !item.claim.mine ? item.claim.by : null;

  const onMenu = (key: Key): void => {
    switch (key) {
      case 'pdf':
      case 'xml':
      case 'attachments':
      case 'receipt':
        actions.exportAs(key);
        return;
      case 'abnahme':
        void actions.acceptanceRecord();
        return;
      case 'casework':
        onCaseWork();
        return;
      case 'unread':
        actions.markUnread();
        return;
      case 'trash':
        actions.setTrashed(true);
        return;
      case 'restore':
        actions.setTrashed(false);
        return;
      case 'hold':
        actions.setLegalHold(!item.legalHold);
        return;
      case 'delete':
        onDelete();
        return;
      case 'log':
        onShowLog?.(item.id);
        return;
    }
  };

  return (
    <Toolbar className="message__actions" aria-label={t.message.actions.label}>
      {view !== null && !inTrash ? (
        <Button
          className={transferred ? 'button button--secondary' : 'button'}
          onPress={() => actions.setTransferred(!transferred)}
          aria-label={transferred ? t.message.actions.unmarkTransferred : t.message.actions.markTransferred}
          isDisabled={heldBy !== null}
          aria-describedby={heldBy !== null ? 'transfer-held' : undefined}
          data-testid="toggle-transferred"
        >
          {/* both labels take the room, the one not meant is invisible: the toolbar does not reflow when the state changes */}
          <span className="stable-label">
            <span data-shown={!transferred || undefined}>{t.message.actions.markTransferred}</span>
            <span data-shown={transferred || undefined}>{t.message.actions.unmarkTransferred}</span>
          </span>
        </Button>
      ) : null}
      {view !== null && !inTrash && heldBy !== null ? (
        <span className="message__held" id="transfer-held" data-testid="transfer-held">
          {mayTakeOver ? inboxWords.transferHeldLead(heldBy) : inboxWords.transferHeld(heldBy)}
        </span>
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
      <Button className="button button--secondary" onPress={onPrint} aria-keyshortcuts="Control+P">
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
  );
}
