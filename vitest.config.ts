import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) is itself a race on a loaded two-core CI machine: a poll waits for rendered
    // or written state and gives up only when it never comes
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default'],
  },
});
