import { resolve } from 'node:path';
import type { Command } from 'commander';
import { output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';

interface StatusLike {
  path: string;
  schemaVersion: string | null;
  migrationsApplied: number;
  counts: { contacts: number; consents: number; mailings: number; events: number; suppressions: number };
  chain: { ok: boolean; events: number } & ({ ok: true } | { ok: false; brokenAt: number; reason: string });
}

function statusText(status: StatusLike): string {
  const chain = status.chain.ok
    ? `ok (${status.chain.events} events)`
    : `BROKEN at event ${'brokenAt' in status.chain ? status.chain.brokenAt : '?'} (${'reason' in status.chain ? status.chain.reason : ''})`;
  return [
    `Database:     ${status.path}`,
    `Schema:       ${status.schemaVersion ?? '(empty)'} (${status.migrationsApplied} migrations applied)`,
    `Contacts:     ${status.counts.contacts}`,
    `Consents:     ${status.counts.consents}`,
    `Mailings:     ${status.counts.mailings}`,
    `Suppressions: ${status.counts.suppressions}`,
    `Event chain:  ${chain}`,
  ].join('\n');
}

/** `init`, `status`, `backup` and `restore`: the database itself. */
export function registerSystemCommands(program: Command, io: CliIo): void {
  program
    .command('init')
    .description('create (or update) the database file and show its status')
    .action(async (_options: unknown, cmd: Command) => {
      const opts = { ...cmd.optsWithGlobals<GlobalOptions>(), createDatabase: true };
      await withCaller(opts, io, async (caller) => {
        const status = await caller.system.init();
        output(io, opts, status, () => `Database ready.\n${statusText(status)}`);
      });
    });

  program
    .command('status')
    .description('show the database: schema version, counts and whether the event chain verifies')
    .option('--open-damaged', 'show the status even when the integrity check or the event chain fails')
    .action(async (_options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const status = await caller.system.status();
        output(io, opts, status, () => statusText(status));
      });
    });

  program
    .command('backup')
    .description('copy the database to a file (safe while the app is running); the copy is checked')
    .option(
      '--out <file>',
      'the backup file (default: backups/consent-mailer-<time>.sqlite beside the database)',
    )
    .action(async (options: { out?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const info = await caller.system.backup(
          options.out === undefined ? {} : { path: resolve(options.out) },
        );
        output(
          io,
          opts,
          info,
          () =>
            `Backup written: ${info.path}\n${info.bytes} bytes, ${info.events} events, sha256 ${info.sha256}`,
        );
      });
    });

  program
    .command('restore')
    .description('replace the database with a checked backup (the current state is saved as a backup first)')
    .argument('<file>', 'the backup file')
    .action(async (file: string, _options: unknown, cmd: Command) => {
      // Restoring onto a new machine: the database need not exist yet.
      const opts = { ...cmd.optsWithGlobals<GlobalOptions>(), createDatabase: true };
      await withCaller(opts, io, async (caller) => {
        const result = await caller.system.restore({ path: resolve(file) });
        output(io, opts, result, () =>
          [
            `Restored from ${result.restored.path} (${result.restored.events} events, sha256 ${result.restored.sha256}).`,
            `The state before the restore was saved to ${result.safetyBackup.path}.`,
          ].join('\n'),
        );
      });
    });
}
