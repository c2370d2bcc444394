/**
 * A message's tabs: Übersicht (cards with the checklist) and Daten (the full tree) where the application could be
 * read, Dokumente (the viewer), Laufzettel (proof of receipt, signature and certificate results).
 */
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useT } from '../i18n/i18n.js';
import { DataTree } from './DataTree.js';
import { DocumentsPanel } from './DocumentsPanel.js';
import { Laufzettel } from './Laufzettel.js';
import { SummaryCards } from './SummaryCards.js';
import type { Detail } from './types.js';
import { ValueSourceProvider } from './value-source.js';

export type TabId = 'overview' | 'data' | 'documents' | 'laufzettel';

/** The tab to show once a message is read: without a view (nicht lesbar) Übersicht and Daten do not exist. */
export function tabFor(detail: Detail, current: TabId): TabId {
  return detail.view === null && (current === 'overview' || current === 'data') ? 'laufzettel' : current;
}

export interface MessageTabsProps {
  readonly detail: Detail;
  readonly tab: TabId;
  readonly onTab: (tab: TabId) => void;
  readonly onChecklist: (ticked: string[]) => void;
}

export function MessageTabs({ detail, tab, onTab, onChecklist }: MessageTabsProps) {
  const t = useT();
  const id = detail.item.id;
  const view = detail.view;
  return (
    <Tabs className="tabs" selectedKey={tab} onSelectionChange={(k) => onTab(k as TabId)}>
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
          <ValueSourceProvider messageId={id}>
            <SummaryCards cards={view.cards} checklist={detail.checklist} onChecklist={onChecklist} />
          </ValueSourceProvider>
        </TabPanel>
      ) : null}
      {view !== null ? (
        <TabPanel id="data" className="tabs__panel">
          <ValueSourceProvider messageId={id}>
            <DataTree tree={view.tree} />
          </ValueSourceProvider>
        </TabPanel>
      ) : null}
      <TabPanel id="documents" className="tabs__panel">
        <DocumentsPanel id={id} documents={detail.documents} />
      </TabPanel>
      <TabPanel id="laufzettel" className="tabs__panel">
        <Laufzettel detail={detail} />
      </TabPanel>
    </Tabs>
  );
}
