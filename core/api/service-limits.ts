/**
 * The background service's memory limit, the same for the worker thread (resourceLimits) and the Electron utility
 * process (--max-old-space-size): the V8 heap (old generation) in MB. Ample for every bounded piece of work
 * (exports of 50 MB applications stay near 300 MB), small enough that a runaway ends the service long before the
 * machine swaps; the supervisor then starts a new one.
 */
export const SERVICE_HEAP_LIMIT_MB = 1024;
