/**
 * Handlers of the contract area "ops" (core/api/contract/ops.ts): the machine settings, backup and restore, the
 * certificate rotation, the acceptance record. They share the store session, the settings, the technical log and
 * the one-fetch-at-a-time rule with the mailbox handlers: the application layer's MailboxService. One-liners over
 * core/app (backup-work.ts, rotation-work.ts, acceptance-work.ts); what is here maps the settings to their DTO.
 */
import path from 'node:path';
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { MachineConfigDto } from '../contract/ops.js';
import type { ServiceOptions } from '../service-protocol.js';
import { verifyBackup } from '../../backup/backup.js';
import { lockReason, type ResolvedConfig } from '../../config/load-config.js';
import { SETTINGS } from '../../config/settings.js';
import { WORKSPACE_FILE } from '../../app/workspace-file.js';
import type { MailboxService } from '../../app/mailbox-service.js';
import { createAcceptanceRecord } from '../../app/acceptance-work.js';
import { backUpStore, restoreStore } from '../../app/backup-work.js';
import { cancelStagedRotation, rotationNow, runStagedRotation, stageKeys } from '../../app/rotation-work.js';

function masked(value: unknown): MachineConfigDto['settings'][number]['value'] {
  if (value === undefined) return null;
  if (typeof value === 'string') return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

export function machineConfigDto(config: ResolvedConfig): MachineConfigDto {
  return {
    settings: SETTINGS.map((d) => {
      const key = d.key;
      const reason = lockReason(config, key);
      return {
        key,
        value: masked((config.values as unknown as Record<string, unknown>)[key]),
        source: config.state[key].source,
        locked: config.state[key].locked,
        ...(reason ? { lockReason: reason } : {}),
        title: { de: d.title.de, en: d.title.en },
      };
    }),
    problems: config.problems.map((p) => ({
      layer: p.layer,
      ...(p.setting ? { setting: p.setting } : {}),
      message: p.text.de,
      messageEn: p.text.en,
      detail: p.detail.slice(0, 4000),
    })),
    origins: { policy: config.origins.policy, machineFile: config.origins.machineFile },
  };
}

export function opsHandlers(options: ServiceOptions, shared: MailboxService) {
  const downloads = [path.join(options.dataDir, 'transfer', 'downloads')];
  const place = {
    dataDir: options.dataDir,
    appVersion: options.appVersion,
    downloads,
    settingsFiles: [{ name: WORKSPACE_FILE, path: path.join(options.dataDir, WORKSPACE_FILE) }],
  };

  return {
    'config.get': async () => machineConfigDto(await shared.config()),

    'backup.create': (input: HandlerInput<'backup.create'>) => backUpStore(shared, input, place),
    'backup.verify': async (input: HandlerInput<'backup.verify'>) => verifyBackup(input.file, input.password),
    'backup.restore': (input: HandlerInput<'backup.restore'>) => restoreStore(shared, input, place),

    'rotation.status': () => rotationNow(shared),
    'rotation.stage': (input: HandlerInput<'rotation.stage'>, context: ServiceContext) => stageKeys(shared, input, context),
    'rotation.run': (_input: HandlerInput<'rotation.run'>, context: ServiceContext) => runStagedRotation(shared, context),
    'rotation.cancel': (_input: HandlerInput<'rotation.cancel'>, context: ServiceContext) => cancelStagedRotation(shared, context),

    'abnahme.create': (input: HandlerInput<'abnahme.create'>) => createAcceptanceRecord(shared, input, { host: options.host, appVersion: options.appVersion, downloads }),
  };
}
