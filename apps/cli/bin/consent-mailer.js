#!/usr/bin/env node
// Runs the bundle `pnpm run build` makes (scripts/build.mjs): no TypeScript compiler at run time.
import { existsSync } from 'node:fs';

// `pnpm cli …` runs in the workspace root; relative paths on the command line mean the caller's folder.
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

const bundle = new URL('../dist/main.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('error [NOT_BUILT]: the CLI is not built yet. Run "pnpm run build" first.\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv);
