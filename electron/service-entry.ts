/**
 * Entry of the service in the desktop app's utility process (bundled as dist/electron/service.cjs): the same service
 * as core/api/service-entry.ts, with Electron's `net` handed to the fetch engine — Chromium's network stack with the
 * system proxy (WPAD/PAC, NTLM/Kerberos at the proxy) and the Windows certificate store. Where IT configured extra
 * TLS CAs or a proxy mode other than "system", the engine's Node transport is used instead (the choice:
 * service-wiring.ts `desktopTransport`). Wiring only.
 */
import { net } from 'electron';
import { createServiceHandlers } from '../core/api/service.js';
import { runService } from '../core/api/service-runtime.js';
import { shutdownOnSigterm } from '../core/api/service-sigterm.js';
import type { NetLike } from '../core/mailbox/chromium-transport.js';
import { desktopTransport, parentPortChannel, type UtilityParentPort } from './service-wiring.js';

const transport = desktopTransport(net as unknown as NetLike);

const service = runService(
  parentPortChannel((process as unknown as { parentPort?: UtilityParentPort }).parentPort),
  (options, host) => createServiceHandlers(options, host, undefined, { transport }),
  () => process.exit(0),
);
// SIGTERM (the system ending the process) ends it as the host's shutdown does: the Übungsmodus's sending finished
// first; a second SIGTERM meanwhile ends it at once
shutdownOnSigterm(() => service.shutdown());
