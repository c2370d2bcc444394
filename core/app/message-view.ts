/**
 * A message as the reading pane shows it (`messages.detail`): written with the caseworker's name order and in the
 * office time zone, as heavy work (recorded as in progress while it runs). A message whose content brought the
 * service down before is shown without that content — Laufzettel, documents and the reason — so the caseworker still
 * sees what arrived. The lists are told, since reading changed its state.
 */
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput } from '../api/contract.js';
import { quarantinedError } from '../api/service-incidents.js';
import { messageDetail, type MessageFacts } from '../mailbox/message-detail.js';
import type { MailboxService } from './mailbox-service.js';

/** The facts of the message and the time zone they are to be written in. */
export interface ShownMessage {
  readonly facts: MessageFacts;
  readonly timeZone: string;
}

export async function showMessage(mailbox: MailboxService, at: HandlerInput<'messages.detail'>['ref'], context: ServiceContext): Promise<ShownMessage> {
  const ref = 'id' in at ? at.id : { messageId: at.messageId };
  await mailbox.applyViewSettings();
  const store = mailbox.serviceStore();
  const messageId = 'id' in at ? (await store.getDelivery(at.id)).messageId : at.messageId;
  const timeZone = (await mailbox.config()).values.officeTimeZone;
  const refused = mailbox.heavy.quarantined(messageId, 'message-detail');
  const facts = refused
    ? await messageDetail(store, ref, mailbox.views, { timeZone, viewRefused: quarantinedError(refused) })
    : await mailbox.heavy.run('message-detail', { messageId, ...('id' in at ? { storeId: at.id } : {}) }, () => messageDetail(store, ref, mailbox.views, { timeZone }));
  context.emit('messages.changed', { reason: 'state', ids: [facts.item.id] });
  return { facts, timeZone };
}
