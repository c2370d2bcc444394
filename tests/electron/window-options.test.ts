import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../electron/window-options.js';

describe('main window options (Electron security checklist)', () => {
  it('pins every webPreference', () => {
    const options = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    expect(options.webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      plugins: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('never enables extra Blink features or a remote session, and shows the window only when ready', () => {
    const options = mainWindowOptions({ preloadPath: 'p', devTools: true, iconPath: '/i.png' });
    expect(options.webPreferences?.enableBlinkFeatures).toBeUndefined();
    expect(options.webPreferences?.partition).toBeUndefined();
    expect(options.webPreferences?.additionalArguments).toBeUndefined();
    expect(options.webPreferences?.devTools).toBe(true);
    expect(options.show).toBe(false);
    expect(options.icon).toBe('/i.png');
    expect(options.minWidth).toBeLessThanOrEqual(640); // 200 % zoom of a 1280 px screen must still fit
  });
});
