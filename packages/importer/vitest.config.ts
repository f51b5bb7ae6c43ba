import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The corpus has a 10 MB line and the CI machine has 2 shared cores: allow for a slow moment.
    testTimeout: 30_000,
  },
});
