/**
 * The UI language: German by default, English switchable. The chosen language lives in the service's settings
 * (`settings.get` / `settings.set`), so every window and a reload agree; this provider mirrors it, follows
 * `settings.changed`, and keeps `<html lang>` and React Aria's locale in step (screen readers pick their voice
 * from `lang`).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nProvider } from 'react-aria-components';
import type { UiLanguage } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { de, type Messages } from './messages.de.js';
import { en } from './messages.en.js';

const dictionaries: Readonly<Record<UiLanguage, Messages>> = { de, en };
const locales: Readonly<Record<UiLanguage, string>> = { de: 'de-DE', en: 'en-GB' };

interface LanguageState {
  readonly language: UiLanguage;
  readonly t: Messages;
  setLanguage(language: UiLanguage): Promise<void>;
}

const LanguageContext = createContext<LanguageState>({ language: 'de', t: de, setLanguage: async () => undefined });

export function LanguageProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [language, setLanguageState] = useState<UiLanguage>('de');

  useEffect(() => {
    const off = api.on('settings.changed', (settings) => setLanguageState(settings.language));
    api.call('settings.get', {}).then(
      (settings) => setLanguageState(settings.language),
      () => undefined, // stays German; the screens report connection problems themselves
    );
    return off;
  }, [api]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = dictionaries[language].app.title;
  }, [language]);

  const setLanguage = useCallback(
    async (next: UiLanguage) => {
      const saved = await api.call('settings.set', { language: next });
      setLanguageState(saved.language);
    },
    [api],
  );

  const value = useMemo(() => ({ language, t: dictionaries[language], setLanguage }), [language, setLanguage]);
  return (
    <LanguageContext.Provider value={value}>
      <I18nProvider locale={locales[language]}>{children}</I18nProvider>
    </LanguageContext.Provider>
  );
}

export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}

/** The texts of the current language. */
export function useT(): Messages {
  return useContext(LanguageContext).t;
}
