/**
 * SIGTERM in the service's own process (the desktop app's utility process): the first one ends the service as the
 * host's `shutdown` does (the Übungsmodus's sending finished first, bounded); a second one while that runs ends the
 * process at once — whoever sends it again means it, and a shutdown that hangs must not make the process unkillable
 * short of SIGKILL.
 */

/** The part of `process` used here. */
export interface SignalSource {
  on(signal: 'SIGTERM', listener: () => void): unknown;
}

/** Exit code of a process ended by SIGTERM (128 + 15), as the default handler would have left it. */
export const SIGTERM_EXIT_CODE = 143;

export function shutdownOnSigterm(shutdown: () => void, source: SignalSource = process, exit: (code: number) => void = (code) => process.exit(code)): void {
  let shuttingDown = false;
  source.on('SIGTERM', () => {
    if (shuttingDown) {
      exit(SIGTERM_EXIT_CODE);
      return;
    }
    shuttingDown = true;
    shutdown();
  });
}
