import type { Messages } from './messages.de.js';

export const en: Messages = {
  app: {
    title: 'OSCI-Postfach',
    skipToContent: 'Skip to content',
    trainingMode: 'Training mode',
  },
  language: {
    label: 'Interface language',
    de: 'Deutsch',
    en: 'English',
  },
  host: {
    desktop: 'Desktop program',
    browser: 'Browser mode (this computer only)',
  },
  about: {
    heading: 'Program information',
    intro: 'The interface is connected to the background service. The mailbox views are built here.',
    product: 'Program',
    version: 'Version',
    host: 'Mode',
    node: 'Node.js',
    v8: 'V8',
    electron: 'Electron',
    chrome: 'Chromium',
    platform: 'Operating system',
    notPresent: 'not present',
    refresh: 'Reload information',
  },
  status: {
    loading: 'Loading …',
    connected: 'Connected',
    languageChanged: 'Language: English',
  },
  errors: {
    heading: 'That did not work',
    technicalDetail: 'Technical detail for IT',
    retry: 'Try again',
    noConnectionHeading: 'No connection to the program',
    noConnection:
      'This page was opened without an access key. Please open the address shown when the program was started (ending in “#token=…”).',
  },
};
