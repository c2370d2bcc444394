/**
 * Runs the service (electron/service-entry.ts, bundled as dist/electron/service.cjs) in an Electron utility
 * process: the engine's network, cryptography and SQLite never block the window, and a crash of the engine does
 * not take the UI with it. Speaks the same protocol as the worker thread in Node.
 */
import { utilityProcess } from 'electron';
import { ServiceHost, type HostServices } from '../core/api/service-host.js';
import type { ServiceOptions } from '../core/api/service-protocol.js';
import { utilityChannel } from './utility-channel.js';

/** `hostServices.protector`: the OS key store (safeStorage) — wrap/unwrap run here in main, the key goes to the service. */
export function startUtilityService(entryFile: string, options: ServiceOptions, hostServices: HostServices = {}): Promise<ServiceHost> {
  const child = utilityProcess.fork(entryFile, [], { serviceName: 'OSCI-Postfach Dienst', stdio: 'inherit' });
  return ServiceHost.start(utilityChannel(child), options, undefined, hostServices);
}
