/**
 * THE contract between the UI and everything behind it: every call the UI can make and every event it can receive,
 * each with its zod schema, composed here from one file per area under contract/. Adding a method is one entry in
 * its area's file (plus its handler, which the compiler then demands: core/api/handlers/ for service methods, the
 * shells for shell methods).
 *
 * Naming: `area.verb` for methods, `area.noun` for events. Schemas are strict (unknown keys are refused) and bounded
 * (strings and arrays have maximum sizes), because every message is validated where it crosses a boundary.
 * No Node and no DOM here: the renderer and the sandboxed preload import this file.
 */
import {
  defineContract,
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
import { activeContentMethods } from './contract/active-content.js';
import { appEvents, appMethods } from './contract/app.js';
import { codelistsEvents, codelistsMethods } from './contract/codelists.js';
import { demoMethods } from './contract/demo.js';
import { handoverEvents, handoverMethods } from './contract/handover.js';
import { inboxEvents, inboxMethods } from './contract/inbox.js';
import { serviceAccountsEvents, serviceAccountsMethods } from './contract/service-accounts.js';
import { mailboxEvents, mailboxMethods } from './contract/mailbox.js';
import { opsEvents, opsMethods } from './contract/ops.js';
import { shellEvents, shellMethods } from './contract/shell.js';
import { trustEvents, trustMethods } from './contract/trust.js';
import { workspaceEvents, workspaceMethods } from './contract/workspace.js';

export { appInfoSchema, settingsPatchSchema, settingsSchema, uiLanguageSchema, type AppInfo, type Settings, type UiLanguage } from './contract/app.js';
export { fileKindSchema } from './contract/shell.js';
export { fetchProgressSchema } from './contract/mailbox.js';

/**
 * The areas, each in its own file under contract/: app (program information, settings), shell (native dialogs,
 * menu commands), mailbox (store, identity, fetch, messages, exports, audit log, retention), workspace (UI-only),
 * ops (machine settings, backup, certificate rotation, acceptance record), trust (trusted sender CAs), codelists (code texts from Genericode),
 * active content (what a document may run; opening it in the system's program or a window of its own), handover (the
 * hand-over folder for the case system), demo (`postfach demo`: the demo mailbox of the command line).
 */
export const contract = defineContract({
  methods: {
    ...appMethods,
    ...shellMethods,
    ...mailboxMethods,
    ...workspaceMethods,
    ...opsMethods,
    ...trustMethods,
    ...codelistsMethods,
    ...activeContentMethods,
    ...handoverMethods,
    ...inboxMethods,
    ...serviceAccountsMethods,
    ...demoMethods,
  },
  events: {
    ...appEvents,
    ...shellEvents,
    ...mailboxEvents,
    ...workspaceEvents,
    ...opsEvents,
    ...trustEvents,
    ...codelistsEvents,
    ...handoverEvents,
    ...inboxEvents,
    ...serviceAccountsEvents,
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
