/**
 * Which windows the shell has and which of them a command goes to: the main window, one window per message
 * opened on its own (side-by-side work with the case system), and one per document opened in a window of its own. Written against the few methods of BrowserWindow it
 * uses, so the decisions are unit-tested with stand-in windows; main.ts creates the real ones.
 */

/** The parts of Electron's BrowserWindow these decisions use. */
export interface ShellWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  close(): void;
  on(event: 'closed', listener: () => void): unknown;
}

const alive = <W extends ShellWindow>(win: W | null | undefined): win is W => win !== null && win !== undefined && !win.isDestroyed();

/** Brings the main window back (tray click, notification click, a second start of the program). */
export function bringToFront(win: ShellWindow | undefined): void {
  if (!alive(win)) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

export class ShellWindows<W extends ShellWindow> {
  private mainWindow: W | undefined;
  /** Messages opened in windows of their own, by store id (one window per message). */
  private readonly messages = new Map<number, W>();
  /** Documents in windows of their own, by "<message id>:<document key>" (one window per document). */
  private readonly documents = new Map<string, W>();

  get main(): W | undefined {
    return this.mainWindow;
  }

  /** Message windows belong to the main window: closing it closes them (and so ends the program). */
  setMain(win: W): void {
    this.mainWindow = win;
    win.on('closed', () => {
      for (const other of [...this.messages.values(), ...this.documents.values()]) if (!other.isDestroyed()) other.close();
    });
  }

  /** Shows the window of this message, creating it only where none is open. */
  openMessage(id: number, create: () => W): W {
    return ShellWindows.showOrCreate(this.messages, id, create);
  }

  /** Shows the window of this document of this message, creating it only where none is open. */
  openDocument(id: number, documentKey: string, create: () => W): W {
    return ShellWindows.showOrCreate(this.documents, `${id}:${documentKey}`, create);
  }

  private static showOrCreate<K, W extends ShellWindow>(windows: Map<K, W>, key: K, create: () => W): W {
    const existing = windows.get(key);
    if (alive(existing)) {
      existing.show();
      existing.focus();
      return existing;
    }
    const win = create();
    windows.set(key, win);
    win.on('closed', () => {
      if (windows.get(key) === win) windows.delete(key);
    });
    return win;
  }

  get openDocumentKeys(): string[] {
    return [...this.documents.entries()].filter(([, win]) => !win.isDestroyed()).map(([key]) => key);
  }

  get openMessageIds(): number[] {
    return [...this.messages.entries()].filter(([, win]) => !win.isDestroyed()).map(([id]) => id);
  }

  /**
   * A menu or tray command goes to the window the caseworker works in: the focused one when it is ours (a message
   * window or the main window), else the main window.
   */
  commandTarget(focused: W | null | undefined): W | undefined {
    if (alive(focused) && (focused === this.mainWindow || [...this.messages.values()].includes(focused))) return focused;
    return this.mainWindow;
  }

  /** Sends a command to its target window (`commandTarget`), bringing the main window to the front first. */
  deliverCommand(focused: W | null | undefined, send: (target: W) => void): void {
    const target = this.commandTarget(focused);
    if (target === this.mainWindow) bringToFront(target);
    if (alive(target)) send(target);
  }

  /** The window native dialogs are attached to: the focused one, else the main window. */
  dialogParent(focused: W | null | undefined): W | undefined {
    return focused ?? this.mainWindow;
  }
}
