/**
 * Contract area "app": program information and the UI settings. No Node and no DOM (imported by the renderer).
 */
import { z } from 'zod';
import { serviceEvent, serviceMethod } from '../contract-kit.js';
import { HEAVY_OPERATIONS } from './heavy-operations.js';

const noInput = z.lazy(() => z.object({}).strict());
const shortText = z.string().max(200);

export const uiLanguageSchema = z.lazy(() => z.enum(['de', 'en']));
export type UiLanguage = z.infer<typeof uiLanguageSchema>;

export const appInfoSchema = z.lazy(() =>
  z
    .object({
      product: shortText,
      version: shortText,
      /** Which front end hosts the service: the Electron desktop app, the loopback bridge in a browser, or the command line. */
      host: z.enum(['desktop', 'browser', 'cli', 'serve']),
      versions: z
        .object({
          node: shortText,
          v8: shortText,
          electron: shortText.optional(),
          chrome: shortText.optional(),
        })
        .strict(),
      platform: shortText,
      /**
       * The office time zone (IANA name, machine setting `officeTimeZone`): every time the UI shows is said in it,
       * never in the browser's or the workstation's own zone (core/time/office-time.ts).
       */
      officeTimeZone: shortText,
    })
    .strict(),
);
export type AppInfo = z.infer<typeof appInfoSchema>;

/** The caseworker's settings, kept in the data folder (core/api/handlers/workspace-file.ts). */
export const settingsSchema = z
  .object({
    language: uiLanguageSchema,
    /** Background fetch every so many minutes while the program runs; 0: only when "Abrufen" is pressed. */
    fetchIntervalMinutes: z.number().int().min(0).max(1440),
    /** Persons as "Nachname, Vorname" (default) or "Vorname Nachname" in lists, titles, PDF and search results. */
    familyNameFirst: z.boolean(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.partial().strict();

export const appMethods = {
  /** Product name, version and runtime versions (about box, support). */
  'app.info': serviceMethod(
    () => noInput,
    () => appInfoSchema,
  ),
  'settings.get': serviceMethod(
    () => noInput,
    () => settingsSchema,
  ),
  /** Changes the given settings; answers with all settings and emits `settings.changed`. */
  'settings.set': serviceMethod(
    () => settingsPatchSchema,
    () => settingsSchema,
  ),
};

/** Work that may take much memory or time on one message (core/api/heavy-work.ts). */
export const heavyOperationSchema = z.lazy(() => z.enum(HEAVY_OPERATIONS));
export { HEAVY_OPERATION_WORDS, type HeavyOperation } from './heavy-operations.js';

/** Why the service ended: its memory limit, or any other crash (a native fault, ended from outside). */
export const incidentReasonSchema = z.lazy(() => z.enum(['memory', 'crashed']));

/**
 * The background service ended unexpectedly and was started again (core/api/supervised-service.ts): why, which
 * work was running on which message (the suspects), whether that work is refused for the message from now on, and
 * whether the service runs again. The new service has no store open: the UI asks for it again where needed.
 */
export const serviceRestartedSchema = z.lazy(() =>
  z.strictObject({
    at: z.string().max(40),
    reason: incidentReasonSchema,
    operations: z
      .array(z.strictObject({ operation: heavyOperationSchema, storeId: z.number().int().positive().optional(), messageId: z.string().min(1).max(1024).optional() }))
      .max(20),
    /** The operations on messages above are refused for those messages from now on (until IT releases them). */
    quarantined: z.boolean(),
    /** false: too many restarts in a short time; the service stays stopped and the program must be restarted. */
    restarted: z.boolean(),
  }),
);
export type ServiceRestarted = z.infer<typeof serviceRestartedSchema>;

export const appEvents = {
  'settings.changed': serviceEvent(() => settingsSchema),
  /** Sent by the host that supervises the service, after it started a new one (or gave up). */
  'service.restarted': serviceEvent(() => serviceRestartedSchema),
};
