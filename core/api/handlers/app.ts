/**
 * Handlers of the contract area "app": program information and the caseworker's settings (language, background
 * fetch interval), kept in the data folder by WorkspaceFile so that they survive a restart. They are the user layer
 * of core/config: what IT locked (policy, machine file) wins and cannot be set here (`setting-locked`); on a first
 * start (no workspace.json yet) the machine file's `defaults` preset them. One-liners over core/app/user-settings.ts.
 */
import type { ServiceContext } from '../api-types.js';
import type { Settings } from '../contract/app.js';
import type { ServiceOptions } from '../service-protocol.js';
import { defaultConfig, type ResolvedConfig } from '../../config/load-config.js';
import { changeSettings, effectiveSettings } from '../../app/user-settings.js';
import type { WorkspaceFile } from '../../app/workspace-file.js';

export function appHandlers(options: ServiceOptions, workspace: WorkspaceFile, config: () => Promise<ResolvedConfig> = defaultConfig) {
  const effective = (): Promise<Settings> => effectiveSettings(workspace, config);
  return {
    'app.info': async () => ({
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
      officeTimeZone: (await config()).values.officeTimeZone,
    }),
    'settings.get': () => effective(),
    'settings.set': (patch: Partial<Settings>, context: ServiceContext) => changeSettings(workspace, config, patch, context),
  };
}
