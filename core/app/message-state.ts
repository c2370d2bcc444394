/**
 * The caseworker's changes of one message's state (gelesen, übertragen, Checkliste, Papierkorb, Aufbewahrung,
 * Aktenzeichen/Notizen, endgültig löschen) and the retention run: done in the store (which audits each), then the
 * message's view is forgotten and the lists are told (MailboxService.changed).
 */
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput } from '../api/contract.js';
import type { DeliveryListItem, ServiceStore } from '../store/index.js';
import type { MailboxService } from './mailbox-service.js';

/** `change` done on the open store, the message's view forgotten and the lists told: what `change` gave, and the message as it is now. */
export async function changeMessage<T>(
  mailbox: MailboxService,
  context: ServiceContext,
  id: number,
  change: (store: ServiceStore) => Promise<T>,
): Promise<{ readonly result: T; readonly item: DeliveryListItem }> {
  // through the service's store factory: SQLite, or the shared store on PostgreSQL
  const result = await change(mailbox.serviceStore());
  mailbox.changed(context, id);
  return { result, item: await mailbox.serviceStore().getDelivery(id) };
}

export async function deleteMessage(mailbox: MailboxService, context: ServiceContext, id: number): Promise<void> {
  await mailbox.serviceStore().deletePermanently(id);
  mailbox.changed(context, id, 'deleted');
}

/** What retention deletes now (only `ids`, when given), the lists told. */
export async function applyRetention(mailbox: MailboxService, input: HandlerInput<'retention.apply'>, context: ServiceContext) {
  const { deleted } = await mailbox.serviceStore().applyRetention({ onlyIds: input.ids });
  if (deleted.length > 0) context.emit('messages.changed', { reason: 'retention', ids: deleted.slice(0, 1000).map((d) => d.id) });
  return [...deleted];
}
