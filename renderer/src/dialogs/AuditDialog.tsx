/**
 * The audit log for the data-protection officer: who (OS user) did what to which message, when — each entry in
 * words of the UI's language, made by the service from the stored code and parameters; narrowed by application
 * (store number or message id), person (the applicants' names) and date range; verified as an unbroken hash chain
 * on request; exportable as CSV with the codes beside the words (native save dialog, or a download in browser mode).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Cell, Column, Form, Input, Label, Row, Table, TableBody, TableHeader, TextField } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Modal } from '../components/Modal.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { suggestedName, useDownloader } from '../message/use-exporter.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { auditWords } from '../../../core/store/audit-words.js';

type Entry = MethodOutput<'audit.list'>['entries'][number];
const PAGE = 500;

export function AuditDialog({ isOpen, onClose, deliveryId }: { isOpen: boolean; onClose: () => void; deliveryId?: number | undefined }) {
  const { t } = useLanguage();
  return (
    <Modal title={t.audit.title} isOpen={isOpen} onClose={onClose} testId="audit-dialog">
      <AuditLog deliveryId={deliveryId} />
    </Modal>
  );
}

interface Filter {
  readonly application: string;
  readonly person: string;
  /** yyyy-mm-dd as the date field gives it, or ''. */
  readonly from: string;
  readonly to: string;
}

const NO_FILTER: Filter = { application: '', person: '', from: '', to: '' };

/** The audit.list narrowing of a filter: a number is a store id, anything else a message id; dates are whole days. */
function narrowing(filter: Filter): { deliveryId?: number; messageId?: string; person?: string; from?: string; to?: string } {
  const application = filter.application.trim();
  // a day as the browser's calendar has it (midnight here to midnight of the next day)
  const day = (d: string, next: boolean): string | undefined => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return undefined;
    const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, dd + (next ? 1 : 0)).toISOString();
  };
  const from = day(filter.from, false);
  const to = day(filter.to, true);
  return {
    ...(/^\d+$/.test(application) && Number(application) > 0 ? { deliveryId: Number(application) } : application !== '' ? { messageId: application } : {}),
    ...(filter.person.trim() !== '' ? { person: filter.person.trim() } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

function AuditLog({ deliveryId }: { deliveryId?: number | undefined }) {
  const api = useApi();
  const { t, language } = useLanguage();
  const w = useReadingWords();
  const [draft, setDraft] = useState<Filter>(deliveryId === undefined ? NO_FILTER : { ...NO_FILTER, application: String(deliveryId) });
  const [filter, setFilter] = useState<Filter>(draft);
  const { isDesktop } = useWorkspace();
  const { announce, reportError } = useStatus();
  const download = useDownloader();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [verdict, setVerdict] = useState<string | null>(null);

  const load = useCallback(
    (afterSeq: number) => {
      api.call('audit.list', { afterSeq, limit: PAGE, ...narrowing(filter) }).then((page) => {
        setEntries((previous) => (afterSeq === 0 ? page.entries : [...previous, ...page.entries]));
        setMore(page.entries.length === PAGE);
      }, setError);
    },
    [api, filter],
  );
  useEffect(() => load(0), [load]);
  const apply = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setFilter(draft);
  };

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
      <Form className="audit__filters" onSubmit={apply} aria-label={w.audit.filters} data-testid="audit-filters">
        <TextField className="field" value={draft.application} onChange={(v) => setDraft((d) => ({ ...d, application: v }))}>
          <Label className="field__label">{w.audit.application}</Label>
          <Input className="input" spellCheck={false} data-testid="audit-filter-application" />
        </TextField>
        <TextField className="field" value={draft.person} onChange={(v) => setDraft((d) => ({ ...d, person: v }))}>
          <Label className="field__label">{w.audit.person}</Label>
          <Input className="input" spellCheck={false} data-testid="audit-filter-person" />
        </TextField>
        <TextField className="field" value={draft.from} onChange={(v) => setDraft((d) => ({ ...d, from: v }))} type="date">
          <Label className="field__label">{w.audit.from}</Label>
          <Input className="input" type="date" data-testid="audit-filter-from" />
        </TextField>
        <TextField className="field" value={draft.to} onChange={(v) => setDraft((d) => ({ ...d, to: v }))} type="date">
          <Label className="field__label">{w.audit.to}</Label>
          <Input className="input" type="date" data-testid="audit-filter-to" />
        </TextField>
        <span className="audit__filter-actions">
          <Button className="button button--secondary" type="submit" data-testid="audit-filter-apply">
            {w.audit.apply}
          </Button>
          <Button
            className="button button--quiet"
            onPress={() => {
              setDraft(NO_FILTER);
              setFilter(NO_FILTER);
            }}
          >
            {w.audit.reset}
          </Button>
        </span>
      </Form>
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
            <Column className="table__column">{w.audit.words}</Column>
            <Column className="table__column">{t.audit.message}</Column>
          </TableHeader>
          <TableBody className="table__body" items={entries} renderEmptyState={() => <p>{t.audit.empty}</p>}>
            {(entry) => (
              <Row id={entry.seq} className="table__row">
                <Cell className="table__cell">{entry.seq}</Cell>
                <Cell className="table__cell">{dateTime(entry.at, language, true)}</Cell>
                <Cell className="table__cell">{entry.osUser}</Cell>
                <Cell className="table__cell" data-testid="audit-words">
                  {auditWords(entry.action, entry.detail)[language]}
                </Cell>
                <Cell className="table__cell mono">{entry.messageId === null ? '' : `${entry.deliveryId ?? ''} · ${entry.messageId}`}</Cell>
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
