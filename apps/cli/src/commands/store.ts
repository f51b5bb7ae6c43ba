import { createInterface } from 'node:readline/promises';
import { CLASSIFICATIONS, CONSENT_METHODS, RECIPIENT_KINDS, UserError } from '@consent-mailer/policy';
import type { RouterOutputs } from '@consent-mailer/api';
import { describeAnchorProblem } from '@consent-mailer/store';
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

/** The UserError for a failed `audit verify`: what was altered, in words a user can act on. */
function auditFailure(result: Extract<RouterOutputs['audit']['verify'], { ok: false }>): UserError {
  const event = result.brokenEvent;
  const what = event
    ? `${event.type} on ${event.entity}${event.entityId ? ` ${event.entityId}` : ''} at ${event.at}`
    : 'missing';
  const advice = {
    en: 'Restore a backup from before the change and keep this file as evidence.',
    nl: 'Zet een back-up van vóór de wijziging terug en bewaar dit bestand als bewijs.',
  };
  if (result.reason.startsWith('ROW_')) {
    const row = `${result.table ?? '?'} row ${result.rowKey ?? ''}`.trim();
    const how: Record<string, { en: string; nl: string }> = {
      ROW_CHANGED: { en: 'was changed outside Consent Mailer', nl: 'is buiten Consent Mailer gewijzigd' },
      ROW_ADDED: { en: 'was added outside Consent Mailer', nl: 'is buiten Consent Mailer toegevoegd' },
      ROW_REMOVED: { en: 'was deleted outside Consent Mailer', nl: 'is buiten Consent Mailer verwijderd' },
      ROW_SEAL_ALTERED: {
        en: 'has row digests in the event log that were altered',
        nl: 'heeft rij-samenvattingen in het logboek die zijn gewijzigd',
      },
    };
    const text = how[result.reason] ?? how.ROW_CHANGED ?? { en: '', nl: '' };
    return new UserError('AUDIT_ROW_UNACCOUNTED', {
      en: `The database does not match its event log: ${row} ${text.en} (last recorded by event ${result.brokenAt}: ${what}). ${advice.en}`,
      nl: `De database klopt niet met het logboek: ${row} ${text.nl} (laatst vastgelegd door gebeurtenis ${result.brokenAt}: ${what}). ${advice.nl}`,
    });
  }
  if (result.reason === 'TRIGGER_MISSING') {
    return new UserError('AUDIT_TRIGGER_MISSING', {
      en: `The trigger ${result.expected} that keeps the event log append-only was dropped: the file was edited outside Consent Mailer. ${advice.en}`,
      nl: `De trigger ${result.expected} die het logboek onveranderbaar houdt is verwijderd: het bestand is buiten Consent Mailer bewerkt. ${advice.nl}`,
    });
  }
  if (result.reason === 'EXPECTED_HEAD_MISSING') {
    return new UserError('AUDIT_EXPECTED_HEAD_MISSING', {
      en: `The event log does not contain the expected head (event ${result.brokenAt} with hash ${result.expected}); found ${result.found}. Events were deleted or rewritten since that head was handed out. ${advice.en}`,
      nl: `Het logboek bevat de verwachte kop niet (gebeurtenis ${result.brokenAt} met hash ${result.expected}); gevonden: ${result.found}. Sinds die kop werd afgegeven zijn gebeurtenissen verwijderd of herschreven. ${advice.nl}`,
    });
  }
  if (result.reason === 'ANCHOR_INVALID') {
    const problem = result.anchor.status === 'INVALID' ? result.anchor.problem : 'UNREADABLE';
    const seq = result.anchor.status === 'INVALID' ? result.anchor.seq : null;
    const what = describeAnchorProblem(problem, seq === null ? null : { seq });
    return new UserError('AUDIT_ANCHOR_INVALID', {
      en: `The signed anchor beside the database ${what.en} (${problem}; ${result.found}). ${advice.en}`,
      nl: `Het ondertekende anker naast de database ${what.nl} (${problem}; ${result.found}). ${advice.nl}`,
    });
  }
  return new UserError('AUDIT_CHAIN_BROKEN', {
    en: `The event log has been altered: event ${result.brokenAt} (${what}) fails verification (${result.reason}; expected ${result.expected}, found ${result.found}). ${result.events} events before it verify. ${advice.en}`,
    nl: `Het gebeurtenissenlogboek is gewijzigd: gebeurtenis ${result.brokenAt} (${what}) faalt de controle (${result.reason}; verwacht ${result.expected}, gevonden ${result.found}). De ${result.events} gebeurtenissen ervoor kloppen. ${advice.nl}`,
  });
}

/** `audit verify`, `audit anchor`, `contacts list`, `contact add`, `contact correct`, `contact show` and `contact erase`. */
export function registerStoreCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('check the tamper-evident event log');
  audit
    .command('verify')
    .description(
      'walk the event chain, recompute the rows against it, check the triggers and the signed anchor, and name the first thing altered (exit code 1 when broken)',
    )
    .option(
      '--expect <seq:hash>',
      'a head printed earlier by "audit anchor": the chain must still contain it',
    )
    .action(async (options: { expect?: string }, cmd: Command) => {
      // A tampered file must still open here: finding the tampering is the point.
      const opts = { ...cmd.optsWithGlobals<GlobalOptions>(), openDamaged: true };
      await withCaller(opts, io, async (caller) => {
        const result = await caller.audit.verify(
          options.expect === undefined ? {} : { expect: options.expect },
        );
        if (result.integrity.length > 0) {
          throw new UserError('AUDIT_FILE_DAMAGED', {
            en: `The database file is damaged (${result.integrity.join('; ')}). Restore a backup ("consent-mailer restore <file>") and keep this file for inspection.`,
            nl: `Het databasebestand is beschadigd (${result.integrity.join('; ')}). Zet een back-up terug ("consent-mailer restore <bestand>") en bewaar dit bestand voor onderzoek.`,
          });
        }
        if (result.ok) {
          output(io, opts, result, () => {
            const lines = [
              `Event chain verified: ${result.events} events, head ${result.headHash}`,
              `Rows checked against the chain: ${result.rows ?? 0}; append-only triggers present.`,
              'Integrity check (full): ok',
            ];
            if (options.expect !== undefined)
              lines.push(`The chain contains the expected head ${options.expect}.`);
            lines.push(
              result.anchor.status === 'OK'
                ? `Anchor beside the file: event ${result.anchor.seq}, ${result.anchor.signed ? `signed by ${result.anchor.keyFingerprint ?? '?'}` : 'unsigned (no installation key at hand)'}.`
                : 'No anchor beside the file.',
            );
            return lines.join('\n');
          });
          return;
        }
        throw auditFailure(result);
      });
    });

  audit
    .command('anchor')
    .description('print the signed head of the event chain, to hand to an accountant')
    .option(
      '--adopt',
      "sign the current head with this installation's key when the anchor is unsigned or missing (a database used before the key existed, or copied without its anchor file); recorded in the event log",
    )
    .action(async (options: { adopt?: boolean }, cmd: Command) => {
      // Adopting opens a file whose anchor does not hold: that is what it repairs.
      const opts = {
        ...cmd.optsWithGlobals<GlobalOptions>(),
        ...(options.adopt === true ? { openDamaged: true } : {}),
      };
      await withCaller(opts, io, async (caller) => {
        const anchor = await caller.audit.anchor(options.adopt === true ? { adopt: true } : undefined);
        output(io, opts, anchor, () =>
          [
            `Chain head: event ${anchor.seq}`,
            `Hash:       ${anchor.hash}`,
            `At:         ${anchor.at}`,
            `Key:        ${anchor.keyFingerprint ?? '(unsigned: no installation key; set CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY)'}`,
            `Signature:  ${anchor.signature ?? '(none)'}`,
            '',
            'Keep this with your records or give it to your accountant. Later, check that the database still',
            `contains this head with: consent-mailer audit verify --expect ${anchor.seq}:${anchor.hash}`,
          ].join('\n'),
        );
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

  const contact = program.command('contact').description('one contact: add, correct, show or erase');
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
    .description('correct what was typed wrong in a phone or paper consent (date, caller, scan, script)')
    .argument('<email>')
    .requiredOption('--entity <id>', 'the sender entity of the consent')
    .option('--date <yyyy-mm-dd>', 'the right day of the call or the form')
    .option('--staff <name>', 'who really called or served them')
    .option('--scan <reference>', 'the right reference of the scanned form')
    .option('--recording <reference>', 'the right reference of the call recording')
    .option('--script <id>', 'the consent text really read or signed')
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
        },
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
