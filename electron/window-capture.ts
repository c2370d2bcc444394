/**
 * The self-test's picture of the main window: waits until the window shows the Übungsmodus mailbox (the title
 * says "Übungsmodus" and the message list has rows), then captures it. Written against the few members of
 * BrowserWindow it uses, so the waiting is unit-tested with a stand-in window.
 */

/** The parts of BrowserWindow and its WebContents the capture uses. */
export interface CapturableMainWindow {
  isDestroyed(): boolean;
  show(): void;
  readonly webContents: {
    getTitle(): string;
    /** Runs in the page (the main world; the CSP does not apply to the embedder's scripts). */
    executeJavaScript(code: string): Promise<unknown>;
    capturePage(): Promise<{ toPNG(): Uint8Array }>;
  };
}

export interface CaptureOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** The page's rows in the message list (renderer/src/mailbox/MessageList.tsx: `data-testid="message-list"`). */
export const COUNT_ROWS = `document.querySelectorAll('[data-testid="message-list"] [role="option"]').length`;

const TRAINING_TITLES = ['Übungsmodus', 'Training mode'];

export async function captureWhenMailboxShown(win: CapturableMainWindow | undefined, options: CaptureOptions = {}): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  if (win === undefined || win.isDestroyed()) throw new Error('the main window does not exist');
  win.show();
  const deadline = now() + timeoutMs;
  for (;;) {
    if (win.isDestroyed()) throw new Error('the main window was closed');
    const title = win.webContents.getTitle();
    const rows = TRAINING_TITLES.some((t) => title.includes(t)) ? Number(await win.webContents.executeJavaScript(COUNT_ROWS).catch(() => 0)) : 0;
    if (rows > 0) break;
    if (now() >= deadline) throw new Error(`the window did not show the Übungsmodus mailbox within ${timeoutMs} ms (title "${title}", ${rows} rows)`);
    await sleep(pollMs);
  }
  // one more frame for the rows' text and the status bar to settle
  await sleep(pollMs * 2);
  const image = await win.webContents.capturePage();
  return image.toPNG();
}
