/**
 * Entry of the service in the desktop app's utility process (bundled as dist/electron/service.cjs): the same service
 * as core/api/service-entry.ts, with Electron's `net` handed to the fetch engine — Chromium's network stack with the
 * system proxy (WPAD/PAC, NTLM/Kerberos at the proxy) and the Windows certificate store. Where IT configured extra
 * TLS CAs or a proxy mode other than "system", the engine's Node transport is used instead (Chromium cannot take CAs
 * per request; fixed and PAC proxies with Basic authentication are the Node transport's), which reads the Windows
 * store through Node as well.
 */
import { net } from 'electron';
import { createServiceHandlers } from '../core/api/service.js';
import { runService, type ServicePort } from '../core/api/service-runtime.js';
import { chromiumTransport, type NetLike } from '../core/mailbox/chromium-transport.js';

interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connect(): ServicePort {
  const port = (process as unknown as { parentPort?: UtilityParentPort }).parentPort;
  if (port === undefined) throw new Error('the desktop service must run as an Electron utility process');
  return { post: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', (event) => listener(event.data)) };
}

const chromiumNet = net as unknown as NetLike;

runService(
  connect(),
  (options, host) =>
    createServiceHandlers(options, host, undefined, {
      transport: ({ url, timeoutMs, tlsCas, proxyMode }) => (tlsCas.length === 0 && proxyMode === 'system' ? chromiumTransport(chromiumNet, { url, timeoutMs }) : undefined),
    }),
  () => process.exit(0),
);
