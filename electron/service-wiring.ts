/**
 * The utility process's side of the desktop service (electron/service-entry.ts), without Electron: the parent port
 * as the service runtime's port, and the choice of network for the fetch engine — Electron's `net` (Chromium: the
 * system proxy with WPAD/PAC and NTLM/Kerberos, the Windows certificate store) where it can do the job, else the
 * engine's Node transport (extra TLS CAs, which Chromium cannot take per request; fixed and PAC proxies with Basic
 * authentication).
 */
import type { ServicePort } from '../core/api/service-runtime.js';
import type { MailboxDeps } from '../core/api/handlers/mailbox.js';
import { chromiumTransport, type NetLike } from '../core/mailbox/chromium-transport.js';

/** `process.parentPort` of an Electron utility process. */
export interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function parentPortChannel(port: UtilityParentPort | undefined): ServicePort {
  if (port === undefined) throw new Error('the desktop service must run as an Electron utility process');
  return { post: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', (event) => listener(event.data)) };
}

/** `MailboxDeps.transport`: Chromium's network only with no extra CAs and the system proxy; undefined = Node's. */
export function desktopTransport(net: NetLike): NonNullable<MailboxDeps['transport']> {
  return ({ url, timeoutMs, tlsCas, proxyMode }) => (tlsCas.length === 0 && proxyMode === 'system' ? chromiumTransport(net, { url, timeoutMs }) : undefined);
}
