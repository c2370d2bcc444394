// Starts the service from its TypeScript sources (Vitest, tsx): registers tsx inside the worker thread, because
// Node 20 does not pass `--import` loaders on to worker threads. dist/ uses the compiled service-entry.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./service-entry.ts');
