/**
 * Handlers of the contract area "app": program information and the caseworker's settings (language, background
 * fetch interval), kept in the data folder by WorkspaceFile so that they survive a restart. They are the user layer
 * of core/config: what IT locked (policy, machine file) wins and cannot be set here (`setting-locked`); on a first
 * start (no workspace.json yet) the machine file's `defaults` preset them.
 */
import { existsSync } from 'node:fs';
import type { ServiceContext } from '../api-types.js';
import type { Settings } from '../contract/app.js';
import type { ServiceOptions } from '../service-protocol.js';
import { assertUnlocked, defaultConfig, type ResolvedConfig } from '../../config/load-config.js';
import type { WorkspaceFile } from './workspace-file.js';

const USER_KEYS = ['language', 'fetchIntervalMinutes', 'familyNameFirst'] as const;

/** The user's settings under the machine settings (a setting the user never chose takes the machine's value). */
export async function effectiveSettings(workspace: WorkspaceFile, config: () => Promise<ResolvedConfig>): Promise<Settings> {
  const c = await config();
  const own: Partial<Settings> = workspace.get().settings;
  const firstStart = !existsSync(workspace.file);
  const pick = <K extends (typeof USER_KEYS)[number]>(key: K): Settings[K] => (c.state[key].locked || firstStart || own[key] === undefined ? c.values[key] : own[key]);
  return { language: pick('language'), fetchIntervalMinutes: pick('fetchIntervalMinutes'), familyNameFirst: pick('familyNameFirst') };
}

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
    'settings.set': async (patch: Partial<Settings>, context: ServiceContext) => {
      const c = await config();
      for (const key of USER_KEYS) if (patch[key] !== undefined && patch[key] !== c.values[key]) assertUnlocked(c, key);
      const base = await effective();
      workspace.update((current) => ({ ...current, settings: { ...base, ...patch } }));
      const settings = await effective();
      context.emit('settings.changed', settings);
      return settings;
    },
  };
}
