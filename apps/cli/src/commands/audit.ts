import type { RouterOutputs } from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import { describeAnchorProblem } from '@consent-mailer/store';
import type { Command } from 'commander';
import { output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';

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

/** `audit verify` and `audit anchor`: the tamper-evident event log. */
export function registerAuditCommands(program: Command, io: CliIo): void {
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
}
