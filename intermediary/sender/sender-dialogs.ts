/**
 * What a sender asks the intermediary besides the sending itself (send.ts), so that it can send each application
 * once only (the Übungsmodus: app/demo-applications.ts): a message id to record before the application goes out
 * under it (`sendApplications({messageId})`; GetMessageId, an implicit dialog), and, after a stop, whether a
 * delivery under a recorded id is there (FetchProcessCard by MessageId in an explicit dialog of the sender: the
 * intermediary shows a sender the process cards of what it sent, PROTOCOL.md §10.4).
 */
import { ExplicitDialog, ImplicitSender, type ClientOptions } from '../../core/osci/client/dialog.js';
import { httpPost } from './http-post.js';
import type { SenderSetup } from './send.js';

function clientOptions(intermediaryUrl: string, setup: SenderSetup): ClientOptions {
  return {
    post: httpPost(intermediaryUrl),
    cipherKey: setup.sender,
    signatureKey: setup.signatureKey ?? setup.sender,
    intermediaryCertificate: setup.intermediaryCertificate,
    intermediarySigner: setup.intermediarySigner,
  };
}

/** A new message id from the intermediary (recorded as issued there, usable once). */
export async function issueMessageId(intermediaryUrl: string, setup: SenderSetup): Promise<string> {
  return new ImplicitSender(clientOptions(intermediaryUrl, setup)).getMessageId();
}

/** Whether the intermediary holds a delivery of this sender under `messageId`; rejects when it cannot be asked. */
export async function deliveredUnder(intermediaryUrl: string, setup: SenderSetup, messageId: string): Promise<boolean> {
  const dialog = await ExplicitDialog.open(clientOptions(intermediaryUrl, setup));
  try {
    const { cards } = await dialog.fetchProcessCards({ messageIds: [messageId], role: 'Originator' }, 1);
    await dialog.exit();
    return cards.some((card) => card.messageId === messageId);
  } finally {
    // a failing release must not hide the answer or the error before it (the dialog ends at the intermediary anyway)
    await dialog.release().catch(() => undefined);
  }
}
