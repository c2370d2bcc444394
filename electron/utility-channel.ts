/**
 * The service protocol's channel over an Electron utility process (main side): messages out with `postMessage`,
 * messages in from the child's `message` event, one exit report, and kill. Written against the members of
 * UtilityProcess it uses, so the wiring is unit-tested with a stand-in child; service-process.ts forks the real one.
 */
import type { ServiceChannel } from '../core/api/service-host.js';

/** The parts of Electron's UtilityProcess the channel uses. */
export interface UtilityChild {
  /** Undefined before the process has spawned and after it has exited (Electron's `UtilityProcess.pid`). */
  readonly pid?: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** What the hard stop needs of a child process (a UtilityProcess or a Node ChildProcess). */
export interface KillableChild {
  readonly pid?: number | undefined;
  kill(): boolean;
}

/**
 * Ends the child at once. The graceful end is the service's `shutdown` message (ServiceHost.close); the kill is the
 * hard stop after its grace, or of a service that never became ready. `UtilityProcess.kill()` sends SIGTERM on
 * POSIX, which the service answers with its own (graceful) shutdown and which a blocked event loop never sees — so
 * SIGKILL there. On Windows `kill()` terminates the process already.
 */
export function killHard(child: KillableChild, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32' && child.pid !== undefined) {
    try {
      process.kill(child.pid, 'SIGKILL');
      return;
    } catch {
      // gone meanwhile, or not ours to signal: the child's own kill below
    }
  }
  child.kill();
}

export function utilityChannel(child: UtilityChild): ServiceChannel {
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    post: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', (code) => listener(`utility process exited with code ${code}`)),
    // never a signal to a pid that is no longer the child's
    kill: () => {
      if (!exited) killHard(child);
    },
  };
}
