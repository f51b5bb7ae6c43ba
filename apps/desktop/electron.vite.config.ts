import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Workspace packages point at TypeScript source and trpc-electron ships ESM the main process must bundle:
// electron-vite would otherwise leave every `dependencies` entry as a runtime require.
const BUNDLED = [
  '@consent-mailer/api',
  '@consent-mailer/store',
  '@consent-mailer/policy',
  '@consent-mailer/importer',
  '@consent-mailer/mailer',
  '@consent-mailer/intake',
  'trpc-electron',
];

export default defineConfig({
  main: {
    build: {
      // better-sqlite3 stays external: it is a native addon, loaded from node_modules (or nativeBinding).
      externalizeDeps: { exclude: BUNDLED },
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): everything else must be inside the one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    // Relative asset URLs work both under app://bundle/ and the browser host's http://127.0.0.1:port/.
    base: './',
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
