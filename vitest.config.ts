import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Simulator sweeps are CPU-bound and integration tests start real servers: one worker
    // per core, separate processes.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
