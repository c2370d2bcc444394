/**
 * Handlers of the contract area "app": program information and the UI settings (held in memory for now; the
 * settings store, core/config, will replace that).
 */
import type { ServiceContext } from '../api-types.js';
import type { Settings } from '../contract/app.js';
import type { ServiceOptions } from '../service-protocol.js';

export function appHandlers(options: ServiceOptions) {
  let settings: Settings = { language: 'de' };
  return {
    'app.info': () => ({
      product: 'OSCI-Postfach',
      version: options.appVersion,
      host: options.host,
      versions: {
        node: process.versions.node,
        v8: process.versions.v8,
        ...(process.versions.electron === undefined ? {} : { electron: process.versions.electron }),
        ...(process.versions.chrome === undefined ? {} : { chrome: process.versions.chrome }),
      },
      platform: process.platform,
    }),
    'settings.get': () => settings,
    'settings.set': (patch: Partial<Settings>, context: ServiceContext) => {
      settings = { ...settings, ...patch };
      context.emit('settings.changed', settings);
      return settings;
    },
  };
}
