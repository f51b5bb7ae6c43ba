#!/usr/bin/env node
// Runs the TypeScript entry through tsx, like the CLI: no build step between editing and starting.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
