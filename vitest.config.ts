import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testLanes } from './build/test-lanes.js';

// two lanes (build/test-lanes.ts): first the files that may share the machine, two at a time; then, one after the
// other with nothing beside them, the files that start browsers, Electron or PostgreSQL clusters, measure time or
// wait on timer windows
const lanes = testLanes(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) is itself a race on a loaded two-core CI machine: a poll waits for rendered
    // or written state and gives up only when it never comes
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'parallel', include: lanes.parallel, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'serial', include: lanes.serial, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
