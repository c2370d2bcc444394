/**
 * Test-only: the dialog-level fetch loop the protocol tests (and the round-trip benchmark) drive over core/osci's
 * ExplicitDialog, and a fetched delivery's content layer decoded as the fetch engine decodes it. The program has
 * one fetch loop (core/mailbox/fetch-engine.ts), and its dialog does not open the content; these tests look at the
 * protocol beneath it.
 */
import { ExplicitDialog, type ClientOptions, type FetchedDelivery } from '../../core/osci/client/dialog.js';
import { decodeContent, type ContentResult } from '../../core/osci/content/decode.js';
import type { TrustAnchors } from '../../core/osci/signature/trust.js';

/** A client as the tests set it up: the dialog's options and the CAs trusted for author signatures. */
export interface TestClientOptions extends ClientOptions {
  readonly authorAnchors?: TrustAnchors;
}

/** A fetched delivery with its content layer decoded with the client's cipher key. */
export type DeliveryWithContent = FetchedDelivery & { readonly content: ContentResult };

export async function withContent(delivery: FetchedDelivery, options: TestClientOptions): Promise<DeliveryWithContent> {
  const content = await decodeContent(delivery.decoded.message, {
    keys: [options.cipherKey],
    scope: delivery.decoded.scope,
    ...(options.authorAnchors ? { authorAnchors: options.authorAnchors } : {}),
  });
  return { ...delivery, content };
}

export interface FetchAllOptions {
  /** Persist the delivery; the next request (its receipt) is sent only after this resolves. */
  readonly onDelivery: (delivery: DeliveryWithContent) => Promise<void>;
  /** Use PartialFetchDelivery with this chunk size (KB) instead of FetchDelivery. */
  readonly chunkSizeKb?: number;
}

/**
 * InitDialog → FetchDelivery until 9803 (each delivery persisted before the next request) → ExitDialog. If
 * onDelivery throws, nothing further is sent.
 */
export async function fetchAll(options: TestClientOptions, loop: FetchAllOptions): Promise<{ fetched: number; conversationId: string | undefined }> {
  const dialog = await ExplicitDialog.open(options);
  let fetched = 0;
  try {
    for (;;) {
      const delivery = loop.chunkSizeKb ? await dialog.partialFetchDelivery(loop.chunkSizeKb) : await dialog.fetchDelivery();
      if (!delivery) break;
      await loop.onDelivery(await withContent(delivery, options));
      dialog.confirmPersisted();
      fetched++;
      await dialog.release();
    }
    await dialog.exit();
    return { fetched, conversationId: dialog.id };
  } finally {
    await dialog.release();
  }
}
