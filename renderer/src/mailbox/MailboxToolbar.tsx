/**
 * The mailbox's toolbar: "Abrufen" (progress, cancel), the search (Strg+F, with the number of matches), and at the
 * end the audit log, settings and about.
 */
import type { Ref } from 'react';
import { Button, Input, SearchField } from 'react-aria-components';
import { IconHelp, IconLog, IconSearch, IconSettings } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';
import { FetchControl } from './FetchControl.js';
import type { Fetcher } from './use-fetch.js';

export interface MailboxToolbarProps {
  readonly fetcher: Fetcher;
  readonly searchText: string;
  readonly onSearchText: (text: string) => void;
  readonly searchInput: Ref<HTMLInputElement>;
  /** "5 Treffer" once a search answered; '' otherwise. */
  readonly results: string;
  readonly onAudit: () => void;
  readonly onSettings: () => void;
  readonly onAbout: () => void;
}

export function MailboxToolbar({ fetcher, searchText, onSearchText, searchInput, results, onAudit, onSettings, onAbout }: MailboxToolbarProps) {
  const t = useT();
  return (
    <div className="toolbar">
      <FetchControl fetcher={fetcher} />
      <div className="toolbar__search" role="search">
        <SearchField className="search" value={searchText} onChange={onSearchText} aria-label={t.mailbox.searchLabel} aria-keyshortcuts="Control+F">
          <IconSearch />
          <Input ref={searchInput} className="search__input" placeholder={t.mailbox.searchPlaceholder} data-testid="search" />
          <Button className="search__clear" aria-label={t.mailbox.clearSearch}>
            ×
          </Button>
        </SearchField>
        <span className="toolbar__results" aria-live="polite" data-testid="search-results">
          {results}
        </span>
      </div>
      <div className="toolbar__end">
        <Button className="button button--quiet" onPress={onAudit} data-testid="open-audit">
          <IconLog />
          <span className="toolbar__label">{t.mailbox.auditLog}</span>
        </Button>
        <Button className="button button--quiet" onPress={onSettings} aria-keyshortcuts="Control+Comma" data-testid="open-settings">
          <IconSettings />
          <span className="toolbar__label">{t.mailbox.settings}</span>
        </Button>
        <Button className="button button--quiet" onPress={onAbout} data-testid="open-about">
          <IconHelp />
          <span className="toolbar__label">{t.mailbox.about}</span>
        </Button>
      </div>
    </div>
  );
}
