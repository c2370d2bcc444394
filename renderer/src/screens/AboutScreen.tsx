/**
 * Program information: proves the whole path (UI → preload or bridge → service in its own thread → back) by
 * showing what `app.info` answers. Later the "about" dialog (versions, licences) grows from this.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { AppInfo } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useT } from '../i18n/i18n.js';

type State = { readonly phase: 'loading' } | { readonly phase: 'ready'; readonly info: AppInfo } | { readonly phase: 'failed'; readonly error: unknown };

export function AboutScreen() {
  const api = useApi();
  const t = useT();
  const [state, setState] = useState<State>({ phase: 'loading' });

  const load = useCallback(() => {
    setState({ phase: 'loading' });
    api.call('app.info', {}).then(
      (info) => setState({ phase: 'ready', info }),
      (error: unknown) => setState({ phase: 'failed', error }),
    );
  }, [api]);

  useEffect(load, [load]);

  return (
    <section className="card" aria-labelledby="about-heading" aria-busy={state.phase === 'loading'}>
      <h1 id="about-heading" className="card__title">
        {t.about.heading}
      </h1>
      {state.phase === 'loading' ? <p>{t.status.loading}</p> : null}
      {state.phase === 'failed' ? <ErrorNotice error={state.error} onRetry={load} /> : null}
      {state.phase === 'ready' ? (
        <>
          <p className="card__intro">{t.about.intro}</p>
          <dl className="facts" data-testid="app-info">
            <dt>{t.about.product}</dt>
            <dd>{state.info.product}</dd>
            <dt>{t.about.version}</dt>
            <dd data-testid="app-version">{state.info.version}</dd>
            <dt>{t.about.host}</dt>
            <dd>{t.host[state.info.host]}</dd>
            <dt>{t.about.electron}</dt>
            <dd>{state.info.versions.electron ?? t.about.notPresent}</dd>
            {state.info.versions.chrome === undefined ? null : (
              <>
                <dt>{t.about.chrome}</dt>
                <dd>{state.info.versions.chrome}</dd>
              </>
            )}
            <dt>{t.about.node}</dt>
            <dd>{state.info.versions.node}</dd>
            <dt>{t.about.platform}</dt>
            <dd>{state.info.platform}</dd>
          </dl>
          <Button className="button" onPress={load}>
            {t.about.refresh}
          </Button>
        </>
      ) : null}
    </section>
  );
}
