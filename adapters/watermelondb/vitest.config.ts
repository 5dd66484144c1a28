import { defineConfig } from 'vitest/config';

// Its own config, so that vitest does not take syncsim's (the folder above) as this package's.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
