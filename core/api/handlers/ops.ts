/**
 * Handlers of the contract area "ops" (core/api/contract/ops.ts): the machine settings, backup and restore, the
 * certificate rotation, the acceptance record. They share the store session, the settings, the technical log and
 * the one-fetch-at-a-time rule with the mailbox handlers: the application layer's MailboxService.
 */
import path from 'node:path';
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { MachineConfigDto } from '../contract/ops.js';
import type { ServiceOptions } from '../service-protocol.js';
import { createBackup, restoreBackup, verifyBackup } from '../../backup/backup.js';
import { assertExportAllowed } from '../../config/export-folders.js';
import { lockReason, type ResolvedConfig } from '../../config/load-config.js';
import { SETTINGS } from '../../config/settings.js';
import { PostfachError } from '../../errors.js';
import { cancelRotation, rotationStatus, runRotation, stageRotation, type RotationStatus } from '../../mailbox/rotation.js';
import type { RotationStatusDto } from '../contract/ops.js';
import { WORKSPACE_FILE } from './workspace-file.js';
import type { MailboxService } from '../../app/mailbox-service.js';

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

/** Why a record has no screenshot, by the front end that asked for it (the command line has no browser). */
const NO_SCREENSHOT: Readonly<Record<ServiceOptions['host'], string>> = {
  desktop: 'kein Bildschirmfoto übergeben',
  browser: 'im Browser-Modus ohne Bildschirmfoto erstellt',
  cli: 'auf der Kommandozeile ohne Browser erstellt',
  serve: 'über den Abrufdienst ohne Bildschirmfoto erstellt',
};

const dto = (s: RotationStatus): RotationStatusDto => ({
  ...s,
  steps: s.steps.map((x) => ({ ...x })),
  retired: [...s.retired],
  lastCompleted: s.lastCompleted ? { ...s.lastCompleted } : null,
});

export function opsHandlers(options: ServiceOptions, shared: MailboxService) {
  const store = () => {
    const s = shared.session.store;
    if (s === undefined)
      throw new PostfachError('store-not-open', { de: 'Der Datenspeicher ist nicht geöffnet.', en: 'The data store is not open.' }, 'no store opened in this service');
    return s;
  };
  const downloads = [path.join(options.dataDir, 'transfer', 'downloads')];

  return {
    'config.get': async () => machineConfigDto(await shared.config()),

    'backup.create': async (input: HandlerInput<'backup.create'>) => {
      assertExportAllowed(await shared.config(), input.target, downloads);
      const s = store();
      const manifest = await createBackup({
        store: s,
        out: input.target,
        replace: input.replace === true,
        password: input.password,
        appVersion: options.appVersion,
        settingsFiles: [{ name: WORKSPACE_FILE, path: path.join(options.dataDir, WORKSPACE_FILE) }],
      });
      shared.log.write('info', 'backup.created', { messages: manifest.summary.messages, files: manifest.summary.files, bytes: manifest.summary.bytes });
      return { path: path.resolve(input.target), summary: manifest.summary, entries: manifest.entries.length };
    },
    'backup.verify': async (input: HandlerInput<'backup.verify'>) => verifyBackup(input.file, input.password),
    'backup.restore': async (input: HandlerInput<'backup.restore'>) => {
      await shared.config();
      const target = shared.session.resolvePath(input.storePath);
      if (shared.session.store !== undefined && path.resolve(shared.session.store.paths.database) === target) {
        throw new PostfachError(
          'backup-target-exists',
          { de: 'Der Datenspeicher ist geöffnet; zurückgespielt wird nur in einen leeren Ort.', en: 'The data store is open; a backup is only restored into an empty place.' },
          'restore target is the open store',
        );
      }
      const restored = await restoreBackup({
        file: input.file,
        password: input.password,
        storePath: target,
        ...(input.settings === false ? {} : { settingsDir: options.dataDir }),
      });
      shared.log.write('info', 'backup.restored', { messages: restored.summary.messages, files: restored.summary.files });
      return { storePath: restored.storePath, summary: restored.summary, createdAt: restored.createdAt, settingsRestored: restored.settingsRestored };
    },

    'rotation.status': () => dto(rotationStatus(store())),
    'rotation.stage': async (input: HandlerInput<'rotation.stage'>, context: ServiceContext) => {
      const status = dto(stageRotation(store(), input, await shared.config()));
      shared.log.write('info', 'rotation.staged', { next: status.next?.fingerprintSha256 ?? null });
      context.emit('rotation.changed', status);
      return status;
    },
    'rotation.run': async (_input: HandlerInput<'rotation.run'>, context: ServiceContext) => {
      await shared.config();
      const s = store();
      const ran = await runRotation(s, { adapt: shared.adapt, fetch: (identity) => shared.fetchWith(identity, context) });
      const run = { status: dto(ran.status), fetch: ran.fetch };
      shared.forgetIdentity();
      shared.log.write(run.status.state === 'none' ? 'info' : 'warn', run.status.state === 'none' ? 'rotation.switched' : 'rotation.interrupted', {
        fetched: run.fetch?.newMessages ?? 0,
        errorKind: run.fetch?.error?.kind ?? null,
        current: run.status.current?.fingerprintSha256 ?? null,
      });
      context.emit('rotation.changed', run.status);
      if (run.status.state === 'none') shared.storeChanged(context);
      return run.fetch ? { status: run.status, fetch: run.fetch } : { status: run.status };
    },
    'rotation.cancel': (_input: HandlerInput<'rotation.cancel'>, context: ServiceContext) => {
      const status = dto(cancelRotation(store()));
      shared.log.write('info', 'rotation.cancelled');
      context.emit('rotation.changed', status);
      return status;
    },

    'abnahme.create': async (input: HandlerInput<'abnahme.create'>) => {
      const c = await shared.config();
      assertExportAllowed(c, input.target, downloads);
      // the PDF stack (pdfkit, pdf-lib, fonts) is loaded when a record is made, not with the service (issue 14)
      const { acceptanceRecord } = await import('../../mailbox/acceptance.js');
      const result = await shared.heavy.run('acceptance-record', { storeId: input.id, messageId: store().getDelivery(input.id).messageId }, () =>
        acceptanceRecord(store(), input.id, {
          out: input.target,
          timeZone: c.values.officeTimeZone,
          // the target comes from the save dialog (which asked before replacing) or is a fresh download file; the
          // command line replaces only with --force
          replace: input.replace ?? true,
          programVersion: options.appVersion,
          log: shared.log,
          cache: shared.views,
          ...(input.screenshot
            ? {
                screenshot: { png: Buffer.from(input.screenshot, 'base64'), source: input.screenshotSource ?? (options.host === 'desktop' ? 'Desktop-Programm' : 'Browser-Modus') },
              }
            : { noScreenshotReason: NO_SCREENSHOT[options.host] }),
        }),
      );
      return { path: result.path, size: result.size, screenshot: result.screenshot };
    },
  };
}
