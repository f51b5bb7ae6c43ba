#!/usr/bin/env node
// The CLI runs its TypeScript source through tsx, so the workspace packages need no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
