/**
 * Handlers of the contract area "inbox" (core/api/contract/inbox.ts): the shared inbox. Each step goes to the store
 * (core/store/shared-inbox.ts decides, the person is the call's audit actor), answers with the list item as the
 * caller now sees it, and emits `messages.changed` — the event every window and every signed-in session of
 * `postfach serve` already receives (SSE), so the others read the row and an open reading pane again.
 */
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import { PostfachError } from '../../errors.js';
import { SERVE_ACTOR_PREFIX, type InboxStep } from '../../store/index.js';
import type { MailboxService } from '../../app/mailbox-service.js';
import type { ServiceOptions } from '../service-protocol.js';
import { listItemDto } from './evidence-dto.js';

const notInTeam = (): PostfachError =>
  new PostfachError(
    'serve-forbidden',
    {
      de: 'Übergeben an Kolleginnen und Kollegen gibt es nur, wenn das Postfach über den Abrufdienst (postfach serve) geteilt wird.',
      en: 'Handing to colleagues is only possible when the mailbox is shared through the fetch service (postfach serve).',
    },
    'inbox.hand outside postfach serve',
  );

export function inboxHandlers(options: ServiceOptions, mailbox: MailboxService) {
  const step = async (id: number, inboxStep: InboxStep, context: ServiceContext) => {
    // serviceStore(): the SQLite adapter or the PostgreSQL store (store() is SQLite only and refuses on PostgreSQL)
    const record = await mailbox.serviceStore().claimStep(id, inboxStep);
    mailbox.changed(context, id);
    return listItemDto(record);
  };
  return {
    'inbox.claim': (input: HandlerInput<'inbox.claim'>, context: ServiceContext) => step(input.id, { kind: 'claim' }, context),
    'inbox.release': (input: HandlerInput<'inbox.release'>, context: ServiceContext) => step(input.id, { kind: 'release' }, context),
    'inbox.takeOver': (input: HandlerInput<'inbox.takeOver'>, context: ServiceContext) => step(input.id, { kind: 'take-over' }, context),
    'inbox.hand': (input: HandlerInput<'inbox.hand'>, context: ServiceContext) => {
      // the colleague is an account of the service (server.ts checks it exists before the call gets here); the
      // store keeps them as the audit log names a signed-in person
      if (options.host !== 'serve') throw notInTeam();
      return step(input.id, { kind: 'hand', to: `${SERVE_ACTOR_PREFIX}${input.to}` }, context);
    },
    // postfach serve's account changes into the audit log, the actor being who made them (core/serve/run.ts)
    'serve.recordAccountChange': async (input: HandlerInput<'serve.recordAccountChange'>) => {
      if (options.host !== 'serve') throw notInTeam();
      await mailbox.serviceStore().recordAccountChange(input);
      return { recorded: true as const };
    },
    'inbox.item': async (input: HandlerInput<'inbox.item'>) => listItemDto(await mailbox.serviceStore().getDelivery(input.id)),
    // postfach serve answers this from its accounts (server.ts); here: the single-PC mode, one person
    'inbox.people': () => ({ team: false, mayTakeOver: true, colleagues: [] }),
  };
}
