import { defineConfig } from 'vitest/config';

// Unit and integration tests (Node only). Nothing here loads `electron`: its binary cannot run on the build
// machines, so the Electron-free parts of main live in src/shared and are tested there.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
  },
});
