import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests live beside the code they prove: src/**/foo.test.ts next to src/**/foo.ts.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test files wait on databases, browsers and sockets, so two files at once pay even on two
    // cores, where the default (one fewer than the cores) would run one at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
