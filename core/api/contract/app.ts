/**
 * Contract area "app": program information and the UI settings. No Node and no DOM (imported by the renderer).
 */
import { z } from 'zod';
import { serviceEvent, serviceMethod } from '../contract-kit.js';

const noInput = z.object({}).strict();
const shortText = z.string().max(200);

export const uiLanguageSchema = z.enum(['de', 'en']);
export type UiLanguage = z.infer<typeof uiLanguageSchema>;

export const appInfoSchema = z
  .object({
    product: shortText,
    version: shortText,
    /** Which front end hosts the service: the Electron desktop app, the loopback bridge in a browser, or the command line. */
    host: z.enum(['desktop', 'browser', 'cli']),
    versions: z
      .object({
        node: shortText,
        v8: shortText,
        electron: shortText.optional(),
        chrome: shortText.optional(),
      })
      .strict(),
    platform: shortText,
  })
  .strict();
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
  'app.info': serviceMethod(noInput, appInfoSchema),
  'settings.get': serviceMethod(noInput, settingsSchema),
  /** Changes the given settings; answers with all settings and emits `settings.changed`. */
  'settings.set': serviceMethod(settingsPatchSchema, settingsSchema),
};

export const appEvents = {
  'settings.changed': serviceEvent(settingsSchema),
};
