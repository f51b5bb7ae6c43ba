import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@consent-mailer/policy';
import {
  describeImport,
  formatRejectsCsv,
  getSourceProfile,
  isSuppressedByTool,
  runContactImport,
  scanContactFile,
  type ColumnMapping,
  type ContactFileInput,
  type ContactFilePreview,
  type FileEncoding,
  type ImportChunk,
  type ImportConsent,
  type ImportedContact,
  type ImportSink,
  type ImportSummary,
  type MissingEvidence,
} from '@consent-mailer/importer';
import {
  createImportBatch,
  finishImportBatch,
  getImportBatch,
  lookupHashes,
  restoreImportIndexes,
  restoreImportIndexesOffThread,
  setAsideImportIndexes,
  withBulkWriteCache,
  suppressedHashes,
  writeImportChunk,
  type ImportChunkWrite,
  type ImportContactRow,
  type Store,
  existingEmails,
} from '@consent-mailer/store';
import type { JobControls } from '../jobs/job-registry.js';
import { fileSha256 } from './import-file-input.js';

/** What `imports.run` returns when its job ends (also the CLI's `--json` summary). */
export interface ImportRunResult {
  batchId: string | null;
  dryRun: boolean;
  status: 'DONE' | 'CANCELLED' | 'FAILED';
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  tool: string;
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  suppressed: number;
  rejected: number;
  domainSuggestions: number;
  /** The first suggested corrections of mistyped domains (shown, never applied). */
  suggestionSamples: ImportSummary['suggestionSamples'];
  missingEvidence: MissingEvidence[];
  rejectsPath: string | null;
}

export interface ImportJobOptions {
  store: Store;
  clock: () => Date;
  dataDir: string;
  file: ContactFileInput;
  preview: ContactFilePreview;
  mapping: ColumnMapping;
  consent: ImportConsent;
  senderEntityId: string;
  listId: string | null;
  batchId: string;
  dryRun: boolean;
  /** The owner's choice for a file whose rows disagree on the encoding (see `scanContactFile`). */
  encoding?: FileEncoding;
  chunkSize?: number;
}

/**
 * The import job, as run by `ctx.jobs`: scan the whole file first (encoding confirmed, records counted,
 * structural damage found while nothing is written yet), then create the batch row (RUNNING) and write chunk
 * by chunk, each chunk one transaction that also advances the batch's counters and `rows_done`. What is left
 * behind is always labelled: DONE; CANCELLED (the committed chunks stay, `rows_done` says how far);
 * FAILED with the error; or, when the process dies mid-import, RUNNING until the next `imports.list` marks it
 * FAILED/INTERRUPTED. A dry run writes nothing: it only looks up what the store already holds. A large
 * import sets the address-hash index aside and rebuilds it at the end (phase `indexing`), or at the next
 * open of the store when the process died.
 *
 * @example
 * ctx.jobs.start('import', (controls) => runImportJob(options, controls));
 */
export async function runImportJob(
  options: ImportJobOptions,
  controls: JobControls,
): Promise<ImportRunResult> {
  const { store, clock } = options;
  controls.report({ done: 0, phase: 'scanning' });
  const scan = await scanContactFile(options.file, {
    signal: controls.signal,
    info: options.preview.info,
    ...(options.encoding ? { encoding: options.encoding } : {}),
  });
  const header = options.mapping.headerRowNumber;
  // Records above and at the header are not contacts (a preamble line counts as one record, close enough for a total).
  const totalRows = Math.max(0, scan.records - (header ?? 0));
  const info = scan.info;
  const base = {
    batchId: options.dryRun ? null : options.batchId,
    dryRun: options.dryRun,
    fileName: info.fileName,
    format: info.format,
    encoding: info.encoding,
    delimiter: info.delimiter,
    tool: options.preview.tool,
  };

  const at = clock().toISOString();
  let rejectsPath: string | null = null;
  let sink: ImportSink;
  let attestationId: string | undefined;
  if (options.dryRun) {
    sink = dryRunSink(store);
  } else {
    const sha256 = await fileSha256(options.file);
    const batch = await createImportBatch(store.db, {
      id: options.batchId,
      fileName: info.fileName,
      fileSha256: sha256,
      fileSize: info.sizeBytes,
      senderEntityId: options.senderEntityId,
      listId: options.listId,
      // The stored mapping (and so import.started's mappingSha256) includes the profile's report: what each
      // column became, what was dropped, the per-row method the owner confirmed.
      mapping: {
        mapping: options.mapping,
        consent: { ...options.consent, attestation: undefined },
        report: describeImport(options.preview.rows, options.mapping, {
          timeZone: options.consent.timeZone,
          importedAt: at,
        }),
      },
      defaultMethod: options.consent.method ?? null,
      ...(options.consent.attestation ? { attestation: options.consent.attestation } : {}),
      sourceTool: options.preview.tool,
      encoding: info.encoding,
      delimiter: info.delimiter,
      rowsTotal: totalRows,
      at,
      // Another process's `imports list` checks this owner before it calls the batch interrupted.
      owner: { pid: process.pid, host: hostname() },
    });
    attestationId = batch.attestation_id ?? undefined;
    const folder = join(options.dataDir, 'imports');
    mkdirSync(folder, { recursive: true });
    rejectsPath = join(folder, `${options.batchId}-rejects.csv`);
    appendFileSync(rejectsPath, formatRejectsCsv([], { header: true }));
    sink = storeSink(options, rejectsPath, clock);
  }

  let setAside = false;
  let summary: ImportSummary;
  try {
    // A large import writes faster without the random-keyed address-hash index; it is rebuilt at the end.
    setAside = !options.dryRun && (await setAsideImportIndexes(store.db, { rows: totalRows }));
    summary = await withBulkWriteCache(store.db, () =>
      runContactImport({
        input: options.file,
        info,
        mapping: options.mapping,
        consent: options.consent,
        ...(attestationId ? { attestationId } : {}),
        importedAt: at,
        sink,
        signal: controls.signal,
        totalRows,
        onProgress: ({ rowsRead }) => controls.report({ done: rowsRead, total: totalRows, phase: 'writing' }),
        ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      }),
    );
    if (setAside) {
      // Inside the try: should the rebuild fail (a full disk), the batch is labelled FAILED with the reason.
      controls.report({ done: summary.rows, total: totalRows, phase: 'indexing' });
      // Off the thread that imports: in the desktop app that thread also answers the window.
      await restoreImportIndexesOffThread(store);
      setAside = false;
    }
  } catch (error) {
    // Should the rebuild fail here, the next openStore rebuilds it; the import's own error is the one to show.
    if (setAside) await restoreImportIndexes(store.db).catch(() => undefined);
    if (!options.dryRun) {
      const cancelled = controls.signal.aborted;
      try {
        await finishImportBatch(store.db, options.batchId, {
          status: cancelled ? 'CANCELLED' : 'FAILED',
          at: clock().toISOString(),
          ...(cancelled ? {} : { error: error instanceof Error ? error.message : String(error) }),
          rejectsPath,
        });
      } catch (finishError) {
        // Already ended elsewhere (marked interrupted, say): it keeps that end; the import's error is shown.
        if (!(isUserError(finishError) && finishError.code === 'IMPORT_BATCH_CLOSED')) throw finishError;
      }
    }
    throw error;
  }
  if (!options.dryRun) {
    await finishImportBatch(store.db, options.batchId, {
      status: 'DONE',
      at: clock().toISOString(),
      rejectsPath,
    });
    // The counters the batch row holds are the ones written in the chunk transactions.
    const batch = await getImportBatch(store.db, options.batchId);
    summary = { ...summary, duplicates: batch.duplicate_count };
  }
  controls.report({ done: summary.rows, total: totalRows, phase: 'done' });
  return { ...base, status: 'DONE', ...summary, rejectsPath };
}

function storeSink(options: ImportJobOptions, rejectsPath: string, clock: () => Date): ImportSink {
  return {
    async writeChunk(chunk: ImportChunk) {
      const at = clock().toISOString();
      const suppress: ImportChunkWrite['suppress'] = [];
      // The suppression says which tool knew it: "Brevo: blocklisted" in the list a user reviews.
      const tool = getSourceProfile(options.mapping.tool)?.name ?? 'import file';
      for (const contact of chunk.contacts) {
        if (contact.unsubscribedAt)
          suppress.push({
            email: contact.email,
            reason: 'UNSUBSCRIBED',
            at: contact.unsubscribedAt,
            note: `${tool}: unsubscribed`,
          });
        if (contact.hardBounceAt)
          suppress.push({
            email: contact.email,
            reason: 'HARD_BOUNCE',
            at: contact.hardBounceAt,
            note: `${tool}: bounced / cleaned`,
          });
        if (contact.complaintAt)
          suppress.push({
            email: contact.email,
            reason: 'COMPLAINT',
            at: contact.complaintAt,
            note: `${tool}: spam complaint`,
          });
        if (contact.blocklistedAt)
          suppress.push({
            email: contact.email,
            reason: 'MANUAL',
            at: contact.blocklistedAt,
            note: `${tool}: blocklisted`,
          });
      }
      const counts = await writeImportChunk(
        options.store.db,
        options.batchId,
        {
          rows: chunk.contacts.map((contact) =>
            toImportContactRow(contact, options.senderEntityId, options.listId),
          ),
          suppress,
          duplicates: chunk.duplicates,
          rejected: chunk.rejects.length,
          rowsDone: chunk.rowsRead,
        },
        { at, listId: options.listId, heartbeatAt: clock().toISOString() },
      );
      // After the commit: a crash here loses report lines, never contacts (the counts are in the batch row).
      if (chunk.rejects.length > 0) appendFileSync(rejectsPath, formatRejectsCsv(chunk.rejects));
      return counts;
    },
  };
}

/** Looks up what a real import would do, writing nothing. */
function dryRunSink(store: Store): ImportSink {
  return {
    async writeChunk(chunk: ImportChunk) {
      const emails = chunk.contacts.map((contact) => contact.email);
      // Each address's identity hash and, for a spelling with capitals, its pre-identity (legacy) hash.
      const lookups = chunk.contacts.map((contact) => lookupHashes(contact.emailSpelling ?? contact.email));
      const suppressed = await suppressedHashes(store.db, lookups.flat());
      const existing = await existingEmails(store.db, emails);
      let imported = 0;
      let updated = 0;
      let blocked = 0;
      chunk.contacts.forEach((contact, index) => {
        if ((lookups[index] ?? []).some((hash) => suppressed.has(hash)) || isSuppressedByTool(contact))
          blocked += 1;
        else if (existing.has(contact.email)) updated += 1;
        else imported += 1;
      });
      return { imported, updated, unchanged: 0, suppressed: blocked };
    },
  };
}

/**
 * The store's import row for a validated contact: names folded into the store's columns (tussenvoegsel
 * joins the last name: "van 't" + "Hek"), the consent for the sender entity, scoped to the list (or to all
 * of the entity's marketing when the import names no list).
 *
 * @example
 * toImportContactRow(contact, 'bakkerij', 'nieuwsbrief');
 */
export function toImportContactRow(
  contact: ImportedContact,
  senderEntityId: string,
  listId: string | null,
): ImportContactRow {
  let firstName = contact.firstName ?? null;
  let lastName =
    [contact.middleName, contact.lastName].filter((part) => part !== undefined && part !== '').join(' ') ||
    null;
  if (firstName === null && lastName === null && contact.fullName) {
    const space = contact.fullName.indexOf(' ');
    firstName = space === -1 ? contact.fullName : contact.fullName.slice(0, space);
    lastName = space === -1 ? null : contact.fullName.slice(space + 1);
  }
  return {
    email: contact.email,
    ...(contact.emailSpelling === undefined ? {} : { emailSpelling: contact.emailSpelling }),
    recipientKind: contact.recipientKind,
    addressKind: contact.addressKind,
    method: contact.method,
    senderEntityId,
    scopeLists: listId === null ? 'ALL' : [listId],
    ...contact.evidence,
    // "No marketing" from the old tool: an objection on this entity's consent (G1), never cleared by a merge.
    ...(contact.objectedAt ? { objectedAt: contact.objectedAt } : {}),
    firstName,
    lastName,
    organisation: contact.companyName ?? null,
  };
}
