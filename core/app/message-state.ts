/**
 * The caseworker's changes of one message's state (gelesen, übertragen, Checkliste, Papierkorb, Aufbewahrung,
 * Aktenzeichen/Notizen, endgültig löschen) and the retention run: done in the store (which audits each), then the
 * message's view is forgotten and the lists are told (MailboxService.changed).
 */
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput } from '../api/contract.js';
import type { DeliveryListItem, PostfachStore } from '../store/index.js';
import type { MailboxService } from './mailbox-service.js';

/** `change` done on the open store, the message's view forgotten and the lists told: what `change` gave, and the message as it is now. */
export function changeMessage<T>(
  mailbox: MailboxService,
  context: ServiceContext,
  id: number,
  change: (store: PostfachStore) => T,
): { readonly result: T; readonly item: DeliveryListItem } {
  const result = change(mailbox.store());
  mailbox.changed(context, id);
  return { result, item: mailbox.store().getDelivery(id) };
}

export async function deleteMessage(mailbox: MailboxService, context: ServiceContext, id: number): Promise<void> {
  await mailbox.store().deletePermanently(id);
  mailbox.changed(context, id, 'deleted');
}

/** What retention deletes now (only `ids`, when given), the lists told. */
export async function applyRetention(mailbox: MailboxService, input: HandlerInput<'retention.apply'>, context: ServiceContext) {
  const { deleted } = await mailbox.store().applyRetention({ onlyIds: input.ids });
  if (deleted.length > 0) context.emit('messages.changed', { reason: 'retention', ids: deleted.slice(0, 1000).map((d) => d.id) });
  return [...deleted];
}
