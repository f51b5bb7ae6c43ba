import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RouterInputs, RouterOutputs } from '@consent-mailer/api';
import { CONSENT_METHODS, UserError, type ConsentMethod } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import {
  CliUsageError,
  output,
  withCaller,
  type Caller,
  type CliIo,
  type GlobalOptions,
  type Lang,
} from '../runtime.js';
import { say } from '../command-kit.js';
import { listIdFrom, senderEntityOrOnly } from '../defaults.js';

interface ImportOptions extends GlobalOptions {
  method?: ConsentMethod;
  entity?: string;
  list?: string;
  map: string[];
  evidence: string[];
  attest?: string;
  basis?: string;
  timeZone?: string;
  mapping?: string;
  saveMapping?: string;
  dryRun?: boolean;
  rowMethodFromEvidence?: boolean;
  encoding?: 'per-line' | 'utf-8' | 'windows-1252';
}

/** Field names are checked by the api's schema; the CLI passes what the user typed. */
type RunOverrides = NonNullable<RouterInputs['imports']['run']['overrides']>;
type ImportResult = NonNullable<RouterOutputs['imports']['progress']['result']>;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `HEADER=field` pairs; the last `=` splits, so a header may itself contain one. */
function parsePairs(pairs: string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new CliUsageError(`${option} expects NAME=VALUE, got "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** File-wide evidence from `--evidence field=value`: yes/no and lists converted, the api validates the rest. */
function parseEvidence(pairs: string[]): Record<string, unknown> {
  const evidence: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(parsePairs(pairs, '--evidence'))) {
    if (field === 'orderPaid') evidence[field] = /^(ja|yes|true|1)$/i.test(value);
    else if (field === 'purchaseCategories')
      evidence[field] = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    else evidence[field] = value;
  }
  return evidence;
}

/** One line that redraws itself: only on a terminal, never into a pipe or a log file. */
function progressBar(io: CliIo): {
  draw(done: number, total: number | undefined, phase: string | undefined): void;
  end(): void;
} {
  let drawn = false;
  return {
    draw(done, total, phase) {
      if (!io.stderr.isTTY) return;
      const width = 30;
      const share = total && total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(share * width);
      const label =
        phase === 'scanning' || phase === 'indexing'
          ? phase
          : `${done.toLocaleString('en-US')}${total ? `/${total.toLocaleString('en-US')}` : ''} rows`;
      io.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}% ${label}   `,
      );
      drawn = true;
    },
    end() {
      if (drawn) io.stderr.write('\n');
    },
  };
}

async function waitForJob(caller: Caller, io: CliIo, jobId: string) {
  const bar = progressBar(io);
  try {
    for (;;) {
      const job = await caller.imports.progress({ jobId });
      bar.draw(job.progress.done, job.progress.total, job.progress.phase);
      if (job.state !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    bar.end();
  }
}

function summaryText(result: ImportResult, lang: Lang): string {
  const delimiter = result.delimiter === '\t' ? 'tab' : (result.delimiter ?? '-');
  const encoding = result.encoding ?? '-';
  const title = result.dryRun
    ? say(lang, { nl: 'Proefimport (niets opgeslagen)', en: 'Dry run (nothing stored)' })
    : `Import ${result.batchId ?? ''}`;
  const lines = say(lang, {
    nl: [
      `${title}: ${result.fileName} (${result.format}, ${encoding}, scheidingsteken ${delimiter}, ${result.tool})`,
      `  rijen ${result.rows}, nieuw ${result.imported}, bijgewerkt ${result.updated}, dubbel ${result.duplicates}, geblokkeerd ${result.suppressed}, afgewezen ${result.rejected}`,
    ],
    en: [
      `${title}: ${result.fileName} (${result.format}, ${encoding}, delimiter ${delimiter}, ${result.tool})`,
      `  rows ${result.rows}, imported ${result.imported}, updated ${result.updated}, duplicates ${result.duplicates}, suppressed ${result.suppressed}, rejected ${result.rejected}`,
    ],
  });
  if (result.domainSuggestions > 0) {
    lines.push(
      say(lang, {
        nl: `  ${result.domainSuggestions} adressen lijken een typefout in het domein te hebben (niet aangepast):`,
        en: `  ${result.domainSuggestions} addresses look like a mistyped domain (not changed):`,
      }),
    );
    for (const sample of result.suggestionSamples) {
      lines.push(
        `    ${say(lang, { nl: 'rij', en: 'row' })} ${sample.rowNumber}: ${sample.email} -> ${sample.suggestion}?`,
      );
    }
    lines.push(
      say(lang, {
        nl: '  Verbeter er een als het dezelfde persoon is: contact fix-domain <adres> <verbeterd adres>',
        en: '  Fix one when it is the same person: contact fix-domain <address> <corrected address>',
      }),
    );
  }
  for (const missing of result.missingEvidence) lines.push(`  ! ${missing.text[lang]}`);
  if (result.rejectsPath && result.rejected > 0)
    lines.push(`  ${say(lang, { nl: 'afgewezen rijen', en: 'rejected rows' })}: ${result.rejectsPath}`);
  return lines.join('\n');
}

/** `import FILE`, and `imports list | show | rejects`. */
export function registerImportsCommands(program: Command, io: CliIo): void {
  program
    .command('import')
    .description(
      'import contacts from a CSV/TSV/TXT or XLSX file (Mailchimp, Laposta, MailerLite, listmonk exports included)',
    )
    .argument('<file>', 'the file to import')
    .addOption(
      new Option('--method <method>', 'how everyone in the file gave consent').choices(CONSENT_METHODS),
    )
    .option(
      '--entity <id>',
      'the sender entity (legal entity) the consent belongs to (default: the only one)',
    )
    .option(
      '--list <name or id>',
      'the list these contacts subscribed to (default: all marketing of the entity)',
    )
    .option(
      '--map <header=field>',
      'map a column to a field, e.g. "Mail=email" or "#3=ignore" (repeatable)',
      collect,
      [],
    )
    .option(
      '--evidence <field=value>',
      'evidence that holds for every row, e.g. consentTextVersionId=ctv-1 (repeatable)',
      collect,
      [],
    )
    .option(
      '--attest <name>',
      'sign the attestation for a file of unknown origin (IMPORTED_UNKNOWN) with your name',
    )
    .option('--basis <text>', 'the basis you claim in the attestation (with --attest)')
    .option(
      '--time-zone <zone>',
      'time zone of times written without one (default: UTC for tool exports, Europe/Amsterdam otherwise)',
    )
    .option('--mapping <name>', 'use a saved mapping')
    .option('--save-mapping <name>', 'save the mapping used under this name')
    .option('--dry-run', 'check the file and report what would happen, store nothing')
    .option(
      '--row-method-from-evidence',
      "take each row's method from its own evidence where the tool's profile proves it (a Mailchimp confirmation after the sign-up is WEB_DOI)",
    )
    .addOption(
      new Option('--encoding <encoding>', 'how to read a file whose rows mix UTF-8 and Windows-1252').choices(
        ['per-line', 'utf-8', 'windows-1252'],
      ),
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ImportOptions>();
      const lang = options.lang ?? 'en';
      if (options.attest !== undefined && !options.basis)
        throw new CliUsageError('--attest needs --basis "<the basis you claim>"');
      await withCaller(options, io, async (caller) => {
        const path = resolve(file);
        const overrides = parsePairs(options.map, '--map');
        const listId = await listIdFrom(caller, options.list);
        const started = await caller.imports.run({
          file: { path },
          senderEntityId: await senderEntityOrOnly(caller, options.entity),
          ...(listId ? { listId } : {}),
          ...(options.method ? { method: options.method } : {}),
          ...(options.map.length > 0 ? { overrides: overrides as RunOverrides } : {}),
          ...(options.evidence.length > 0 ? { evidence: parseEvidence(options.evidence) } : {}),
          ...(options.attest !== undefined
            ? {
                attestation: {
                  signerName: options.attest,
                  signedAt: io.clock().toISOString(),
                  claimedBasis: options.basis ?? '',
                },
              }
            : {}),
          ...(options.timeZone ? { timeZone: options.timeZone } : {}),
          ...(options.mapping ? { mappingName: options.mapping } : {}),
          ...(options.rowMethodFromEvidence ? { rowMethodFromEvidence: true } : {}),
          ...(options.encoding ? { encoding: options.encoding } : {}),
          dryRun: options.dryRun ?? false,
        });
        const job = await waitForJob(caller, io, started.jobId);
        if (job.state !== 'succeeded' || !job.result) {
          const error = job.error;
          if (error?.text) throw new UserError(error.code, error.text);
          throw new Error(error?.message ?? `the import ended ${job.state}`);
        }
        if (options.saveMapping) {
          const preview = await caller.imports.preview({
            file: { path },
            ...(options.map.length > 0 ? { overrides: overrides as RunOverrides } : {}),
            ...(options.mapping ? { mappingName: options.mapping } : {}),
          });
          await caller.imports.saveMapping({ name: options.saveMapping, mapping: preview.mapping });
        }
        const result = job.result;
        output(io, options, result, () => summaryText(result, lang));
      });
    });

  const imports = program.command('imports').description('past imports and their rejected rows');
  imports
    .command('list')
    .description('list imports, newest first')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withCaller(options, io, async (caller) => {
        const batches = await caller.imports.list();
        output(io, options, batches, () =>
          batches.length === 0
            ? '(no imports)'
            : batches
                .map(
                  (batch) =>
                    `${batch.id}  ${batch.status}${batch.interrupted ? ' (interrupted)' : ''}  ${batch.fileName}  rows ${batch.rowsDone}/${batch.rowsTotal}  imported ${batch.imported}  rejected ${batch.rejected}  ${batch.startedAt}`,
                )
                .join('\n'),
        );
      });
    });
  imports
    .command('show')
    .description('one import with its counts, mapping and attestation')
    .argument('<batchId>')
    .action(async (batchId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withCaller(options, io, async (caller) => {
        const batch = await caller.imports.get({ batchId });
        output(io, options, batch, () => JSON.stringify(batch, null, 2));
      });
    });
  imports
    .command('rejects')
    .description('the rejected rows of an import as CSV (safe to open in a spreadsheet)')
    .argument('<batchId>')
    .option('--out <file>', 'write the report to this file instead of printing it')
    .action(async (batchId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { out?: string }>();
      await withCaller(options, io, async (caller) => {
        const report = await caller.imports.rejects({ batchId });
        if (options.out) {
          writeFileSync(resolve(options.out), report.csv);
          output(io, options, { path: resolve(options.out) }, () => resolve(options.out ?? ''));
        } else {
          output(io, options, report, () => report.csv.trimEnd());
        }
      });
    });
}
