/**
 * A second explicit dialog beside the fetch's first one, so that the intermediary prepares delivery n+1 while
 * delivery n is decoded and committed (README "Performance", branch fetchcpu).
 *
 * Why this keeps commit-before-acknowledge and exactly-once (PROTOCOL.md §2.2, §10.2–§10.4): the Reception of a
 * delivery is stamped when the intermediary receives another request IN THE SAME DIALOG in which it was handed
 * out [spec]. Each dialog here stays strictly sequential — a request is sent only after the delivery its previous
 * response handed out has been committed with fsync — so no request of one dialog acknowledges what the other one
 * holds. The second dialog lists the waiting deliveries (FetchProcessCard, `ReceptionOfDelivery` from 1970 with
 * `NoReception="true"` and `Role="Addressee"`, §10.4) and both dialogs then ask for them by message id
 * (`SelectionRule/MessageId`, §10.3), each id once from one shared queue; the delivery the first dialog holds while
 * the list is made is left out of it. The store is idempotent by message id in any case.
 *
 * An intermediary that refuses the second dialog or the list (a SOAP fault or an order-level 9xxx code) is fetched
 * from in one dialog as before; anything else (a response that does not decrypt or verify) fails the run as in the
 * first dialog.
 */
import { PostfachError } from '../errors.js';
import { ExplicitDialog, type ClientOptions, type FetchedDelivery } from '../osci/client/dialog.js';

/** Deliveries listed at once; what is beyond comes afterwards by the first dialog's rule-less loop. */
const LIST_LIMIT = 1000;
/** "Reached the intermediary at or after" the epoch: every delivery (the date forms carry NoReception and Role). */
const EVERY_DELIVERY = '1970-01-01T00:00:00Z';

/** A refusal the fetch survives in one dialog: SOAP fault or order-level code of the intermediary. */
const refused = (error: unknown): boolean => error instanceof PostfachError && (error.kind === 'osci-error' || error.kind === 'fault');

/**
 * Opens the second dialog and lists the waiting deliveries (without `inHand`, the one the first dialog holds).
 * Undefined when the intermediary refuses either or nothing else waits (the second dialog is then closed again).
 */
export async function openSideDialog(options: ClientOptions, inHand: string | undefined): Promise<{ dialog: ExplicitDialog; waiting: string[] } | undefined> {
  let dialog: ExplicitDialog;
  try {
    dialog = await ExplicitDialog.open(options);
  } catch (error) {
    if (refused(error)) return undefined;
    throw error;
  }
  try {
    const { cards } = await dialog.fetchProcessCards({ receptionOfDelivery: EVERY_DELIVERY, noReception: true, role: 'Addressee' }, LIST_LIMIT);
    const waiting = [...new Set(cards.map((c) => c.messageId))].filter((id) => id !== inHand);
    if (waiting.length > 0) return { dialog, waiting };
    await dialog.exit();
    await dialog.release();
    return undefined;
  } catch (error) {
    // nothing was handed out in this dialog: ending it acknowledges nothing
    if (refused(error) && dialog.state === 'open') await dialog.exit().catch(() => undefined);
    await dialog.release();
    if (refused(error)) return undefined;
    throw error;
  }
}

export interface LaneHooks {
  /** Claims one more delivery (false: stopped, or the maximum reached). */
  readonly mayClaim: () => boolean;
  /** Cancelled, or the other dialog failed: nothing more is sent. */
  readonly stopped: () => boolean;
  /** Gives a claim back (the id was no longer there). */
  readonly unclaim: () => void;
  /** Stores the delivery and confirms it in `lane`; `next` is the id that dialog asks for next (null: none). */
  readonly keep: (lane: ExplicitDialog, delivery: FetchedDelivery, next: string | null) => Promise<void>;
  readonly progress: () => void;
}

/**
 * Fetches ids from the shared `queue` by message id in `lane` until it is empty or a claim is refused. The next id
 * is taken (and its request signed) while the delivery in hand is stored; it is sent only after that commit.
 */
export async function drainByMessageId(lane: ExplicitDialog, queue: string[], hooks: LaneHooks): Promise<void> {
  const take = (): string | undefined => (queue.length > 0 && hooks.mayClaim() ? queue.shift() : undefined);
  let id = take();
  while (id !== undefined) {
    hooks.progress();
    const delivery = await lane.fetchDelivery({ messageIds: [id] });
    if (delivery === undefined) {
      // 9803: no longer there (received elsewhere meanwhile, or removed)
      hooks.unclaim();
      id = take();
      continue;
    }
    const next = take();
    await hooks.keep(lane, delivery, next ?? null);
    if (next !== undefined && hooks.stopped()) {
      // stopped while storing (the other dialog failed, or cancelled): that id stays at the intermediary
      hooks.unclaim();
      break;
    }
    id = next;
  }
}
