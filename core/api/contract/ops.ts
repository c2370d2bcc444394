/**
 * Contract area "ops": what local IT set up for this PC and the operations that keep a mailbox going — the machine
 * settings with their sources and locks (and problems), backup and restore, changing the mailbox certificate, the
 * acceptance record of a Testantrag. Handlers: core/api/handlers/ops.ts. No Node and no DOM (imported by the renderer).
 * Passwords go in only; nothing here answers with a key or a password.
 */
import { z } from 'zod';
import { serviceEvent, serviceMethod } from '../contract-kit.js';
import { count, filePath, isoTime, noInput, secret, shortText, text } from './fields.js';
import { certificateSummarySchema, fetchResultSchema, keyFileFields, userTextSchema } from './mailbox.js';

const jsonValue = z.lazy(() => z.union([z.string().max(4000), z.number(), z.boolean(), z.null(), z.array(z.string().max(4000)).max(50)]));

export const settingStateSchema = z.lazy(() =>
  z.strictObject({
    key: shortText,
    /** The effective value (a proxy password is masked); null: not set anywhere. */
    value: jsonValue,
    source: z.enum(['policy', 'machine', 'user', 'machine-default', 'default', 'none']),
    locked: z.boolean(),
    /** "von Ihrer IT festgelegt (Gruppenrichtlinie)" where locked. */
    lockReason: userTextSchema.optional(),
    title: userTextSchema,
  }),
);

export const configProblemSchema = z.lazy(() =>
  z.strictObject({
    layer: z.enum(['policy', 'machine-file', 'user']),
    setting: shortText.optional(),
    message: text,
    messageEn: text,
    detail: text,
  }),
);

export const machineConfigSchema = z.lazy(() =>
  z.strictObject({
    settings: z.array(settingStateSchema).max(100),
    problems: z.array(configProblemSchema).max(200),
    origins: z.strictObject({ policy: text, machineFile: text }),
  }),
);
export type MachineConfigDto = z.infer<typeof machineConfigSchema>;

export const backupSummarySchema = z.lazy(() =>
  z.strictObject({
    messages: count,
    auditEntries: count,
    storeId: shortText,
    files: count,
    bytes: count,
  }),
);
export type BackupSummaryDto = z.infer<typeof backupSummarySchema>;

export const rotationStepSchema = z.lazy(() =>
  z.strictObject({
    /** Its title and explanation: contract/rotation-words.ts. */
    id: z.enum(['import', 'drain', 'switch', 'announce']),
    done: z.boolean(),
  }),
);

export const rotationStatusSchema = z.lazy(() =>
  z.strictObject({
    state: z.enum(['none', 'staged', 'draining', 'drained']),
    current: certificateSummarySchema.nullable(),
    next: certificateSummarySchema.nullable(),
    startedAt: isoTime.nullable(),
    fetched: count,
    /** The error kind that interrupted the last drain (its words: contract/rotation-words.ts `interruptionText`). */
    lastError: shortText.nullable(),
    steps: z.array(rotationStepSchema).max(10),
    retired: z.array(certificateSummarySchema).max(50),
    /** The last completed change: when, and the certificate it retired (the one in force since is `current`). */
    lastCompleted: z.strictObject({ at: isoTime, retired: certificateSummarySchema }).nullable(),
  }),
);
export type RotationStatusDto = z.infer<typeof rotationStatusSchema>;

/** A screenshot travels as base64 PNG, at most 8 MB. */
export const SCREENSHOT_MAX_BYTES = 8 * 1024 * 1024;

export const opsMethods = {
  /** The effective settings of this PC with source, lock and problems (settings screen, support). */
  'config.get': serviceMethod(
    () => noInput,
    () => machineConfigSchema,
  ),

  /** The whole mailbox (store, attachments, keys, settings) into one encrypted file; the store must be open. */
  'backup.create': serviceMethod(
    () =>
      z.strictObject({
        target: filePath,
        /** Too short a password is refused by core/backup (`backup-weak-password`), in words, not as bad input. */
        password: secret,
        /** The user confirmed replacing an existing file (the desktop save dialog): written beside it, renamed over it when complete. Without it an existing file is refused. */
        replace: z.boolean().optional(),
      }),
    /** `entries`: the files in the backup (store, attachments, keys, settings). */
    () => z.strictObject({ path: filePath, summary: backupSummarySchema, entries: count }),
  ),
  /** Decrypts and checks a backup completely, writes nothing. */
  'backup.verify': serviceMethod(
    () => z.strictObject({ file: filePath, password: secret }),
    () => z.strictObject({ createdAt: isoTime, appVersion: shortText, summary: backupSummarySchema }),
  ),
  /**
   * Restores a backup into the default store location (or `storePath`), which must be empty — a new PC or a reset
   * profile. The store is not opened: it opens with its password or recovery key afterwards.
   */
  'backup.restore': serviceMethod(
    /** `settings: false`: the caseworker's settings (workspace.json) are not restored (`postfach backup restore --no-settings`). */
    () => z.strictObject({ file: filePath, password: secret, storePath: filePath.optional(), settings: z.boolean().optional() }),
    () => z.strictObject({ storePath: filePath, summary: backupSummarySchema, createdAt: isoTime, settingsRestored: z.array(shortText).max(20) }),
  ),

  /** Changing the mailbox certificate: where it stands, each step explained. */
  'rotation.status': serviceMethod(
    () => noInput,
    () => rotationStatusSchema,
  ),
  /** Step 1: reads and checks the new key file, keeps it sealed in the store; the old key stays in force. */
  'rotation.stage': serviceMethod(
    () => z.strictObject(keyFileFields),
    () => rotationStatusSchema,
  ),
  /** Steps 2 and 3 from wherever the rotation stands (progress: `fetch.progress`); repeat after an interruption. */
  'rotation.run': serviceMethod(
    () => noInput,
    () => z.strictObject({ status: rotationStatusSchema, fetch: fetchResultSchema.optional() }),
  ),
  'rotation.cancel': serviceMethod(
    () => noInput,
    () => rotationStatusSchema,
  ),

  /** The acceptance record (PDF) of a Testantrag; `screenshot` is a PNG of the rendered application (base64). */
  'abnahme.create': serviceMethod(
    () =>
      z.strictObject({
        id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        target: filePath,
        screenshot: z
          .string()
          .max(Math.ceil(SCREENSHOT_MAX_BYTES / 3) * 4)
          .optional(),
        screenshotSource: shortText.optional(),
        /** false: an existing file is refused (`postfach abnahme` without --force); default true (the save dialog asked). */
        replace: z.boolean().optional(),
      }),
    () => z.strictObject({ path: filePath, size: count, screenshot: z.boolean() }),
  ),
};

export const opsEvents = {
  /** A rotation step finished or was interrupted. */
  'rotation.changed': serviceEvent(() => rotationStatusSchema),
};
