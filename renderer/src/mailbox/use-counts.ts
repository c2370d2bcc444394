/** The number of messages per view (the folder pane's counts), read at start and whenever asked. */
import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';

export type Counts = MethodOutput<'messages.counts'>;

export function useCounts(): { counts: Counts | undefined; refreshCounts: () => void } {
  const api = useApi();
  const [counts, setCounts] = useState<Counts | undefined>(undefined);
  const refreshCounts = useCallback(() => {
    api.call('messages.counts', {}).then(setCounts, () => undefined);
  }, [api]);
  useEffect(refreshCounts, [refreshCounts]);
  return { counts, refreshCounts };
}
