/**
 * The caseworker's settings (language, background fetch interval, name order), kept in the data folder by
 * WorkspaceFile so that they survive a restart. They are the user layer of core/config: what IT locked (policy,
 * machine file) wins and cannot be set here (`setting-locked`); on a first start (no workspace.json yet) the machine
 * file's `defaults` preset them.
 */
import { existsSync } from 'node:fs';
import type { ServiceContext } from '../api/api-types.js';
import type { Settings } from '../api/contract/app.js';
import { assertUnlocked, type ResolvedConfig } from '../config/load-config.js';
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

/** Changes the settings given (refused where IT locked one to another value); every window is told. */
export async function changeSettings(workspace: WorkspaceFile, config: () => Promise<ResolvedConfig>, patch: Partial<Settings>, context: ServiceContext): Promise<Settings> {
  const effective = (): Promise<Settings> => effectiveSettings(workspace, config);
  const c = await config();
  for (const key of USER_KEYS) if (patch[key] !== undefined && patch[key] !== c.values[key]) assertUnlocked(c, key);
  const base = await effective();
  workspace.update((current) => ({ ...current, settings: { ...base, ...patch } }));
  const settings = await effective();
  context.emit('settings.changed', settings);
  return settings;
}
