/**
 * A small seeded generator (mulberry32) for tests that pick among named crash points: the seed is printed by the
 * test and `POSTFACH_TEST_SEED=N` repeats a run exactly.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The run's seed: `POSTFACH_TEST_SEED` (to repeat a failure), else one drawn from the clock. */
export function testSeed(): number {
  const given = process.env.POSTFACH_TEST_SEED;
  if (given === undefined || given === '') return Date.now() % 1_000_000;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`POSTFACH_TEST_SEED must be a non-negative integer, not ${given}`);
  return seed;
}
