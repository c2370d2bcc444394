/**
 * A real mailbox for the ops tests: the shared test PKI, the local intermediary on loopback, synthetic applications
 * sent as the Sozialplattform would, and a store (fast KDF) filled by the real fetch engine in this process.
 */
import path from 'node:path';
import { identityFromFiles, type MailboxIdentity } from '../../core/mailbox/identity.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { FAST_SCRYPT, pkiPassword, STORE_PASSWORD } from '../mailbox/helpers.js';

export { STORE_PASSWORD };

export function identityFor(pkiDir: string, intermediaryUrl: string, keyFile = testPkiFiles(pkiDir).municipality.p12, password = pkiPassword(pkiDir)): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({ keyFile, password, intermediaryUrl, intermediaryCertificateFile: f.intermediary.cer, trustedCaFiles: [f.ca] });
}

export async function newStore(dbPath: string): Promise<{ store: PostfachStore; recoveryKey: string }> {
  return PostfachStore.create(dbPath, { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
}

/** Fetches everything waiting for `identity` into `store`; fails the test on anything but a complete fetch. */
export async function fetchAll(store: PostfachStore, identity: MailboxIdentity): Promise<number[]> {
  const result = await runFetch({ store, identity });
  if (result.outcome !== 'complete') throw new Error(`fetch ${result.outcome}: ${JSON.stringify(result.error)}`);
  return result.newIds;
}

export function pathIn(dir: string, ...parts: string[]): string {
  return path.join(dir, ...parts);
}

export type { RunningIntermediary };
