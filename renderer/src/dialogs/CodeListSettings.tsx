/**
 * Code lists: which lists turn codes into texts (shipped with their public source, imported by IT, or from the
 * policy folder), several versions of a list side by side; and, in Settings, "Codeliste übernehmen" — a Genericode
 * file from XRepository or the onboarding package, checked by the service and refused as a whole with a German
 * sentence when it is no usable code list. The table alone is also shown in "Über das Programm".
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Cell, Column, FileTrigger, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Shown } from '../components/Shown.js';
import { bytesToBase64 } from '../format/base64.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

type Listing = MethodOutput<'codelists.list'>;

function useCodeLists(): { listing: Listing | null; error: unknown; reload: () => void } {
  const api = useApi();
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const reload = useCallback(() => {
    setError(undefined);
    api.call('codelists.list', {}).then(setListing, setError);
  }, [api]);
  useEffect(reload, [reload]);
  useEffect(() => api.on('codelists.changed', reload), [api, reload]);
  return { listing, error, reload };
}

/** The loaded lists, newest version first per list. */
export function CodeListTable({ listing }: { listing: Listing }) {
  const w = useReadingWords();
  return (
    <div className="audit__table-wrap">
      <Table aria-label={w.codeLists.tableLabel} className="table" data-testid="codelists">
        <TableHeader className="table__header">
          <Column isRowHeader className="table__column">
            {w.codeLists.name}
          </Column>
          <Column className="table__column">{w.codeLists.version}</Column>
          <Column className="table__column">{w.codeLists.codes}</Column>
          <Column className="table__column">{w.codeLists.origin}</Column>
          <Column className="table__column">{w.codeLists.source}</Column>
        </TableHeader>
        <TableBody className="table__body" items={listing.lists.map((l, i) => ({ ...l, key: `${l.listURI}|${l.listVersionID}|${i}` }))}>
          {(l) => (
            <Row id={l.key} className="table__row">
              <Cell className="table__cell">
                <Shown text={l.name} />
                {l.listURI === '' ? null : <span className="table__sub mono">{l.listURI}</span>}
              </Cell>
              <Cell className="table__cell">{l.listVersionID === '' ? w.codeLists.none : l.listVersionID}</Cell>
              <Cell className="table__cell">{l.codes}</Cell>
              <Cell className="table__cell">{w.codeLists.origins[l.origin]}</Cell>
              <Cell className="table__cell">
                <Shown text={l.source} />
              </Cell>
            </Row>
          )}
        </TableBody>
      </Table>
    </div>
  );
}

/** "Über das Programm": the lists in use. */
export function CodeListInfo() {
  const w = useReadingWords();
  const { listing, error, reload } = useCodeLists();
  if (error !== undefined) return <ErrorNotice error={error} onRetry={reload} headingLevel={3} />;
  return (
    <>
      <h2 className="about__licenses">{w.codeLists.heading}</h2>
      {listing === null ? null : <CodeListTable listing={listing} />}
    </>
  );
}

/** Settings › Codelisten: the lists, the policy folder's state, and the import. */
export function CodeListSettings() {
  const api = useApi();
  const w = useReadingWords();
  const { announce, reportError } = useStatus();
  const { isDesktop, store } = useWorkspace();
  const { listing, error, reload } = useCodeLists();
  const [busy, setBusy] = useState(false);
  const storeOpen = store?.state === 'open';

  const done = (answer: MethodOutput<'codelists.import'>): void => {
    const { name, listVersionID } = answer.list;
    announce(
      answer.result === 'unchanged'
        ? w.codeLists.unchanged(name, listVersionID)
        : answer.result === 'replaced'
          ? w.codeLists.replaced(name, listVersionID)
          : w.codeLists.imported(name, listVersionID),
    );
    reload();
  };
  const run = async (work: () => Promise<MethodOutput<'codelists.import'> | null>): Promise<void> => {
    setBusy(true);
    try {
      const answer = await work();
      if (answer !== null) done(answer);
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
  };
  const chooseNative = (): Promise<void> =>
    run(async () => {
      const { path } = await api.call('dialog.openFile', { kind: 'codelist' });
      return path === null ? null : api.call('codelists.import', { file: path });
    });
  const upload = (files: FileList | null): Promise<void> =>
    run(async () => {
      const file = files?.[0];
      if (file === undefined) return null;
      return api.call('codelists.import', { name: file.name, data: bytesToBase64(new Uint8Array(await file.arrayBuffer())) });
    });

  const button = (
    <Button className="button" isDisabled={busy || !storeOpen} onPress={isDesktop ? () => void chooseNative() : undefined} data-testid="codelist-import">
      {busy ? w.codeLists.importing : w.codeLists.import}
    </Button>
  );
  return (
    <div className="settings-section" data-testid="codelist-settings">
      <h2>{w.codeLists.heading}</h2>
      <p>{w.codeLists.intro}</p>
      <p className="field__description">{listing?.folder.path ? w.codeLists.folder(listing.folder.path) : w.codeLists.noFolder}</p>
      {(listing?.folder.refused ?? []).map((r) => (
        <p key={r.fileName} className="notice notice--warn" data-testid="codelist-refused">
          {w.codeLists.refused(r.fileName)} <span className="mono">{r.detail}</span>
        </p>
      ))}
      <div className="form__actions">
        {isDesktop ? (
          button
        ) : (
          <FileTrigger acceptedFileTypes={['.xml', 'application/xml', 'text/xml']} onSelect={(files) => void upload(files)}>
            {button}
          </FileTrigger>
        )}
        {storeOpen ? null : <span className="field__description">{w.codeLists.needsStore}</span>}
      </div>
      {error !== undefined ? <ErrorNotice error={error} onRetry={reload} headingLevel={3} /> : listing === null ? null : <CodeListTable listing={listing} />}
    </div>
  );
}
