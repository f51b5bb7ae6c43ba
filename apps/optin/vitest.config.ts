import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One database server and one browser at a time on a 2-core machine.
    fileParallelism: false,
    // Every test and hook fails fast instead of hanging (the package script passes the same values).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
