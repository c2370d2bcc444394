/** The fetch engine (being written): one dialog, each delivery committed before the next request. */
import type { FetchProgress, FetchResult } from '../api/contract/mailbox.js';
import type { PostfachStore } from '../store/index.js';
import { mailboxError } from './errors.js';
import type { MailboxIdentity } from './identity.js';

export interface FetchOptions {
  readonly store: PostfachStore;
  readonly identity: MailboxIdentity;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchProgress) => void;
  readonly maxDeliveries?: number;
}

export async function runFetch(_options: FetchOptions): Promise<FetchResult> {
  throw mailboxError('network', 'fetch engine not built yet');
}

export async function testConnection(_identity: MailboxIdentity): Promise<{ ok: true; url: string; durationMs: number }> {
  throw mailboxError('network', 'fetch engine not built yet');
}
