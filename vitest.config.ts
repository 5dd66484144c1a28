import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // The CLI tests run the built CLI (bin/syncsim.js prefers dist/): build it first.
    globalSetup: ['test/support/build-package.ts'],
    testTimeout: 60_000,
  },
});
