/**
 * Handlers of the contract area "app": program information and the caseworker's settings (language, background
 * fetch interval), kept in the data folder by WorkspaceFile so that they survive a restart.
 */
import type { ServiceContext } from '../api-types.js';
import type { Settings } from '../contract/app.js';
import type { ServiceOptions } from '../service-protocol.js';
import type { WorkspaceFile } from './workspace-file.js';

export function appHandlers(options: ServiceOptions, workspace: WorkspaceFile) {
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
    'settings.get': () => workspace.get().settings,
    'settings.set': (patch: Partial<Settings>, context: ServiceContext) => {
      const { settings } = workspace.update((current) => ({ ...current, settings: { ...current.settings, ...patch } }));
      context.emit('settings.changed', settings);
      return settings;
    },
  };
}
