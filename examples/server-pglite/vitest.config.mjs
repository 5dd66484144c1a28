import { defineConfig } from 'vitest/config';

// Each test file starts its own backend process: one file at a time on a small machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    // large-10k-tasks makes 10,000 writes over real HTTP: minutes on a loaded 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
