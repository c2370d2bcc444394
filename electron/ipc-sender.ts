/**
 * Every IPC message is checked for who sent it: the top frame of a page served from our app:// origin. A frame
 * that navigated elsewhere (which the navigation policy already forbids), a subframe, or a destroyed frame is not
 * answered.
 */
import { isAppUrl } from './app-url.js';

/** The parts of Electron's WebFrameMain this check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  return frame.parent === null && isAppUrl(frame.url);
}
