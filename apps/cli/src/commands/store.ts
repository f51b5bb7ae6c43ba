import { createInterface } from 'node:readline/promises';
import { CLASSIFICATIONS, CONSENT_METHODS, UserError } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import { output, withCaller, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';

/** Asks the user to type the address again; false when there is no terminal to ask on. */
async function confirmByRetyping(io: CliIo, email: string, lang: Lang): Promise<boolean> {
  const input = io.stdin ?? (io.stdout === process.stdout ? process.stdin : undefined);
  if (input === undefined) return false;
  const prompt =
    lang === 'nl'
      ? `Dit wist ${email} en al zijn persoonsgegevens definitief. Typ het adres nogmaals om te bevestigen: `
      : `This permanently erases ${email} and all its personal data. Type the address again to confirm: `;
  const rl = createInterface({ input, output: io.stderr, terminal: false });
  try {
    const answer = await rl.question(prompt);
    return answer.trim().toLowerCase() === email.trim().toLowerCase();
  } finally {
    rl.close();
  }
}

interface ContactsListOptions extends GlobalOptions {
  class?: string;
  method?: string;
  list?: string;
  search?: string;
  limit?: string;
  after?: string;
}

/** `audit verify`, `contacts list`, `contact show` and `contact erase`. */
export function registerStoreCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('check the tamper-evident event log');
  audit
    .command('verify')
    .description('walk the event chain and name the first broken link (exit code 1 when broken)')
    .action(async (_options: unknown, cmd: Command) => {
      // A tampered file must still open here: finding the tampering is the point.
      const opts = { ...cmd.optsWithGlobals<GlobalOptions>(), openDamaged: true };
      await withCaller(opts, io, async (caller) => {
        const result = await caller.audit.verify();
        if (result.ok) {
          output(
            io,
            opts,
            result,
            () => `Event chain verified: ${result.events} events, head ${result.headHash}`,
          );
          return;
        }
        const event = result.brokenEvent;
        const what = event
          ? `${event.type} on ${event.entity}${event.entityId ? ` ${event.entityId}` : ''} at ${event.at}`
          : 'missing';
        throw new UserError('AUDIT_CHAIN_BROKEN', {
          en: `The event log has been altered: event ${result.brokenAt} (${what}) fails verification (${result.reason}; expected ${result.expected}, found ${result.found}). ${result.events} events before it verify. Restore a backup from before the change and keep this file as evidence.`,
          nl: `Het gebeurtenissenlogboek is gewijzigd: gebeurtenis ${result.brokenAt} (${what}) faalt de controle (${result.reason}; verwacht ${result.expected}, gevonden ${result.found}). De ${result.events} gebeurtenissen ervoor kloppen. Zet een back-up van vóór de wijziging terug en bewaar dit bestand als bewijs.`,
        });
      });
    });

  program
    .command('contacts')
    .description('list contacts, filtered')
    .command('list')
    .description('list contacts (50 per page; use --after with the printed cursor for the next page)')
    .addOption(
      new Option('--class <class>', 'class of the latest assessment').choices([
        ...CLASSIFICATIONS,
        'UNASSESSED',
      ]),
    )
    .addOption(new Option('--method <method>', 'consent method').choices([...CONSENT_METHODS]))
    .option('--list <id>', 'members of this list')
    .option('--search <text>', 'part of the address, name or organisation')
    .option('--limit <n>', 'contacts per page (1-1000)', '50')
    .option('--after <cursor>', 'the cursor printed under the previous page')
    .action(async (_options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ContactsListOptions>();
      await withCaller(opts, io, async (caller) => {
        const page = await caller.contacts.list({
          ...(opts.class === undefined
            ? {}
            : { classification: opts.class as (typeof CLASSIFICATIONS)[number] }),
          ...(opts.method === undefined ? {} : { method: opts.method as (typeof CONSENT_METHODS)[number] }),
          ...(opts.list === undefined ? {} : { listId: opts.list }),
          ...(opts.search === undefined ? {} : { search: opts.search }),
          limit: Number(opts.limit ?? '50'),
          ...(opts.after === undefined ? {} : { after: Number(opts.after) }),
        });
        output(io, opts, page, () => {
          const lines = page.items.map((item) =>
            [
              item.email.padEnd(36),
              [item.firstName, item.lastName].filter(Boolean).join(' ').padEnd(24),
              item.methods.join(',').padEnd(18),
              item.lastClassification ?? '-',
            ].join(' '),
          );
          if (lines.length === 0) lines.push('No contacts match.');
          if (page.nextCursor !== null) lines.push(`More: --after ${page.nextCursor}`);
          return lines.join('\n');
        });
      });
    });

  const contact = program.command('contact').description('one contact: show or erase');
  contact
    .command('show')
    .description('show a contact: consent evidence, suppressions, lists and event history')
    .argument('<email>')
    .action(async (email: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const detail = await caller.contacts.get({ email });
        output(io, opts, detail, () => {
          const lines = [
            `${detail.contact.email}  ${[detail.contact.first_name, detail.contact.last_name].filter(Boolean).join(' ')}`,
            `Kind: ${detail.contact.recipient_kind} / ${detail.contact.address_kind}   Last class: ${detail.contact.last_classification ?? '-'}`,
            `Lists: ${detail.lists.join(', ') || '-'}`,
            `Suppressed: ${detail.suppressions.map((entry) => `${entry.reason} (${entry.source}, ${entry.createdAt})`).join('; ') || 'no'}`,
          ];
          for (const record of detail.records) {
            lines.push(`Consent for ${record.senderEntityId}: ${record.method}`);
            for (const [key, value] of Object.entries(record)) {
              if (['email', 'recipientKind', 'addressKind', 'method', 'senderEntityId'].includes(key))
                continue;
              lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
            }
          }
          lines.push('History:');
          for (const entry of detail.history) lines.push(`  #${entry.seq} ${entry.at} ${entry.type}`);
          return lines.join('\n');
        });
      });
    });

  contact
    .command('erase')
    .description('erase a person (GDPR art. 17): only a suppression entry with the hash of the address stays')
    .argument('<email>')
    .option('--yes', 'do not ask for confirmation')
    .action(async (email: string, options: { yes?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang = opts.lang ?? 'en';
      if (options.yes !== true && !(await confirmByRetyping(io, email, lang))) {
        throw new UserError('ERASE_NOT_CONFIRMED', {
          en: `Nothing was erased: the erasure of ${email} was not confirmed. Type the address again when asked, or add --yes.`,
          nl: `Er is niets gewist: het wissen van ${email} is niet bevestigd. Typ het adres nogmaals als daarom wordt gevraagd, of voeg --yes toe.`,
        });
      }
      await withCaller(opts, io, async (caller) => {
        const result = await caller.contacts.erase({ email, source: 'CLI' });
        output(io, opts, result, () =>
          [
            result.erased
              ? `Erased ${email}. Kept: suppression entry ${result.addressHash} (never mailed again). ${result.eventPayloadsRemoved} personal event payloads removed; the event chain still verifies.`
              : `No contact had the address ${email}; it is now suppressed (hash ${result.addressHash}).`,
            ...result.rejectsRedacted.map((file) => `Removed ${file.rows} rows from ${file.path}.`),
            ...result.uploadsDeleted.map((path) => `Deleted the uploaded file ${path}.`),
            result.walCheckpoint.complete ? 'Write-ahead log cleared.' : '',
            ...result.warnings.map((warning) => `Warning: ${warning[lang]}`),
          ]
            .filter((line) => line !== '')
            .join('\n'),
        );
      });
    });
}
