import { defineConfig } from 'vitest/config';

// Each test file starts its own backend process: one file at a time on a small machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
