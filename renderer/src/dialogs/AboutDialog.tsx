/**
 * About the program: versions (program, runtime, host), the code lists in use (shipped with their source, imported
 * by IT) and the licences of everything bundled — the libraries in
 * the window (listed by the renderer build in licenses.json), those of the background service, and the fonts.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { AppInfo, MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18n.js';
import { CodeListInfo } from './CodeListSettings.js';

type License = MethodOutput<'workspace.licenses'>['licenses'][number];

export function AboutDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Modal title={t.about.heading} isOpen={isOpen} onClose={onClose} testId="about-dialog">
      <AboutContent />
    </Modal>
  );
}

/** The bundled UI libraries, written by the renderer build. */
async function uiLicenses(): Promise<License[] | undefined> {
  try {
    const response = await fetch('./licenses.json', { cache: 'no-store' });
    if (!response.ok) return undefined;
    const list = (await response.json()) as unknown;
    if (!Array.isArray(list)) return undefined;
    return list.filter((l): l is License => typeof l === 'object' && l !== null && typeof (l as License).name === 'string').map((l) => ({ ...l, usedIn: 'ui' as const }));
  } catch {
    return undefined;
  }
}

export function AboutContent() {
  const api = useApi();
  const t = useT();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [licenses, setLicenses] = useState<License[] | null>(null);
  const [uiMissing, setUiMissing] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const load = useCallback(() => {
    setError(undefined);
    api.call('app.info', {}).then(setInfo, setError);
    Promise.all([uiLicenses(), api.call('workspace.licenses', {})]).then(([ui, service]) => {
      setUiMissing(ui === undefined);
      setLicenses([...(ui ?? []), ...service.licenses]);
    }, setError);
  }, [api]);
  useEffect(load, [load]);

  if (error !== undefined) return <ErrorNotice error={error} onRetry={load} />;
  return (
    <div className="about">
      <p className="card__intro">{t.about.intro}</p>
      {info === null ? (
        <p>{t.status.loading}</p>
      ) : (
        <dl className="facts" data-testid="app-info">
          <dt>{t.about.product}</dt>
          <dd>{info.product}</dd>
          <dt>{t.about.version}</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>{t.about.host}</dt>
          <dd>{t.host[info.host]}</dd>
          <dt>{t.about.electron}</dt>
          <dd data-testid="about-electron">{info.versions.electron ?? (info.host === 'browser' || info.host === 'serve' ? t.about.notUsedInBrowser : t.about.notPresent)}</dd>
          {info.versions.chrome === undefined ? null : (
            <>
              <dt>{t.about.chrome}</dt>
              <dd>{info.versions.chrome}</dd>
            </>
          )}
          <dt>{t.about.node}</dt>
          <dd>{info.versions.node}</dd>
          <dt>{t.about.platform}</dt>
          <dd>{info.platform}</dd>
        </dl>
      )}
      <Button className="button button--secondary" onPress={load}>
        {t.about.refresh}
      </Button>
      <CodeListInfo />
      <h2 className="about__licenses">{t.about.licenses}</h2>
      {uiMissing ? <p>{t.about.licensesMissing}</p> : null}
      {licenses === null ? (
        <p>{t.status.loading}</p>
      ) : (
        <div className="audit__table-wrap">
          <Table aria-label={t.about.licenses} className="table" data-testid="licenses">
            <TableHeader className="table__header">
              <Column isRowHeader className="table__column">
                {t.about.licenseName}
              </Column>
              <Column className="table__column">{t.about.licenseVersion}</Column>
              <Column className="table__column">{t.about.licenseLicense}</Column>
              <Column className="table__column">{t.about.licenseUsedIn}</Column>
            </TableHeader>
            <TableBody className="table__body" items={licenses.map((l, i) => ({ ...l, key: `${l.usedIn}-${l.name}-${i}` }))}>
              {(l) => (
                <Row id={l.key} className="table__row">
                  <Cell className="table__cell">{l.name}</Cell>
                  <Cell className="table__cell">{l.version}</Cell>
                  <Cell className="table__cell">{l.license}</Cell>
                  <Cell className="table__cell">{t.about.usedIn[l.usedIn]}</Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
