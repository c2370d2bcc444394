/**
 * The engine's side of the contract: one handler per service method. Runs inside the service (worker thread or
 * Electron utility process), never on the UI thread. Handlers receive parsed input and return plain data; the
 * runtime (service-runtime.ts) validates both and turns thrown errors into serialised PostfachErrors.
 *
 * Settings are held in memory for now; the settings store (core/config) will replace that.
 */
import type { ServiceHandlers } from './api-types.js';
import type { Settings } from './contract.js';
import type { ServiceOptions } from './service-protocol.js';

export function createServiceHandlers(options: ServiceOptions) {
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
    'settings.set': (patch, context) => {
      settings = { ...settings, ...patch };
      context.emit('settings.changed', settings);
      return settings;
    },
  } satisfies ServiceHandlers;
}
