/**
 * Rows stored before schema 9 carry applicant names guessed from their display name (migration 9). When a store
 * opens, this reads each such row's content again — only up to the end of the case data (summarize), never the
 * documents — and puts the names in their real parts, so "van der Berg, Anna" sorts under V as written, not under
 * "Berg". It runs in the background in small batches and stops when the store closes; a row whose content can no
 * longer be read keeps its guessed parts (without the mark, so it is not tried again).
 */
import type { PostfachStore } from '../store/index.js';
import { summarize } from '../xsozial/index.js';
import { listNames } from './list-names.js';
import { contentSource } from './message-detail.js';

const BATCH = 50;

export interface Backfill {
  /** Resolves with the number of rows given their parts when the work is done or stopped. */
  readonly done: Promise<number>;
  stop(): void;
}

export function startNameBackfill(store: PostfachStore): Backfill {
  let stopped = false;
  const run = async (): Promise<number> => {
    let after = 0;
    let fixed = 0;
    while (!stopped && store.isOpen) {
      const ids = store.rowsWithGuessedNames(after, BATCH);
      if (ids.length === 0) break;
      for (const id of ids) {
        if (stopped || !store.isOpen) break;
        after = id;
        const record = store.getDelivery(id);
        try {
          const summary = await summarize(contentSource(store, record));
          if (!store.isOpen) break;
          store.setApplicantNames(id, listNames(summary.applicantNames));
          fixed += 1;
        } catch {
          if (!store.isOpen) break;
          store.setApplicantNames(id, record.applicantNames ?? []);
        }
      }
      // let calls of the caseworker go first between batches
      await new Promise((resolve) => setImmediate(resolve));
    }
    return fixed;
  };
  const done = run().catch(() => 0);
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
