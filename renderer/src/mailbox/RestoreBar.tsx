/**
 * "Wiederherstellen" above the list in the Papierkorb view, for the message selected there: it goes back to the
 * Posteingang (and so out of this view).
 */
import { Button } from 'react-aria-components';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';

export interface RestoreBarProps {
  readonly item: MessageListItem;
  readonly onBeforeChange: (id: number) => void;
  readonly onRestored: (item: MessageListItem) => void;
}

export function RestoreBar({ item, onBeforeChange, onRestored }: RestoreBarProps) {
  const api = useApi();
  const t = useT();
  const { reportError } = useStatus();
  return (
    <div className="list-toolbar">
      <Button
        className="button button--secondary button--small"
        data-testid="restore-selected"
        onPress={() => {
          onBeforeChange(item.id);
          api.call('messages.setTrashed', { id: item.id, trashed: false }).then(onRestored, reportError);
        }}
      >
        {t.mailbox.space.restore}
      </Button>
    </div>
  );
}
