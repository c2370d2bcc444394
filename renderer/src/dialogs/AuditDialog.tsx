/**
 * The audit log for the data-protection officer: who (OS user) did what to which message, when; verified as an
 * unbroken hash chain on request; exportable as CSV (native save dialog, or a download in browser mode).
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Modal } from '../components/Modal.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { suggestedName, useDownloader } from '../message/use-exporter.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

type Entry = MethodOutput<'audit.list'>['entries'][number];
const PAGE = 500;

export function AuditDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const { t } = useLanguage();
  return (
    <Modal title={t.audit.title} isOpen={isOpen} onClose={onClose} testId="audit-dialog">
      <AuditLog />
    </Modal>
  );
}

function AuditLog() {
  const api = useApi();
  const { t, language } = useLanguage();
  const { isDesktop } = useWorkspace();
  const { announce, reportError } = useStatus();
  const download = useDownloader();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [verdict, setVerdict] = useState<string | null>(null);

  const load = useCallback(
    (afterSeq: number) => {
      api.call('audit.list', { afterSeq, limit: PAGE }).then((page) => {
        setEntries((previous) => (afterSeq === 0 ? page.entries : [...previous, ...page.entries]));
        setMore(page.entries.length === PAGE);
      }, setError);
    },
    [api],
  );
  useEffect(() => load(0), [load]);

  const exportCsv = async (): Promise<void> => {
    const name = suggestedName('csv', undefined, undefined);
    try {
      if (isDesktop) {
        const { path } = await api.call('dialog.saveFile', { kind: 'csv', suggestedName: name });
        if (path === null) return;
        await api.call('audit.exportCsv', { target: path, delimiter: ';' });
        announce(t.message.exportedTo(t.message.exportNames.csv, path));
      } else {
        const { downloadId, target } = await api.call('workspace.createDownload', { fileName: name });
        await api.call('audit.exportCsv', { target, delimiter: ';' });
        await download(downloadId);
        announce(t.message.downloaded(t.message.exportNames.csv));
      }
    } catch (e) {
      reportError(e);
    }
  };

  const verify = (): void => {
    api.call('audit.verify', {}).then((v) => setVerdict(v.ok ? t.audit.verifyOk(v.entries) : t.audit.verifyBad(v.firstBadSeq ?? 0)), reportError);
  };

  if (error !== undefined) return <ErrorNotice error={error} onRetry={() => load(0)} />;
  return (
    <div className="audit">
      <p>{t.audit.intro}</p>
      <div className="audit__tools">
        <Button className="button" onPress={() => void exportCsv()} data-testid="audit-export">
          {t.audit.exportCsv}
        </Button>
        <Button className="button button--secondary" onPress={verify}>
          {t.audit.verify}
        </Button>
        <span role="status">{verdict}</span>
      </div>
      <div className="audit__table-wrap">
        <Table aria-label={t.audit.tableLabel} className="table" data-testid="audit-table">
          <TableHeader className="table__header">
            <Column isRowHeader className="table__column">
              {t.audit.seq}
            </Column>
            <Column className="table__column">{t.audit.at}</Column>
            <Column className="table__column">{t.audit.user}</Column>
            <Column className="table__column">{t.audit.action}</Column>
            <Column className="table__column">{t.audit.message}</Column>
            <Column className="table__column">{t.audit.detail}</Column>
          </TableHeader>
          <TableBody className="table__body" items={entries} renderEmptyState={() => <p>{t.audit.empty}</p>}>
            {(entry) => (
              <Row id={entry.seq} className="table__row">
                <Cell className="table__cell">{entry.seq}</Cell>
                <Cell className="table__cell">{dateTime(entry.at, language, true)}</Cell>
                <Cell className="table__cell">{entry.osUser}</Cell>
                <Cell className="table__cell">{entry.actionText}</Cell>
                <Cell className="table__cell mono">{entry.messageId ?? '–'}</Cell>
                <Cell className="table__cell">{entry.detail ?? ''}</Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      </div>
      <p className="audit__count">{t.audit.shown(entries.length)}</p>
      {more ? (
        <Button className="button button--secondary" onPress={() => load(entries[entries.length - 1]?.seq ?? 0)}>
          {t.common.loadMore}
        </Button>
      ) : null}
    </div>
  );
}
