/**
 * Handlers of `workspace.layout` / `workspace.setLayout`: the mailbox window's arrangement (width of the message
 * list, list density, day groups), kept in workspace.json beside the settings so that it survives a restart and is the same in
 * the desktop app and the browser mode. A convenience only: no IT layer locks it.
 */
import { DEFAULT_UI_LAYOUT, type UiLayout } from '../contract/workspace.js';
import type { WorkspaceFile } from '../../app/workspace-file.js';

export function layoutHandlers(file: WorkspaceFile) {
  const current = (): UiLayout => ({ ...DEFAULT_UI_LAYOUT, ...file.get().layout });
  return {
    'workspace.layout': () => current(),
    'workspace.setLayout': (patch: Partial<UiLayout>) => {
      const next = { ...current(), ...patch };
      file.update((data) => ({ ...data, layout: next }));
      return next;
    },
  };
}
