/**
 * The desktop app's quit waits for its service to end by itself: Electron ends the utility process with the main
 * process, so a quit that does not wait cuts the service's `shutdown` short — the Übungsmodus's application on its
 * way among it (app/demo-applications.ts stays crash-safe without this; with it a normal quit leaves nothing open).
 * The first `will-quit` is held back until the service has closed (ServiceHost.close: its own end, or killed after
 * the 2 s grace), then the quit is asked for again and goes through.
 */

/** The part of Electron's will-quit event used here. */
export interface QuitEvent {
  preventDefault(): void;
}

/**
 * A will-quit listener: `stopService` closes the service (undefined when none runs), `quit` asks Electron to quit
 * again. Each later call (the second quit) lets the quit go on.
 */
export function quitAfterService(stopService: () => Promise<void> | undefined, quit: () => void): (event: QuitEvent) => void {
  let held = false;
  return (event) => {
    if (held) return;
    const stopping = stopService();
    if (stopping === undefined) return;
    held = true;
    event.preventDefault();
    void stopping.catch(() => undefined).then(quit);
  };
}
