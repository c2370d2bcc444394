// first: configures libraries before they load (see csp-compat.ts)
import './csp-compat.js';
// second: the first calls go out before React and the screens' modules are evaluated (see start.ts)
import { api, openedWithHash } from './start.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ApiProvider } from './api/api-context.js';
import { de } from './i18n/messages.de.js';
import { en } from './i18n/messages.en.js';
import { LanguageProvider } from './i18n/i18n.js';
import { StatusProvider } from './shell/status.js';
import './theme/theme.css';

/** A window opened for one message (desktop app: `app://postfach/index.html#message=<id>`). */
function messageOfLocation(): number | undefined {
  const value = new URLSearchParams(openedWithHash.slice(1)).get('message');
  const id = value === null ? NaN : Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** …and one document of it (`&document=i<ordinal>` or `a<attachment id>`, electron/app-url.ts). */
function documentOfLocation(): string | undefined {
  const value = new URLSearchParams(openedWithHash.slice(1)).get('document');
  return value !== null && /^[ia]\d{1,16}$/.test(value) ? value : undefined;
}

const root = createRoot(document.getElementById('root') as HTMLElement);
const messageId = messageOfLocation();
const documentKey = messageId === undefined ? undefined : documentOfLocation();

if (api === null) {
  // Opened without the preload and without a token: say so in both languages, there is no settings service to ask.
  root.render(
    <StrictMode>
      <main className="main main--standalone">
        <section className="card" role="alert">
          <h1 className="card__title">{de.errors.noConnectionHeading}</h1>
          <p>{de.errors.noConnection}</p>
          <h2 className="card__subtitle" lang="en">
            {en.errors.noConnectionHeading}
          </h2>
          <p lang="en">{en.errors.noConnection}</p>
        </section>
      </main>
    </StrictMode>,
  );
} else {
  root.render(
    <StrictMode>
      <ApiProvider api={api}>
        <LanguageProvider>
          <StatusProvider>
            <App messageId={messageId} documentKey={documentKey} />
          </StatusProvider>
        </LanguageProvider>
      </ApiProvider>
    </StrictMode>,
  );
}
