import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Whole simulated runs of RxDB take seconds each on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: RxDB's process-wide state is what some tests are about.
    fileParallelism: false,
  },
});
