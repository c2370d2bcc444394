// Starts tests/helpers/invalid-answer-service-entry.ts in a worker thread from its TypeScript source (Node 20 does
// not pass --import loaders on to workers), as core/api/service-entry-from-source.mjs does for the product's entry.
import { register } from 'tsx/esm/api';

register();
await import('./invalid-answer-service-entry.ts');
