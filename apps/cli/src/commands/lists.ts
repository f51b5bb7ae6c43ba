import type { Command } from 'commander';
import { listIdFrom, senderEntityOrOnly } from '../defaults.js';
import { output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';

/** `list create | list | rename | archive | delete`: the mailing lists contacts are imported into. */
export function registerListCommands(program: Command, io: CliIo): void {
  const list = program.command('list').description('mailing lists: create, rename, archive and delete');
  list
    .command('create')
    .description('create a list (import contacts into it with "import --list <name>")')
    .argument('<name>', 'a unique name, e.g. Nieuwsbrief')
    .option('--description <text>', 'what the list is for')
    .option('--entity <id>', 'the sender entity the list belongs to (default: the only one, if any)')
    .action(async (name: string, o: { description?: string; entity?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const entities = o.entity === undefined ? await caller.entities.list() : [];
        const entity =
          o.entity !== undefined || entities.length > 1
            ? await senderEntityOrOnly(caller, o.entity)
            : entities[0]?.id;
        const row = await caller.settings.lists.create({
          name,
          ...(o.description === undefined ? {} : { description: o.description }),
          ...(entity === undefined ? {} : { senderEntityId: entity }),
        });
        output(io, opts, row, () => `Created list ${row.name} (id ${row.id}).`);
      });
    });
  list
    .command('list')
    .description('the lists with their member counts')
    .option('--archived', 'include archived lists')
    .action(async (o: { archived?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const rows = await caller.settings.lists.list({ includeArchived: o.archived === true });
        output(io, opts, rows, () =>
          rows.length === 0
            ? 'No lists yet: create one with "list create <name>".'
            : rows
                .map(
                  (row) =>
                    `${row.name}\t${row.memberCount} members\t${row.id}${row.archived_at ? '\t(archived)' : ''}`,
                )
                .join('\n'),
        );
      });
    });
  list
    .command('rename')
    .description('rename a list')
    .argument('<list>', 'name or id')
    .argument('<new-name>', 'the new name')
    .action(async (given: string, newName: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const id = (await listIdFrom(caller, given)) ?? given;
        const row = await caller.settings.lists.update({ id, name: newName });
        output(io, opts, row, () => `Renamed the list to ${row.name}.`);
      });
    });
  list
    .command('archive')
    .description('archive a list: it keeps its members and history but is no longer offered')
    .argument('<list>', 'name or id')
    .option('--undo', 'make an archived list active again')
    .action(async (given: string, o: { undo?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const id = (await listIdFrom(caller, given)) ?? given;
        const row = await caller.settings.lists.update({ id, archived: o.undo !== true });
        output(io, opts, row, () => `${o.undo === true ? 'Restored' : 'Archived'} the list ${row.name}.`);
      });
    });
  list
    .command('delete')
    .description('delete a list no mailing or import uses (one in use can only be archived)')
    .argument('<list>', 'name or id')
    .action(async (given: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const id = (await listIdFrom(caller, given)) ?? given;
        const result = await caller.settings.lists.delete({ id });
        output(io, opts, result, () => `Deleted the list ${given}.`);
      });
    });
}
