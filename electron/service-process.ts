/**
 * Runs the service (electron/service-entry.ts, bundled as dist/electron/service.cjs) in an Electron utility
 * process: the engine's network, cryptography and SQLite never block the window, and a crash of the engine does
 * not take the UI with it. Speaks the same protocol as the worker thread in Node.
 *
 * The process gets the same heap limit as the worker thread (`--max-old-space-size`, SERVICE_HEAP_LIMIT_MB); V8
 * then ends it when work runs away, and the supervisor (core/api/supervised-service.ts) starts a new one. A
 * utility process that dies of its heap limit reports only an exit code, so such an incident is recorded as
 * "crashed", not "memory" (the worker thread names its memory limit). Not covered by the tests here: they have no
 * Electron runtime; the supervisor and its words are tested with the worker thread.
 */
import { utilityProcess } from 'electron';
import { ServiceHost, type HostServices } from '../core/api/service-host.js';
import type { ServiceOptions } from '../core/api/service-protocol.js';
import { utilityChannel } from './utility-channel.js';
import { SupervisedService, type ServiceHandle } from '../core/api/supervised-service.js';
import type { ServiceRestarted } from '../core/api/contract/app.js';
import { SERVICE_HEAP_LIMIT_MB } from '../core/api/service-limits.js';

/** `hostServices.protector`: the OS key store (safeStorage) — wrap/unwrap run here in main, the key goes to the service. */
export function startUtilityService(entryFile: string, options: ServiceOptions, hostServices: HostServices = {}): Promise<ServiceHost> {
  const child = utilityProcess.fork(entryFile, [], { serviceName: 'OSCI-Postfach Dienst', stdio: 'inherit', execArgv: [`--max-old-space-size=${SERVICE_HEAP_LIMIT_MB}`] });
  return ServiceHost.start(utilityChannel(child), options, undefined, hostServices);
}

/** The utility process, started again when it dies (bounded restarts with a growing pause). */
export function startSupervisedUtilityService(
  entryFile: string,
  options: ServiceOptions,
  hostServices: HostServices,
  onIncident: (incident: ServiceRestarted) => void,
): Promise<ServiceHandle> {
  return SupervisedService.start({ dataDir: options.dataDir, start: () => startUtilityService(entryFile, options, hostServices), onIncident });
}
