/**
 * The BrowserWindow options of the main window, in one pure function so tests pin every security-relevant value
 * (Electron security checklist: context isolation, sandbox, no Node in the page, web security on, no webviews,
 * no insecure content, no experimental or extra Blink features).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface MainWindowOptionsInput {
  readonly preloadPath: string;
  /** Developer tools only in development builds (`!app.isPackaged`). */
  readonly devTools: boolean;
  readonly iconPath?: string;
}

export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'OSCI-Postfach',
    backgroundColor: '#f4f5f7',
    ...(input.iconPath === undefined ? {} : { icon: input.iconPath }),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // middle-click (auxclick) must not open links in new windows; windowOpenDecision denies them as well
      disableBlinkFeatures: 'Auxclick',
      plugins: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      // Chromium's spell checker downloads dictionaries from Google on Linux and reads every typed word.
      spellcheck: false,
      safeDialogs: true,
      devTools: input.devTools,
    },
  };
}
