/**
 * The German texts of the UI (the default language). This object defines the dictionary's shape; the English one
 * must have the same keys (messages.en.ts is typed with `Messages`). Texts that depend on a number are functions.
 */
export const de = {
  app: {
    title: 'OSCI-Postfach',
    skipToContent: 'Zum Inhalt springen',
    trainingMode: 'Übungsmodus',
  },
  language: {
    label: 'Sprache der Oberfläche',
    de: 'Deutsch',
    en: 'English',
  },
  host: {
    desktop: 'Desktop-Programm',
    browser: 'Browser-Modus (nur dieser Rechner)',
  },
  about: {
    heading: 'Programminformationen',
    intro: 'Die Oberfläche ist mit dem Hintergrunddienst verbunden. Die Postfach-Ansichten werden hier aufgebaut.',
    product: 'Programm',
    version: 'Version',
    host: 'Betriebsart',
    node: 'Node.js',
    v8: 'V8',
    electron: 'Electron',
    chrome: 'Chromium',
    platform: 'Betriebssystem',
    notPresent: 'nicht vorhanden',
    refresh: 'Angaben neu laden',
  },
  status: {
    loading: 'Wird geladen …',
    connected: 'Verbunden',
    languageChanged: 'Sprache: Deutsch',
  },
  errors: {
    heading: 'Das hat nicht geklappt',
    technicalDetail: 'Technische Angabe für die IT',
    retry: 'Erneut versuchen',
    noConnectionHeading: 'Keine Verbindung zum Programm',
    noConnection:
      'Diese Seite wurde ohne Zugangsschlüssel geöffnet. Bitte öffnen Sie die Adresse, die beim Start des Programms angezeigt wurde (mit „#token=…“ am Ende).',
  },
};

export type Messages = typeof de;
