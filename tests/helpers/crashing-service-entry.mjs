// Starts tests/helpers/crashing-service-entry.ts in a worker thread from its TypeScript source (Node 20 does not
// pass --import loaders on to workers), as core/api/service-entry-from-source.mjs does for the product's entry.
import { register } from 'tsx/esm/api';

register();
await import('./crashing-service-entry.ts');
