/**
 * Contract area "shell": what the host of the UI answers or emits itself (native dialogs, menu and tray commands).
 * No Node and no DOM (imported by the renderer and the preload).
 */
import { z } from 'zod';
import { shellEvent, shellMethod } from '../contract-kit.js';

export const fileKindSchema = z.lazy(() => z.enum(['p12', 'certificate', 'pdf', 'xml', 'csv', 'folder', 'backup']));

export const shellMethods = {
  /** Native "open" dialog (Electron): the chosen file's path, or null when cancelled. */
  'dialog.openFile': shellMethod(
    () => z.object({ kind: z.enum(['p12', 'certificate', 'backup', 'codelist']) }).strict(),
    () => z.object({ path: z.string().max(4096).nullable() }).strict(),
  ),
  /** Native "save" dialog (Electron): the chosen target path, or null when cancelled. */
  'dialog.saveFile': shellMethod(
    () => z.object({ kind: fileKindSchema, suggestedName: z.string().min(1).max(255) }).strict(),
    () => z.object({ path: z.string().max(4096).nullable() }).strict(),
  ),
  /**
   * Desktop app: a PNG (base64) of what the window that asked shows (webContents.capturePage) — the screenshot of the
   * rendered application for the acceptance record. The browser mode answers `shell-unavailable`.
   */
  'window.capture': shellMethod(
    () => z.object({}).strict(),
    () => z.object({ png: z.string().max(Math.ceil((8 * 1024 * 1024) / 3) * 4) }).strict(),
  ),
};

export const shellEvents = {
  /** A command from the application menu or the tray, for the UI to carry out. */
  'ui.command': shellEvent(() => z.object({ command: z.enum(['fetch', 'search', 'export', 'print', 'settings', 'about']) }).strict()),
};
