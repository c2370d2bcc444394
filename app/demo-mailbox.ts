/**
 * The demo mailbox (`postfach demo`, the desktop app's Übungsmodus): in one folder a test PKI, the local OSCI
 * intermediary (started here, on a free loopback port), a handful of synthetic applications waiting in the
 * municipality's mailbox (different services, one Testantrag, one with evidence attachments), and a store of its
 * own whose mailbox identity is set up — ready for `mailbox.fetch`.
 *
 * Started again on the same folder it keeps everything: the PKI, the intermediary's mailbox, the store (fetched
 * applications stay); only the intermediary's new port is written into the store's connection. Applications are
 * sent once, when the folder is new.
 *
 * Part of the application layer (app/), not of core/: it joins the mailbox engine with the local intermediary, which
 * nothing in core/ imports. The Übungsmodus is part of the product and runs in the service like the rest of the
 * engine; the service's handlers load it on first use (core/api/service.ts; docs/ARCHITECTURE.md).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadIntermediaryKeys, loadSenderSetup, sendApplications, startIntermediary, type SentApplication } from '../intermediary/index.js';
import type { Service } from '../intermediary/generator/application.js';
import { createTestPki, testPkiFiles } from '../core/pki/test-pki.js';
import { PostfachStore } from '../core/store/index.js';
import { connectionRecord, identityFromFiles, identityFromRecord, identityRecord } from '../core/mailbox/identity.js';

export interface DemoMailbox {
  readonly dir: string;
  /** The demo store (identity set up); closed — open it through `store.open` with `unlock`. */
  readonly storePath: string;
  /** Also in `<dir>/store-password` (mode 0600): demo data only. */
  readonly unlock: { readonly password: string };
  readonly intermediaryUrl: string;
  readonly pkiDir: string;
  /** true when this call set the folder up (and sent the applications). */
  readonly created: boolean;
  /** The recovery key of a store created by this call (also in `<dir>/recovery-key.txt`). */
  readonly recoveryKey: string | undefined;
  readonly sent: readonly SentApplication[];
  /** Stops the intermediary. */
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Port of the intermediary (default 0: a free one). */
  readonly port?: number;
  /** Log lines of the intermediary (default: none). */
  readonly log?: (line: string) => void;
}

/** What the demo sends into a new mailbox: different services, one Testantrag, one with evidence attachments. */
export const DEMO_APPLICATIONS: ReadonlyArray<{ readonly service: Service; readonly seed: string; readonly test?: boolean; readonly attachments?: number }> = [
  { service: 'hzl', seed: 'demo-hzl', attachments: 2 },
  { service: 'grusi', seed: 'demo-grusi' },
  { service: 'but', seed: 'demo-but' },
  { service: 'asylblg', seed: 'demo-asylblg', test: true },
  { service: 'wbs', seed: 'demo-wbs' },
];

function writeSecret(file: string, text: string): void {
  writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'w' });
}

export async function startDemoMailbox(dir: string, options: DemoOptions = {}): Promise<DemoMailbox> {
  const root = path.resolve(dir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const pkiDir = path.join(root, 'pki');
  if (!existsSync(testPkiFiles(pkiDir).password)) await createTestPki(pkiDir, { force: true });
  const files = testPkiFiles(pkiDir);
  const intermediary = await startIntermediary({
    port: options.port ?? 0,
    dataDir: path.join(root, 'intermediary'),
    keys: loadIntermediaryKeys({ pkiDir }),
    ...(options.log ? { options: { log: options.log } } : {}),
  });
  try {
    const storePath = path.join(root, 'postfach.db');
    const passwordFile = path.join(root, 'store-password');
    const created = !PostfachStore.exists(storePath);
    let password: string;
    let recoveryKey: string | undefined;
    let store: PostfachStore;
    if (created) {
      password = randomBytes(18).toString('base64url');
      writeSecret(passwordFile, password);
      const made = await PostfachStore.create(storePath, { password });
      store = made.store;
      recoveryKey = made.recoveryKey;
      writeSecret(path.join(root, 'recovery-key.txt'), recoveryKey);
    } else {
      password = readFileSync(passwordFile, 'utf8').trim();
      store = await PostfachStore.open(storePath, { password });
    }
    try {
      const record = store.readMailboxIdentity();
      if (record === undefined) {
        const identity = identityFromFiles({
          keyFile: files.municipality.p12,
          password: readFileSync(files.password, 'utf8').replace(/\r?\n$/, ''),
          intermediaryUrl: intermediary.url,
          intermediaryCertificateFile: files.intermediary.cer,
          trustedCaFiles: [files.ca],
        });
        store.saveMailboxIdentity(identityRecord(identity));
      } else {
        const current = identityFromRecord(record).connection;
        if (current.intermediaryUrl !== intermediary.url) store.updateMailboxConnection(connectionRecord({ ...current, intermediaryUrl: intermediary.url }));
      }
    } finally {
      store.close();
    }
    const sent: SentApplication[] = [];
    if (created) {
      const setup = loadSenderSetup({ pkiDir });
      for (const app of DEMO_APPLICATIONS) {
        sent.push(
          ...(await sendApplications({
            intermediaryUrl: intermediary.url,
            setup,
            service: app.service,
            seed: app.seed,
            ...(app.test ? { test: true } : {}),
            ...(app.attachments ? { attachments: app.attachments, attachmentSize: 120_000 } : {}),
          })),
        );
      }
    }
    return {
      dir: root,
      storePath,
      unlock: { password },
      intermediaryUrl: intermediary.url,
      pkiDir,
      created,
      recoveryKey,
      sent,
      close: () => intermediary.close(),
    };
  } catch (error) {
    await intermediary.close();
    throw error;
  }
}
