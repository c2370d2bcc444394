import { pgListDeliveries, pgCountDeliveries, type Queryable } from '../core/store-pg/pg-queries.js';
const q = JSON.parse(process.argv[2] ?? '{}');
const spy = { query: (sql: string, params: unknown[]) => { console.log(JSON.stringify({ sql, params })); throw new Error('stop'); } } as unknown as Queryable;
await (q.counts ? pgCountDeliveries(spy) : pgListDeliveries(spy, q)).catch(() => undefined);
