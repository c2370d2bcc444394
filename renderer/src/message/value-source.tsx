/**
 * Where the values of the open message come from in full: the detail brings long values shortened (`fullLength`),
 * and `messages.value` gives one value whole — for "Ganzen Wert anzeigen", the copy buttons and "Block kopieren".
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { PostfachApi } from '../../../core/api/api-types.js';
import { useApi } from '../api/api-context.js';
import type { Card, DisplayValue } from './types.js';

export interface ValueSource {
  /** The whole value: as it is where it was not shortened, else fetched by where it is shown and its id. */
  full(value: DisplayValue, where: 'card' | 'tree', valueId: string): Promise<DisplayValue>;
  /** A card with every shortened value fetched whole ("Block kopieren"). */
  fullCard(card: Card): Promise<Card>;
}

const ValueSourceContext = createContext<ValueSource | null>(null);

/** The values of message `messageId` through the contract. */
export function valueSource(api: PostfachApi, messageId: number): ValueSource {
  const full = async (value: DisplayValue, where: 'card' | 'tree', valueId: string): Promise<DisplayValue> =>
    value.fullLength === undefined ? value : api.call('messages.value', { id: messageId, where, valueId });
  return {
    full,
    fullCard: async (card) => ({
      ...card,
      sections: await Promise.all(
        card.sections.map(async (s) => ({ ...s, fields: await Promise.all(s.fields.map(async (f) => ({ ...f, value: await full(f.value, 'card', f.id) }))) })),
      ),
    }),
  };
}

export function ValueSourceProvider({ messageId, children }: { messageId: number; children: ReactNode }) {
  const api = useApi();
  const source = useMemo(() => valueSource(api, messageId), [api, messageId]);
  return <ValueSourceContext.Provider value={source}>{children}</ValueSourceContext.Provider>;
}

/** The open message's value source; outside a message (a card preview) values are taken as they are. */
export function useValueSource(): ValueSource {
  return (
    useContext(ValueSourceContext) ?? {
      full: (value) => Promise.resolve(value),
      fullCard: (card) => Promise.resolve(card),
    }
  );
}
