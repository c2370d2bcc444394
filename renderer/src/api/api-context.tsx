import { createContext, useContext, type ReactNode } from 'react';
import type { PostfachApi } from '../../../core/api/api-types.js';

const ApiContext = createContext<PostfachApi | null>(null);

export function ApiProvider({ api, children }: { api: PostfachApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The typed contract client; every screen talks to the program only through it. */
export function useApi(): PostfachApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi outside ApiProvider');
  return api;
}
