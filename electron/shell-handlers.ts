/**
 * The contract's shell methods as the desktop app answers them: native dialogs, attached to the window that asked,
 * a message or one document opened in a window of its own (side-by-side work with the case system), a document
 * opened in the system's program (open-external.ts), and a picture of the window (the acceptance record's
 * screenshot).
 *
 * Electron enters through `NativeDialogs` (main.ts passes `dialog` and `app.getPath('documents')`), so the
 * choices made here — which dialog, attached to which window, what a cancel answers — are unit-tested with
 * stand-ins.
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { ShellHandlers } from '../core/api/api-types.js';
import type { MethodInput } from '../core/api/contract.js';
import { chooseFolderDialogOptions, openFileDialogOptions, saveFileDialogOptions } from './dialog-options.js';
import { openDocumentExternally, type ExternalOpening } from './open-external.js';

/** Electron's `dialog`, split by its two overloads (with and without a parent window), and the documents folder. */
export interface NativeDialogs<W> {
  open(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  openFor(parent: W, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  save(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  saveFor(parent: W, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  /** `app.getPath('documents')`: where save dialogs start. */
  documentsFolder(): string;
}

/** The part of BrowserWindow `window.capture` uses. */
export interface CapturableWindow {
  readonly webContents: { capturePage(): Promise<{ toPNG(): Uint8Array }> };
}

export interface ShellWindowAccess<W> {
  /** The window dialogs are attached to. */
  readonly parent: () => W | undefined;
  /** Opens (or focuses) the window showing this message. */
  readonly openMessage: (id: number) => void;
  /** Opens (or focuses) the window showing one document of a message (key `i<ordinal>` / `a<attachment id>`). */
  readonly openDocument: (id: number, documentKey: string) => void;
}

/** The key of a document in its window's address (the renderer's DocumentsPanel uses the same). */
export function documentKey(ref: MethodInput<'window.openDocument'>['document']): string {
  return ref.source === 'inline' ? `i${ref.ordinal}` : `a${ref.attachmentId}`;
}

export function createShellHandlers<W extends CapturableWindow>(windows: ShellWindowAccess<W>, dialogs: NativeDialogs<W>, external: ExternalOpening) {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = windows.parent();
    const result = win === undefined ? await dialogs.open(options) : await dialogs.openFor(win, options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    'dialog.openFile': async ({ kind }) => ({ path: await open(openFileDialogOptions(kind)) }),
    'dialog.saveFile': async ({ kind, suggestedName }) => {
      const documents = dialogs.documentsFolder();
      if (kind === 'folder') return { path: await open(chooseFolderDialogOptions(documents)) };
      const options = saveFileDialogOptions(kind, suggestedName, documents);
      const win = windows.parent();
      const result = win === undefined ? await dialogs.save(options) : await dialogs.saveFor(win, options);
      return { path: result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath };
    },
    'window.openMessage': async ({ id }) => {
      windows.openMessage(id);
      return { opened: true };
    },
    'window.openDocument': async ({ id, document }) => {
      windows.openDocument(id, documentKey(document));
      return { opened: true };
    },
    'document.openExternally': (input) => openDocumentExternally(input, external),
    'window.capture': async () => {
      // the window the caseworker works in: the rendered application for the acceptance record
      const win = windows.parent();
      if (win === undefined) return { png: '' };
      const image = await win.webContents.capturePage();
      return { png: Buffer.from(image.toPNG()).toString('base64') };
    },
  } satisfies ShellHandlers;
}
