import { defineConfig } from 'vitest/config';

// Tests live beside the code they prove: src/**/foo.test.ts next to src/**/foo.ts.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
