import type { Command } from 'commander';
import { output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';

/** `entity add | list`: the sender entities, the legal identity in every message. */
export function registerEntityCommands(program: Command, io: CliIo): void {
  const entity = program
    .command('entity')
    .description('sender entities: the legal identity in every message');
  entity
    .command('add')
    .description('add a sender entity')
    .requiredOption('--legal-name <name>', 'registered legal name, e.g. "Bakkerij de Vries B.V."')
    .option('--trade-name <name>', 'trade name shown in From')
    .requiredOption('--address <postal address>', 'postal address for the footer')
    .requiredOption('--email <address>', 'contact e-mail (also the mailto unsubscribe address)')
    .requiredOption('--kvk <number>', 'KvK (Chamber of Commerce) number, 8 digits')
    .option('--vat <number>', 'VAT number, e.g. NL001234567B01')
    .option('--website <url>', 'website')
    .option(
      '--unsubscribe-url <https url>',
      'your own unsubscribe page: enables one-click unsubscribe (RFC 8058)',
    )
    .option('--id <id>', 'id to refer to it (default: from the name)')
    .action(
      async (
        cmdOpts: {
          legalName: string;
          tradeName?: string;
          address: string;
          email: string;
          kvk: string;
          vat?: string;
          website?: string;
          unsubscribeUrl?: string;
          id?: string;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withCaller(opts, io, async (caller) => {
          const row = await caller.entities.add({
            legalName: cmdOpts.legalName,
            postalAddress: cmdOpts.address,
            contactEmail: cmdOpts.email,
            kvkNumber: cmdOpts.kvk,
            ...(cmdOpts.tradeName ? { tradeName: cmdOpts.tradeName } : {}),
            ...(cmdOpts.vat ? { vatNumber: cmdOpts.vat } : {}),
            ...(cmdOpts.website ? { website: cmdOpts.website } : {}),
            ...(cmdOpts.unsubscribeUrl ? { unsubscribeUrl: cmdOpts.unsubscribeUrl } : {}),
            ...(cmdOpts.id ? { id: cmdOpts.id } : {}),
          });
          output(io, opts, row, () => `Added sender entity ${row.id}: ${row.legalName}`);
        });
      },
    );
  entity
    .command('list')
    .description('list sender entities')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const rows = await caller.entities.list();
        output(io, opts, rows, () =>
          rows.length === 0
            ? 'No sender entities yet: add one with "entity add".'
            : rows
                .map((r) => `${r.id}\t${r.legalName}\tKvK ${r.kvkNumber ?? '-'}\t${r.contactEmail ?? '-'}`)
                .join('\n'),
        );
      });
    });
}
