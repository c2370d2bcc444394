/**
 * Contract area "inbox": the shared inbox of a team (issue 13) — who works on an application ("in Bearbeitung
 * durch …"), taking it, giving it back, handing it to a colleague, and (Leitung) taking over a colleague's claim.
 * The person is never part of the input: the service takes it from the call (postfach serve: the signed-in person;
 * the single-PC mode: the OS user, as the audit log names them). Each step answers with the list item as the caller
 * now sees it and emits `messages.changed`, which every other signed-in session receives (SSE) and reads again.
 * No Node and no DOM here (the renderer imports this file).
 */
import { z } from 'zod';
import { serviceMethod } from '../contract-kit.js';
import { noInput } from './fields.js';
import { messageListItemSchema } from './mailbox.js';

const storeId = z.number().int().positive();

/** An account name of `postfach serve` (core/serve/accounts.ts ACCOUNT_NAME). */
export const colleagueNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/);

export const inboxPeopleSchema = z.lazy(() =>
  z.strictObject({
    /** true: several persons work on this mailbox through `postfach serve`; false: the single-PC mode. */
    team: z.boolean(),
    /** May the caller take over a colleague's claim (postfach serve: Leitung and IT; the single-PC mode: yes)? */
    mayTakeOver: z.boolean(),
    /** The colleagues an application can be handed to (signed-in person and disabled accounts left out). */
    colleagues: z.array(z.strictObject({ name: colleagueNameSchema })).max(10_000),
  }),
);
export type InboxPeople = z.infer<typeof inboxPeopleSchema>;

export const inboxMethods = {
  /** "Bearbeiten": the caller takes the application; refused (`store-claimed`) while a colleague holds it. */
  'inbox.claim': serviceMethod(
    () => z.strictObject({ id: storeId }),
    () => messageListItemSchema,
  ),
  /** "Freigeben": the caller gives it back; refused while a colleague holds it. */
  'inbox.release': serviceMethod(
    () => z.strictObject({ id: storeId }),
    () => messageListItemSchema,
  ),
  /** "Übergeben": to a colleague (an existing account of the service); refused while another colleague holds it. */
  'inbox.hand': serviceMethod(
    () => z.strictObject({ id: storeId, to: colleagueNameSchema }),
    () => messageListItemSchema,
  ),
  /** "Übernehmen": the caller takes a colleague's claim, explicitly and audited with both names. */
  'inbox.takeOver': serviceMethod(
    () => z.strictObject({ id: storeId }),
    () => messageListItemSchema,
  ),
  /**
   * The list item as the caller sees it now (claim, read mark), without opening it: an open reading pane reads it
   * again when another person changed the message (`messages.changed`), so the claim shows at once.
   */
  'inbox.item': serviceMethod(
    () => z.strictObject({ id: storeId }),
    () => messageListItemSchema,
  ),
  /** Who else works on this mailbox (postfach serve answers from its accounts). */
  'inbox.people': serviceMethod(
    () => noInput,
    () => inboxPeopleSchema,
  ),
};

export const inboxEvents = {};
