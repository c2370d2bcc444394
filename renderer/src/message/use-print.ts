/**
 * Printing a message: the print layer (PrintView) is rendered first, then the system's print dialog opens in the
 * next frame, and the service records the print in the audit log.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';

export interface Printing {
  /** The print layer is to be rendered (until the dialog was opened). */
  readonly printing: boolean;
  readonly print: () => void;
}

export function usePrint(messageId: number | undefined): Printing {
  const api = useApi();
  const t = useT();
  const { announce, reportError } = useStatus();
  const [printing, setPrinting] = useState(false);

  useEffect(() => {
    if (!printing || messageId === undefined) return;
    const frame = requestAnimationFrame(() => {
      window.print();
      setPrinting(false);
      api.call('messages.recordPrinted', { id: messageId }).then(() => announce(t.message.printed), reportError);
    });
    return () => cancelAnimationFrame(frame);
  }, [printing, messageId, api, announce, reportError, t]);

  const print = useCallback(() => setPrinting(true), []);
  return { printing, print };
}
