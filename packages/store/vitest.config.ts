import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real database files on a shared 2-core machine: generous timeouts, no timing assertions in tests.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
