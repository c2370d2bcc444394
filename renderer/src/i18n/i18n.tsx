/**
 * The caseworker's settings as the UI uses them: the language (German by default, English switchable) and the
 * background fetch interval. They live in the service (`settings.get` / `settings.set`, kept in the data folder),
 * so every window and a restart agree; this provider mirrors them, follows `settings.changed`, and keeps
 * `<html lang>` and React Aria's locale in step (screen readers pick their voice from `lang`).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nProvider } from 'react-aria-components';
import type { Settings, UiLanguage } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { takeEarlySettings } from '../state/early-start.js';
import { de, type Messages } from './messages.de.js';
import { en } from './messages.en.js';
import { wordsOf, type EvidenceWords } from '../../../core/domain/words/index.js';

const dictionaries: Readonly<Record<UiLanguage, Messages>> = { de, en };
const locales: Readonly<Record<UiLanguage, string>> = { de: 'de-DE', en: 'en-GB' };

interface SettingsState {
  readonly language: UiLanguage;
  readonly t: Messages;
  readonly settings: Settings;
  readonly setLanguage: (language: UiLanguage) => Promise<void>;
  readonly updateSettings: (patch: Partial<Settings>) => Promise<Settings>;
}

const DEFAULTS: Settings = { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true };

const SettingsContext = createContext<SettingsState>({
  language: 'de',
  t: de,
  settings: DEFAULTS,
  setLanguage: async () => undefined,
  updateSettings: async () => DEFAULTS,
});

export function LanguageProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [settings, setSettings] = useState<Settings>(DEFAULTS);

  useEffect(() => {
    // the first mount: settings.get went out before React ran (state/early-start.ts); its answer and any change
    // heard meanwhile are applied in their order
    const early = takeEarlySettings();
    if (early !== undefined) return early.attach(setSettings);
    const off = api.on('settings.changed', setSettings);
    api.call('settings.get', {}).then(setSettings, () => undefined); // stays German; screens report connection problems
    return off;
  }, [api]);

  const language = settings.language;
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = dictionaries[language].app.title;
  }, [language]);

  const updateSettings = useCallback(
    async (patch: Partial<Settings>) => {
      const saved = await api.call('settings.set', patch);
      setSettings(saved);
      return saved;
    },
    [api],
  );
  const setLanguage = useCallback(async (next: UiLanguage) => void (await updateSettings({ language: next })), [updateSettings]);

  const value = useMemo(() => ({ language, t: dictionaries[language], settings, setLanguage, updateSettings }), [language, settings, setLanguage, updateSettings]);
  return (
    <SettingsContext.Provider value={value}>
      <I18nProvider locale={locales[language]}>{children}</I18nProvider>
    </SettingsContext.Provider>
  );
}

export function useLanguage(): SettingsState {
  return useContext(SettingsContext);
}

/** The texts of the current language. */
export function useT(): Messages {
  return useContext(SettingsContext).t;
}

/** The words of the evidence's codes (core/domain/words) in the current language: the same the CLI and the PDF say. */
export function useWords(): EvidenceWords {
  return wordsOf(useContext(SettingsContext).language);
}

/** A German/English pair from the engine (error texts, signature words) in the current language. */
export function useUserText(): (text: { de: string; en: string }) => string {
  const { language } = useContext(SettingsContext);
  return useCallback((text) => (language === 'de' ? text.de : text.en), [language]);
}
