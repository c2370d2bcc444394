/**
 * THE contract between the UI and everything behind it: every call the UI can make and every event it can receive,
 * each with its zod schema. Adding a method is a change in this file only (plus its handler, which the compiler
 * then demands: core/api/service.ts for service methods, the shells for shell methods).
 *
 * Naming: `area.verb` for methods, `area.noun` for events. Schemas are strict (unknown keys are refused) and bounded
 * (strings and arrays have maximum sizes), because every message is validated where it crosses a boundary.
 * No Node and no DOM here: the renderer and the sandboxed preload import this file.
 */
import { z } from 'zod';
import {
  defineContract,
  serviceEvent,
  serviceMethod,
  shellEvent,
  shellMethod,
  type CallerInputOf,
  type CallerOutputOf,
  type EmittedPayloadOf,
  type EventNameEmittedBy,
  type EventNameOf,
  type HandlerInputOf,
  type HandlerResultOf,
  type MethodNameAnsweredBy,
  type MethodNameOf,
  type ReceivedPayloadOf,
} from './contract-kit.js';

const noInput = z.object({}).strict();
const shortText = z.string().max(200);

export const uiLanguageSchema = z.enum(['de', 'en']);
export type UiLanguage = z.infer<typeof uiLanguageSchema>;

export const appInfoSchema = z
  .object({
    product: shortText,
    version: shortText,
    /** Which front end hosts the UI: the Electron desktop app or the loopback bridge in a browser. */
    host: z.enum(['desktop', 'browser']),
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

export const settingsSchema = z.object({ language: uiLanguageSchema }).strict();
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.partial().strict();

export const fetchProgressSchema = z
  .object({
    phase: z.enum(['connecting', 'fetching', 'storing', 'done', 'cancelled', 'failed']),
    messagesDone: z.number().int().nonnegative(),
    messagesTotal: z.number().int().nonnegative().optional(),
    bytesDone: z.number().int().nonnegative(),
  })
  .strict();

export const fileKindSchema = z.enum(['p12', 'certificate', 'pdf', 'xml', 'folder']);

export const contract = defineContract({
  methods: {
    /** Product name, version and runtime versions (about box, support). */
    'app.info': serviceMethod(noInput, appInfoSchema),
    'settings.get': serviceMethod(noInput, settingsSchema),
    /** Changes the given settings; answers with all settings and emits `settings.changed`. */
    'settings.set': serviceMethod(settingsPatchSchema, settingsSchema),

    /** Native "open" dialog (Electron): the chosen file's path, or null when cancelled. */
    'dialog.openFile': shellMethod(z.object({ kind: z.enum(['p12', 'certificate']) }).strict(), z.object({ path: z.string().max(4096).nullable() }).strict()),
    /** Native "save" dialog (Electron): the chosen target path, or null when cancelled. */
    'dialog.saveFile': shellMethod(
      z.object({ kind: fileKindSchema, suggestedName: z.string().min(1).max(255) }).strict(),
      z.object({ path: z.string().max(4096).nullable() }).strict(),
    ),
  },
  events: {
    'settings.changed': serviceEvent(settingsSchema),
    'fetch.progress': serviceEvent(fetchProgressSchema),
    /** New applications arrived (counts only: the tray notification must not carry personal data). */
    'mailbox.newApplications': serviceEvent(z.object({ count: z.number().int().positive() }).strict()),
    /** A command from the application menu or the tray, for the UI to carry out. */
    'ui.command': shellEvent(z.object({ command: z.enum(['fetch', 'search', 'export', 'print', 'settings', 'about']) }).strict()),
  },
});

export type Contract = typeof contract;
export type MethodName = MethodNameOf<Contract>;
export type ServiceMethodName = MethodNameAnsweredBy<Contract, 'service'>;
export type ShellMethodName = MethodNameAnsweredBy<Contract, 'shell'>;
export type EventName = EventNameOf<Contract>;
export type ServiceEventName = EventNameEmittedBy<Contract, 'service'>;
export type ShellEventName = EventNameEmittedBy<Contract, 'shell'>;

export type MethodInput<M extends MethodName> = CallerInputOf<Contract, M>;
export type MethodOutput<M extends MethodName> = CallerOutputOf<Contract, M>;
export type HandlerInput<M extends MethodName> = HandlerInputOf<Contract, M>;
export type HandlerResult<M extends MethodName> = HandlerResultOf<Contract, M>;
export type EventPayload<E extends EventName> = ReceivedPayloadOf<Contract, E>;
export type EmittedPayload<E extends EventName> = EmittedPayloadOf<Contract, E>;
