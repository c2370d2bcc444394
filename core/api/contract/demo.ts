/**
 * Contract area "demo": `postfach demo` — the demo mailbox (a test PKI, the local OSCI intermediary, a handful of
 * invented applications waiting to be fetched, a store of its own) in the service's data folder, its store opened
 * in the service's one session, the intermediary kept running in the service until `demo.stop`. The command then
 * fetches and lists through the mailbox area like any other. The command line's only: a service of the desktop app
 * or of `postfach serve` refuses it (they have the Übungsmodus, `workspace.startTraining`). No Node and no DOM.
 *
 * The store's password stays in the service; what comes back is where everything lies, to be shown.
 */
import { z } from 'zod';
import { serviceMethod } from '../contract-kit.js';
import { filePath, noInput, shortText } from './fields.js';
import { storeStatusSchema } from './mailbox.js';

export const demoStartedSchema = z.strictObject({
  /** The demo folder (the service's data folder). */
  dir: filePath,
  /** The demo store, opened. */
  store: storeStatusSchema,
  /** The store's password in a file beside it (mode 0600; demo data only). */
  storePasswordFile: filePath,
  /** The recovery key in a file beside it; null for a folder of an older version that has none. */
  recoveryKeyFile: filePath.nullable(),
  /** The test PKI (for tests only). */
  pkiDir: filePath,
  /** The local intermediary's data. */
  intermediaryDir: filePath,
  /** Where the local intermediary listens (loopback). */
  intermediaryUrl: z.string().max(2000),
  /** This start set the folder up (and made the store). */
  created: z.boolean(),
  /** The OSCI message ids of the applications this start sent (none when the folder had them all already). */
  sent: z.array(shortText).max(1000),
  /** The OSCI message ids of applications this start found at the intermediary by an intent a stopped run left open (recorded as sent, not sent again). */
  found: z.array(shortText).max(1000),
});
export type DemoStarted = z.infer<typeof demoStartedSchema>;

export const demoMethods = {
  /** Sets the demo up in the data folder (or takes the one there), sends what it owes, opens its store. */
  'demo.start': serviceMethod(noInput, demoStartedSchema),
  /** Stops the demo's intermediary (the store stays as it is); `stopped` false when none ran. */
  'demo.stop': serviceMethod(noInput, z.strictObject({ stopped: z.boolean() })),
};
