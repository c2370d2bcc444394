/**
 * The one bound on scrypt work that a file's header may ask for: the store's key file (PATH.keys.json, password
 * wrapper) and the backup file header (core/backup/format.ts) both carry N, r and p, and whoever can write such a
 * file chooses how long and with how much memory the program derives a key before it can say "wrong password". A
 * crafted backup with N=2^14, r=8, p=640 made `backup verify` work for 52 s; p=10^6 for hours.
 *
 * Allowed: N a power of two ≥ 2; r, p ≥ 1; memory 128·r·(N + p) bytes ≤ 256 MiB (twice the default's 128 MiB);
 * work N·r·p ≤ 2^22 (four times the default N=2^17, r=8, p=1; measured on the shared 2-core build machine: 4.6 s
 * against 1.5 s for the default, where the crafted p=640 header would take about 85 s). Everything
 * this program writes uses the default, so a file beyond the bound was not written by it. `scryptCostProblem`
 * checks BEFORE any derivation starts; `scryptOptions` gives Node the matching `maxmem`.
 */

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About half a second and 128 MiB on a current PC (OWASP's recommendation). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;
export const MAX_SCRYPT_WORK = 4 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r * DEFAULT_SCRYPT.p;

/** Bytes scrypt allocates for these parameters (the V array and the p blocks of B). */
export function scryptMemoryBytes(params: ScryptParams): number {
  return 128 * params.r * (params.N + params.p);
}

/** Why these parameters are refused (technical, for IT), or undefined when they are within the bound. */
export function scryptCostProblem(params: Partial<Record<keyof ScryptParams, unknown>>): string | undefined {
  const { N, r, p } = params;
  if (![N, r, p].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1)) return 'scrypt N, r and p must be positive integers';
  const n = N as number;
  const cost = { N: n, r: r as number, p: p as number };
  if (n < 2 || n > 2 ** 30 || (n & (n - 1)) !== 0) return `scrypt N=${n} is not a power of two`;
  const memory = scryptMemoryBytes(cost);
  if (memory > MAX_SCRYPT_MEMORY_BYTES)
    return `scrypt N=${n}, r=${cost.r}, p=${cost.p} needs ${Math.round(memory / 2 ** 20)} MiB, at most ${MAX_SCRYPT_MEMORY_BYTES / 2 ** 20} MiB allowed`;
  const work = n * cost.r * cost.p;
  if (work > MAX_SCRYPT_WORK) return `scrypt N·r·p = ${work} exceeds the bound ${MAX_SCRYPT_WORK} (4 × the default)`;
  return undefined;
}

/** Options for node:crypto scrypt with a `maxmem` that fits exactly these (already bounded) parameters. */
export function scryptOptions(params: ScryptParams): { N: number; r: number; p: number; maxmem: number } {
  return { N: params.N, r: params.r, p: params.p, maxmem: scryptMemoryBytes(params) + 1024 * 1024 };
}
