import { useEffect, useState } from 'react';
import type { AppInfo } from '../../core/api/contract.js';
import { useApi } from './api/api-context.js';
import { useT } from './i18n/i18n.js';
import { AboutScreen } from './screens/AboutScreen.js';
import { AppShell } from './shell/AppShell.js';

export function App() {
  const api = useApi();
  const t = useT();
  const [host, setHost] = useState<AppInfo['host'] | undefined>(undefined);
  useEffect(() => {
    api.call('app.info', {}).then(
      (info) => setHost(info.host),
      () => undefined, // the screen below shows the failure
    );
  }, [api]);
  return (
    <AppShell hostLabel={host === undefined ? undefined : t.host[host]}>
      <AboutScreen />
    </AppShell>
  );
}
