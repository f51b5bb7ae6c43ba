export { main } from './main.js';
export { createProgram } from './program.js';
export type { CliIo, GlobalOptions } from './runtime.js';
