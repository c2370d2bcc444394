/**
 * The service protocol's channel over an Electron utility process (main side): messages out with `postMessage`,
 * messages in from the child's `message` event, one exit report, and kill. Written against the four members of
 * UtilityProcess it uses, so the wiring is unit-tested with a stand-in child; service-process.ts forks the real one.
 */
import type { ServiceChannel } from '../core/api/service-host.js';

/** The parts of Electron's UtilityProcess the channel uses. */
export interface UtilityChild {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export function utilityChannel(child: UtilityChild): ServiceChannel {
  return {
    post: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', (code) => listener(`utility process exited with code ${code}`)),
    kill: () => void child.kill(),
  };
}
