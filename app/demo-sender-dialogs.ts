/**
 * What the demo's sender (the Sozialplattform's part, demo-mailbox.ts) asks its intermediary besides the sending
 * itself, so that an application is never sent twice (demo-applications.ts): a message id to record before the
 * application goes out under it (GetMessageId, an implicit dialog), and, after a stop, whether a delivery under a
 * recorded id is there (FetchProcessCard by MessageId in an explicit dialog of the sender: the intermediary shows a
 * sender the process cards of what it sent, PROTOCOL.md §10.4).
 */
import { ExplicitDialog, ImplicitSender, type ClientOptions } from '../core/osci/client/dialog.js';
import { httpTransport } from '../core/mailbox/transport.js';
import type { SenderSetup } from '../intermediary/index.js';

function clientOptions(intermediaryUrl: string, setup: SenderSetup): ClientOptions {
  return {
    // loopback: the demo's own intermediary, never through a proxy
    post: httpTransport({ url: intermediaryUrl, proxy: { mode: 'direct' } }),
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
    await dialog.release();
  }
}
