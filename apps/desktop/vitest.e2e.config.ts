import { defineConfig } from 'vitest/config';

// End-to-end: the browser host on a temp database driven by Debian's Chromium. One file at a time: two
// browsers at once on a 2-core machine only make each other slow.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The first page load builds the database and renders Mantine: give polled checks real time.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
