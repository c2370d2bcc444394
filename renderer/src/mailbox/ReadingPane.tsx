/**
 * The reading pane: the selected application (search words marked), or a line that none is selected; in the
 * narrow layout with "Zurück" to the list.
 */
import { Button } from 'react-aria-components';
import { IconChevronLeft } from '../components/Icons.js';
import { SearchHighlight } from '../components/Highlight.js';
import { useT } from '../i18n/i18n.js';
import { MessageView } from '../lazy/screens.js';
import type { ListItem } from '../message/types.js';

export interface ReadingPaneProps {
  readonly selectedId: number | null;
  /** Counts up when the message is to be read again (a change made around it). */
  readonly version: number;
  readonly search: string;
  readonly narrow: boolean;
  readonly onBack: () => void;
  readonly onItemChanged: (item: ListItem) => void;
  readonly onBeforeChange: (id: number) => void;
  readonly onShowLog: (id: number) => void;
}

export function ReadingPane({ selectedId, version, search, narrow, onBack, onItemChanged, onBeforeChange, onShowLog }: ReadingPaneProps) {
  const t = useT();
  return (
    <section className="pane pane--message" aria-label={t.mailbox.regionMessage}>
      {narrow ? (
        <Button className="button button--secondary button--small pane__back" onPress={onBack}>
          <IconChevronLeft />
          {t.common.back}
        </Button>
      ) : null}
      {selectedId === null ? (
        <p className="pane__empty" data-testid="reading-pane-empty">
          {t.message.none}
        </p>
      ) : (
        <SearchHighlight search={search}>
          <MessageView key={version} id={selectedId} onItemChanged={onItemChanged} onBeforeChange={onBeforeChange} onShowLog={onShowLog} />
        </SearchHighlight>
      )}
    </section>
  );
}
