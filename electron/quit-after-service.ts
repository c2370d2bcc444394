/**
 * The desktop app's quit waits for its service to end by itself: Electron ends the utility process with the main
 * process, so a quit that does not wait cuts the service's `shutdown` short — the Übungsmodus's application on its
 * way among it (app/demo-applications.ts stays crash-safe without this; with it a normal quit leaves nothing open).
 * The first `will-quit` is held back until the service has closed (ServiceHost.close: its own end, or killed after
 * the 2 s grace), then the quit is asked for again and goes through. The hold has a deadline of its own: by then IPC
 * and tray are gone, and a quit that never comes would leave an invisible process holding the single-instance lock.
 */

/** Longest hold of the quit: above the host's 2 s grace and the kill after it, so it only cuts a close that hangs. */
export const QUIT_HOLD_MS = 3_000;

/** The part of Electron's will-quit event used here. */
export interface QuitEvent {
  preventDefault(): void;
}

/**
 * A will-quit listener: `stopService` closes the service (undefined when none runs), `quit` asks Electron to quit
 * again — once, when the service has closed or after `holdMs`, whichever comes first. Each later call (the second
 * quit) lets the quit go on.
 */
export function quitAfterService(stopService: () => Promise<void> | undefined, quit: () => void, holdMs = QUIT_HOLD_MS): (event: QuitEvent) => void {
  let held = false;
  return (event) => {
    if (held) return;
    const stopping = stopService();
    if (stopping === undefined) return;
    held = true;
    event.preventDefault();
    let asked = false;
    const quitOnce = (): void => {
      if (asked) return;
      asked = true;
      clearTimeout(deadline);
      quit();
    };
    const deadline = setTimeout(quitOnce, holdMs);
    void stopping.catch(() => undefined).then(quitOnce);
  };
}
