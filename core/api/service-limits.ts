/**
 * The background service's memory limit, the same for the worker thread (resourceLimits) and the Electron utility
 * process (--max-old-space-size): the V8 heap (old generation) in MB. Ample for every bounded piece of work
 * (exports of 50 MB applications stay near 300 MB), small enough that a runaway ends the service long before the
 * machine swaps; the supervisor then starts a new one.
 */
export const SERVICE_HEAP_LIMIT_MB = 1024;

/**
 * The young generation (V8's nursery, MB) of a service that only exports (`postfach export`). V8's default lets it
 * grow to about 48 MB, and a PDF export of a 50 MB application (pdf-lib parsing one evidence PDF after the other)
 * fills it: peak RSS 187–227 MiB. With 6 MB the same export peaks at 138–150 MiB (issue 14: ≤ 150 MB). Not for
 * services that fetch: there the warm decode costs 15–25 % more CPU with it, so the default stays for them (the
 * desktop's utility process and `postfach ui`/`serve`, which do both).
 */
export const EXPORT_SERVICE_YOUNG_GENERATION_MB = 6;
