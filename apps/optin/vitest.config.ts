import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One database server and one browser at a time on a 2-core machine.
    fileParallelism: false,
  },
});
