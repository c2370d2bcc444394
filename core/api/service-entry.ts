/**
 * Entry point of the service process: started as a worker thread (Node: loopback bridge, CLI) or as an Electron
 * utility process (desktop app). Connects the message loop to whichever parent port exists.
 */
import { parentPort } from 'node:worker_threads';
import { createServiceHandlers } from './service.js';
import { runService, type ServicePort } from './service-runtime.js';

/** Electron's utility-process port, typed here because core/ never imports electron. */
interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connect(): ServicePort {
  if (parentPort !== null) {
    const port = parentPort;
    return { post: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) };
  }
  const utilityPort = (process as unknown as { parentPort?: UtilityParentPort }).parentPort;
  if (utilityPort !== undefined) {
    return { post: (message) => utilityPort.postMessage(message), onMessage: (listener) => utilityPort.on('message', (event) => listener(event.data)) };
  }
  throw new Error('service-entry must run as a worker thread or an Electron utility process');
}

runService(connect(), createServiceHandlers, () => process.exit(0));
