import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The simulator seed sweep is CPU-bound; keep one worker per core.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
