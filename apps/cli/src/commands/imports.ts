import type { Command } from 'commander';
import type { CliIo } from '../runtime.js';

export function registerImportsCommands(_program: Command, _io: CliIo): void {
  // commands of this feature are registered here
}
