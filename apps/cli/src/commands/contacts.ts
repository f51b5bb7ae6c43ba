import { createInterface } from 'node:readline/promises';
import { CLASSIFICATIONS, CONSENT_METHODS, RECIPIENT_KINDS, UserError } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import { output, withCaller, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';
import { say } from '../command-kit.js';

/** Asks the user to type the address again; false when there is no terminal to ask on. */
async function confirmByRetyping(io: CliIo, email: string, lang: Lang): Promise<boolean> {
  const input = io.stdin ?? (io.stdout === process.stdout ? process.stdin : undefined);
  if (input === undefined) return false;
  const prompt = say(lang, {
    nl: `Dit wist ${email} en al zijn persoonsgegevens definitief. Typ het adres nogmaals om te bevestigen: `,
    en: `This permanently erases ${email} and all its personal data. Type the address again to confirm: `,
  });
  const rl = createInterface({ input, output: io.stderr, terminal: false });
  try {
    const answer = await rl.question(prompt);
    return answer.trim().toLowerCase() === email.trim().toLowerCase();
  } finally {
    rl.close();
  }
}

interface ContactAddOptions {
  method: 'PHONE' | 'PAPER' | 'COUNTER';
  date: string;
  entity: string;
  script: string;
  staff?: string;
  scan?: string;
  recording?: string;
  firstName?: string;
  lastName?: string;
  organisation?: string;
  kind: (typeof RECIPIENT_KINDS)[number];
  list: string[];
}

interface ContactsListOptions extends GlobalOptions {
  class?: string;
  method?: string;
  list?: string;
  search?: string;
  limit?: string;
  after?: string;
}

/** `contacts list`, `contact add`, `contact correct`, `contact fix-domain`, `contact show` and `contact erase`. */
export function registerContactCommands(program: Command, io: CliIo): void {
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
        // Contacts imported since the last search are indexed first, so the search is an index lookup.
        if (opts.search !== undefined) await caller.contacts.indexForSearch();
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

  const contact = program
    .command('contact')
    .description('one contact: add, correct, fix a mistyped domain, show or erase');
  contact
    .command('add')
    .description(
      'add one contact (or extend the one with this address) who consented by phone, on a paper form or at the counter',
    )
    .argument('<email>')
    .addOption(
      new Option(
        '--method <method>',
        'how they consented: PHONE (a call), PAPER (a form) or COUNTER (in person)',
      )
        .choices(['PHONE', 'PAPER', 'COUNTER'])
        .makeOptionMandatory(),
    )
    .requiredOption('--date <yyyy-mm-dd>', 'the day of the call, the form or the visit')
    .requiredOption('--entity <id>', 'the sender entity the consent is for (see "entity list")')
    .requiredOption(
      '--script <id>',
      'the phone script or form text read or signed (a consent text id from "consent-text list")',
    )
    .option('--staff <name>', 'who called or served them (PHONE and COUNTER)')
    .option('--scan <reference>', 'the reference of the scanned form (PAPER and COUNTER)')
    .option('--recording <reference>', 'the reference of the call recording (PHONE, optional)')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .option('--organisation <name>')
    .addOption(
      new Option('--kind <kind>', 'who the person is').choices([...RECIPIENT_KINDS]).default('CONSUMER'),
    )
    .option(
      '--list <name>',
      'a list they asked for (repeatable; default: all marketing of the entity)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (email: string, options: ContactAddOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang = opts.lang ?? 'en';
      await withCaller(opts, io, async (caller) => {
        const lists = await caller.settings.lists.list();
        const listIds = options.list.map((wanted) => {
          const found = lists.find((list) => list.id === wanted || list.name === wanted);
          if (found === undefined) {
            throw new UserError('LIST_NOT_FOUND', {
              en: `There is no list "${wanted}". See the lists with "list list", or create it with "list create".`,
              nl: `Er is geen lijst "${wanted}". Bekijk de lijsten met "list list", of maak hem aan met "list create".`,
            });
          }
          return found.id;
        });
        const result = await caller.contacts.add({
          email,
          way: options.method,
          date: options.date,
          senderEntityId: options.entity,
          consentTextVersionId: options.script,
          recipientKind: options.kind,
          listIds,
          ...(options.staff === undefined ? {} : { staffMember: options.staff }),
          ...(options.scan === undefined ? {} : { scanRef: options.scan }),
          ...(options.recording === undefined ? {} : { recordingRef: options.recording }),
          ...(options.firstName === undefined ? {} : { firstName: options.firstName }),
          ...(options.lastName === undefined ? {} : { lastName: options.lastName }),
          ...(options.organisation === undefined ? {} : { organisation: options.organisation }),
        });
        output(io, opts, result, () =>
          say(lang, {
            nl: `${result.created ? 'Toegevoegd' : 'Bijgewerkt'}: ${result.email}. Klasse voor een nieuwsbrief: ${result.classification ?? '-'} (${result.reasons.join(', ')}).`,
            en: `${result.created ? 'Added' : 'Updated'} ${result.email}. Class for a newsletter: ${result.classification ?? '-'} (${result.reasons.join(', ')}).`,
          }),
        );
      });
    });
  contact
    .command('correct')
    .description(
      "correct what was typed wrong in a phone or paper consent (date, caller, scan, script) or in an existing customer's (order, payment, last purchase, categories, opt-out)",
    )
    .argument('<email>')
    .requiredOption('--entity <id>', 'the sender entity of the consent')
    .option('--date <yyyy-mm-dd>', 'the right day of the call or the form')
    .option('--staff <name>', 'who really called or served them')
    .option('--scan <reference>', 'the right reference of the scanned form')
    .option('--recording <reference>', 'the right reference of the call recording')
    .option('--script <id>', 'the consent text really read or signed')
    .option('--order <reference>', 'customer: the right order number')
    .addOption(new Option('--paid', 'customer: the order was paid').conflicts('notPaid'))
    .option('--not-paid', 'customer: the order was not paid (free only)')
    .option('--order-date <yyyy-mm-dd>', 'customer: the right day of the order')
    .option('--last-purchase <yyyy-mm-dd>', 'customer: the right day of the last purchase')
    .option('--categories <list>', 'customer: the product categories bought, comma-separated')
    .addOption(
      new Option(
        '--clear-categories',
        'customer: remove the stored product categories (not known what they bought)',
      ).conflicts('categories'),
    )
    .addOption(
      new Option(
        '--opt-out <offered>',
        'customer: whether a way to refuse mail was offered at checkout',
      ).choices(['yes', 'no', 'terms-only', 'unknown']),
    )
    .option(
      '--opt-out-text <id>',
      'customer: the checkout text that offered it (consent-text add --kind COLLECTION)',
    )
    .action(
      async (
        email: string,
        options: {
          entity: string;
          date?: string;
          staff?: string;
          scan?: string;
          recording?: string;
          script?: string;
        } & CustomerCorrectionOptions,
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const lang = opts.lang ?? 'en';
        await withCaller(opts, io, async (caller) => {
          const result = await caller.contacts.correctEvidence({
            email,
            senderEntityId: options.entity,
            ...(options.date === undefined ? {} : { date: options.date }),
            ...(options.staff === undefined ? {} : { staffMember: options.staff }),
            ...(options.scan === undefined ? {} : { scanRef: options.scan }),
            ...(options.recording === undefined ? {} : { recordingRef: options.recording }),
            ...(options.script === undefined ? {} : { consentTextVersionId: options.script }),
            ...customerCorrection(options),
          });
          output(io, opts, result, () =>
            result.corrected.length === 0
              ? say(lang, {
                  nl: `Niets gewijzigd voor ${result.email}: het bewijs was al zo.`,
                  en: `Nothing changed for ${result.email}: the evidence already read so.`,
                })
              : say(lang, {
                  nl: `Gecorrigeerd voor ${result.email}: ${result.corrected.join(', ')}. Klasse voor een nieuwsbrief: ${result.classification ?? '-'}.`,
                  en: `Corrected for ${result.email}: ${result.corrected.join(', ')}. Class for a newsletter: ${result.classification ?? '-'}.`,
                }),
          );
        });
      },
    );

  contact
    .command('fix-domain')
    .description(
      'fix a mistyped domain (jan@gmial.com -> jan@gmail.com), as the import suggests; only the part after the @ may change',
    )
    .argument('<email>', 'the address as stored')
    .argument('<corrected>', 'the same address at the right domain')
    .action(async (email: string, corrected: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang = opts.lang ?? 'en';
      await withCaller(opts, io, async (caller) => {
        const result = await caller.contacts.correctDomain({ email, corrected });
        output(io, opts, result, () =>
          say(lang, {
            nl: `${result.from} is nu ${result.to}; de toestemming blijft bij de persoon.${result.bouncesCleared > 0 ? ' De bounce van het verkeerde adres telt niet meer.' : ''}`,
            en: `${result.from} is now ${result.to}; the consent stays with the person.${result.bouncesCleared > 0 ? ' The bounce of the mistyped address no longer counts.' : ''}`,
          }),
        );
      });
    });

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
            result.receipt[lang],
          ]
            .filter((line) => line !== '')
            .join('\n'),
        );
      });
    });
}

/** The options of `contact correct` for an existing customer's evidence. */
interface CustomerCorrectionOptions {
  order?: string;
  paid?: boolean;
  notPaid?: boolean;
  orderDate?: string;
  lastPurchase?: string;
  categories?: string;
  clearCategories?: boolean;
  optOut?: 'yes' | 'no' | 'terms-only' | 'unknown';
  optOutText?: string;
}

/** The customer evidence `contact correct` was given, in the api's names; nothing when none was. */
function customerCorrection(options: CustomerCorrectionOptions) {
  const customer = {
    ...(options.order === undefined ? {} : { orderRef: options.order }),
    ...(options.paid ? { orderPaid: true } : options.notPaid ? { orderPaid: false } : {}),
    ...(options.orderDate === undefined ? {} : { orderDate: options.orderDate }),
    ...(options.lastPurchase === undefined ? {} : { lastPurchaseDate: options.lastPurchase }),
    ...(options.clearCategories ? { productCategories: null } : {}),
    ...(options.categories === undefined
      ? {}
      : {
          productCategories: options.categories
            .split(',')
            .map((category) => category.trim())
            .filter((category) => category.length > 0),
        }),
    ...(options.optOut === undefined
      ? {}
      : {
          optOutOffered: options.optOut.toUpperCase().replace('-', '_') as
            'YES' | 'NO' | 'TERMS_ONLY' | 'UNKNOWN',
        }),
    ...(options.optOutText === undefined ? {} : { optOutTextVersionId: options.optOutText }),
  };
  return Object.keys(customer).length === 0 ? {} : { customer };
}
