/**
 * The statements one list call runs on a store's database, with the parameters each ran with: `prepare` is wrapped
 * for the call's duration, so a test can read the query plans of exactly what the store asked.
 */
import type { Db } from '../../core/store/database.js';
import { listDeliveries } from '../../core/store/delivery-queries.js';
import type { ListQuery } from '../../core/store/records.js';

export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

export function recordListStatements(db: Db, query: ListQuery): RecordedStatement[] {
  const seen: RecordedStatement[] = [];
  const prepare = db.prepare.bind(db);
  const spy = (sql: string): ReturnType<Db['prepare']> => {
    const statement = prepare(sql);
    return new Proxy(statement, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if ((name === 'all' || name === 'get') && typeof value === 'function') {
          return (...params: unknown[]) => {
            seen.push({ sql, params });
            return (value as (...p: unknown[]) => unknown).apply(target, params);
          };
        }
        return value;
      },
    });
  };
  (db as unknown as { prepare: typeof spy }).prepare = spy;
  try {
    listDeliveries(db, query);
  } finally {
    (db as unknown as { prepare: typeof prepare }).prepare = prepare;
  }
  return seen;
}
