/**
 * The contract's shell methods as the desktop app answers them: native dialogs, attached to the window that asked,
 * a message opened in a window of its own (side-by-side work with the case system), and a picture of the window
 * (the acceptance record's screenshot).
 */
import { app, dialog, type BrowserWindow } from 'electron';
import type { ShellHandlers } from '../core/api/api-types.js';
import { chooseFolderDialogOptions, openFileDialogOptions, saveFileDialogOptions } from './dialog-options.js';

export interface ShellWindows {
  /** The window dialogs are attached to. */
  readonly parent: () => BrowserWindow | undefined;
  /** Opens (or focuses) the window showing this message. */
  readonly openMessage: (id: number) => void;
}

export function createShellHandlers(windows: ShellWindows) {
  const open = async (options: Electron.OpenDialogOptions): Promise<string | null> => {
    const win = windows.parent();
    const result = win === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(win, options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    'dialog.openFile': async ({ kind }) => ({ path: await open(openFileDialogOptions(kind)) }),
    'dialog.saveFile': async ({ kind, suggestedName }) => {
      const documents = app.getPath('documents');
      if (kind === 'folder') return { path: await open(chooseFolderDialogOptions(documents)) };
      const options = saveFileDialogOptions(kind, suggestedName, documents);
      const win = windows.parent();
      const result = win === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(win, options);
      return { path: result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath };
    },
    'window.openMessage': async ({ id }) => {
      windows.openMessage(id);
      return { opened: true };
    },
    'window.capture': async () => {
      // the window the caseworker works in: the rendered application for the acceptance record
      const win = windows.parent();
      if (win === undefined) return { png: '' };
      const image = await win.webContents.capturePage();
      return { png: image.toPNG().toString('base64') };
    },
  } satisfies ShellHandlers;
}
