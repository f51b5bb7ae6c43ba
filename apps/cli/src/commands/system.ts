import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RouterOutputs } from '@consent-mailer/api';
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

/** What a restore would lose and keep, for the terminal. */
function restorePreviewText(preview: RouterOutputs['system']['restorePreview']): string {
  const types = Object.entries(preview.eventsAfterBackup.byType)
    .map(([type, count]) => `${type} ×${count}`)
    .join(', ');
  return [
    `Restoring ${preview.backup.path} (event ${preview.backup.events}, ${preview.backup.headHash}) would replace the current head (event ${preview.currentHead?.seq ?? 0}${preview.currentHead ? `, ${preview.currentHead.hash}` : ''}).`,
    preview.backupIsAncestor
      ? ''
      : 'The backup is not an earlier state of this database: its history differs.',
    `Lost: ${preview.eventsAfterBackup.count} events after the backup${types ? ` (${types})` : ''}; ${preview.contactsDifference} contacts more than in the backup.`,
    `Kept: ${preview.suppressionsAfterBackup.length} opt-outs (suppressions) and ${preview.erasuresAfterBackup.length} erasures made since are carried forward.`,
    'Run again with --yes to restore.',
  ]
    .filter((line) => line !== '')
    .join('\n');
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
    .description(
      'replace the database with a checked backup (the current state is saved as a backup first; opt-outs and erasures made since are kept)',
    )
    .argument('<file>', 'the backup file')
    .option('--yes', 'restore without asking: without it, only show what the restore would lose')
    .action(async (file: string, options: { yes?: boolean }, cmd: Command) => {
      // Restoring onto a new machine: the database need not exist yet.
      const opts = { ...cmd.optsWithGlobals<GlobalOptions>(), createDatabase: true };
      await withCaller(opts, io, async (caller) => {
        if (options.yes !== true) {
          // Show what would be lost first; the api then refuses the unconfirmed restore with what to do.
          const preview = await caller.system.restorePreview({ path: resolve(file) });
          if (!opts.json) io.stderr.write(`${restorePreviewText(preview)}\n`);
          await caller.system.restore({ path: resolve(file), confirm: false });
          return;
        }
        const result = await caller.system.restore({ path: resolve(file), confirm: true });
        output(io, opts, result, () =>
          [
            `Restored from ${result.restored.path} (${result.restored.events} events, sha256 ${result.restored.sha256}).`,
            `Replaced head: ${result.restored.replacedHead === null ? '(empty log)' : `event ${result.restored.replacedHead.seq} ${result.restored.replacedHead.hash}`}.`,
            `Carried forward: ${result.restored.carriedSuppressions} opt-outs; ${result.restored.reErased} people erased again.`,
            `The state before the restore was saved to ${result.safetyBackup.path}.`,
          ].join('\n'),
        );
      });
    });
}
