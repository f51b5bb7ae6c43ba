// An import batch's life: created, written in chunks, finished or marked interrupted, and its rejects.
import { randomUUID } from 'node:crypto';
import { UserError, type ConsentMethod } from '@consent-mailer/policy';
import { importContacts, type ImportContactRow } from './contact-import.js';
import { sha256Hex } from './address-hash.js';
import { appendEvent, type Executor } from './event-log.js';
import type { ImportBatchRow, ImportBatchStatus } from './import-batch.table.js';
import { addSuppression } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** The statement a user signs to import addresses of unknown origin (rule U2). */
export interface ImportAttestationRecord {
  signerName: string;
  /** ISO-8601. */
  signedAt: string;
  /** The legal basis the signer claims for mailing these people. */
  claimedBasis: string;
}

export interface NewImportBatch {
  id: string;
  fileName: string;
  fileSha256: string;
  fileSize: number;
  senderEntityId: string;
  listId: string | null;
  /** The column mapping and consent settings used (stored as JSON). */
  mapping: unknown;
  defaultMethod: ConsentMethod | null;
  attestation?: ImportAttestationRecord;
  sourceTool: string;
  encoding: string | null;
  delimiter: string | null;
  /** Data rows in the file (from the scan before writing). */
  rowsTotal: number;
  at: string;
  /** The process that writes the batch, so another process can tell a live import from a dead one. */
  owner?: ImportBatchOwner;
}

/** The process writing an import. */
export interface ImportBatchOwner {
  pid: number;
  host: string;
}

/** A RUNNING batch's owner as stored, for `markInterruptedImportBatches`'s `ownerIsAlive`. */
export interface ImportBatchHolder {
  pid: number | null;
  host: string | null;
  heartbeatAt: string | null;
}

/**
 * Creates the batch row (status RUNNING) before the first contact is written, with the attestation when the
 * import has one (its id becomes the contacts' `attestationId`), and appends `import.started` (and
 * `import.attested`) events in the same transaction.
 *
 * @example
 * const batch = await createImportBatch(db, { id, fileName: 'klanten.csv', fileSha256, fileSize, senderEntityId: 'bakkerij',
 *   listId: null, mapping, defaultMethod: 'PAPER', sourceTool: 'generic', encoding: 'windows-1252', delimiter: ';', rowsTotal: 120, at });
 */
export async function createImportBatch(db: Executor, input: NewImportBatch): Promise<ImportBatchRow> {
  const mapping = JSON.stringify(input.mapping);
  return inTransaction(db, async (trx) => {
    const attestationId = input.attestation ? randomUUID() : null;
    const row = await trx
      .insertInto('import_batch')
      .values({
        id: input.id,
        file_name: input.fileName,
        file_sha256: input.fileSha256,
        file_size: input.fileSize,
        sender_entity_id: input.senderEntityId,
        list_id: input.listId,
        mapping,
        default_method: input.defaultMethod,
        status: 'RUNNING',
        rows_total: input.rowsTotal,
        attestation_id: attestationId,
        attestation: input.attestation ? JSON.stringify(input.attestation) : null,
        source_tool: input.sourceTool,
        encoding: input.encoding,
        delimiter: input.delimiter,
        started_at: input.at,
        worker_pid: input.owner?.pid ?? null,
        worker_host: input.owner?.host ?? null,
        worker_heartbeat_at: input.owner === undefined ? null : input.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'import.started',
      entity: 'import_batch',
      entityId: input.id,
      at: input.at,
      data: {
        // The file and the mapping together determine every value the import writes, so the chain commits
        // to both: the evidence of any contact can be re-derived from the kept file and checked.
        fileSha256: input.fileSha256,
        mappingSha256: sha256Hex(mapping),
        fileSize: input.fileSize,
        senderEntityId: input.senderEntityId,
        listId: input.listId,
        defaultMethod: input.defaultMethod,
        rowsTotal: input.rowsTotal,
      },
      personal: { fileName: input.fileName },
    });
    if (input.attestation && attestationId) {
      await appendEvent(trx, {
        type: 'import.attested',
        entity: 'import_batch',
        entityId: input.id,
        at: input.at,
        data: { attestationId, signedAt: input.attestation.signedAt },
        personal: { signerName: input.attestation.signerName, claimedBasis: input.attestation.claimedBasis },
      });
    }
    return row;
  });
}

/** One chunk of an import, written in one transaction. */
export interface ImportChunkWrite {
  rows: ImportContactRow[];
  /**
   * Addresses the old tool had as unsubscribed, bounced, complained or blocklisted: suppressed before the rows
   * are written. `note` says what the tool said ("Brevo EMAIL_BLACKLISTED"); the batch id is always added.
   */
  suppress: {
    email: string;
    reason: 'UNSUBSCRIBED' | 'HARD_BOUNCE' | 'COMPLAINT' | 'MANUAL';
    at: string;
    note?: string;
  }[];
  /** Rows of this chunk whose address appeared earlier in the file. */
  duplicates: number;
  rejected: number;
  /** Data rows read so far, this chunk included. */
  rowsDone: number;
}

/** What a chunk did. */
export interface ImportChunkCounts {
  imported: number;
  updated: number;
  unchanged: number;
  suppressed: number;
}

/**
 * Writes one chunk of an import in one transaction: the suppressions the old tool knew, then the contacts
 * and consents through the store's bulk `importContacts` (never downgrading evidence, never touching a
 * suppressed address), then the batch's counters, `rows_done` and the owner's heartbeat. Either all of it
 * commits or none. A batch that is no longer RUNNING (cancelled, or marked failed or interrupted by another
 * process) takes no more rows: the chunk is rolled back and IMPORT_BATCH_CLOSED stops the writer.
 *
 * @throws {UserError} IMPORT_BATCH_CLOSED
 * @example
 * const counts = await writeImportChunk(db, batch.id, { rows, suppress: [], duplicates: 0, rejected: 3, rowsDone: 5000 }, { at, listId });
 */
export async function writeImportChunk(
  db: Executor,
  batchId: string,
  chunk: ImportChunkWrite,
  options: { at: string; listId: string | null; heartbeatAt?: string },
): Promise<ImportChunkCounts> {
  return inTransaction(db, async (trx) => {
    await assertRunning(trx, batchId);
    for (const entry of chunk.suppress) {
      await addSuppression(trx, {
        email: entry.email,
        reason: entry.reason,
        source: 'IMPORT',
        note: entry.note === undefined ? `import ${batchId}` : `import ${batchId}: ${entry.note}`,
        at: entry.at,
      });
    }
    const counts = await importContacts(trx, chunk.rows, {
      at: options.at,
      importBatchId: batchId,
      listId: options.listId,
    });
    const result: ImportChunkCounts = {
      imported: counts.imported,
      updated: counts.updated,
      unchanged: counts.duplicates,
      suppressed: counts.suppressed,
    };
    await trx
      .updateTable('import_batch')
      .set((eb) => ({
        imported_count: eb('imported_count', '+', result.imported),
        updated_count: eb('updated_count', '+', result.updated),
        duplicate_count: eb('duplicate_count', '+', chunk.duplicates),
        suppressed_count: eb('suppressed_count', '+', result.suppressed),
        rejected_count: eb('rejected_count', '+', chunk.rejected),
        rows_done: chunk.rowsDone,
        ...(options.heartbeatAt === undefined ? {} : { worker_heartbeat_at: options.heartbeatAt }),
      }))
      .where('id', '=', batchId)
      .where('status', '=', 'RUNNING')
      .execute();
    // The counters are part of the batch's record: committed to the chain with the chunk.
    await appendEvent(trx, {
      type: 'import.progressed',
      entity: 'import_batch',
      entityId: batchId,
      at: options.at,
      data: { rowsDone: chunk.rowsDone, ...result, duplicates: chunk.duplicates, rejected: chunk.rejected },
    });
    return result;
  });
}

/**
 * Ends a RUNNING batch: DONE, CANCELLED (the user stopped it: the chunks before stay, `rows_done` says how
 * far) or FAILED (with the error), with an `import.finished` event. A batch ends once: a FAILED (or
 * interrupted) batch never becomes DONE afterwards.
 *
 * @throws {UserError} IMPORT_BATCH_CLOSED when the batch already ended.
 * @example
 * await finishImportBatch(db, batch.id, { status: 'DONE', at });
 */
export async function finishImportBatch(
  db: Executor,
  batchId: string,
  input: {
    status: Exclude<ImportBatchStatus, 'RUNNING'>;
    at: string;
    error?: string;
    rejectsPath?: string | null;
  },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('import_batch')
      .set({
        status: input.status,
        finished_at: input.at,
        error: input.error ?? null,
        ...(input.rejectsPath === undefined ? {} : { rejects_path: input.rejectsPath }),
      })
      .where('id', '=', batchId)
      .where('status', '=', 'RUNNING')
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      await assertRunning(trx, batchId);
      throw batchNotFound(batchId);
    }
    await appendEvent(trx, {
      type: 'import.finished',
      entity: 'import_batch',
      entityId: batchId,
      at: input.at,
      data: {
        status: input.status,
        rowsDone: row.rows_done,
        ...importCounts(row),
        error: input.error ?? null,
      },
    });
  });
}

/** The `error` text of a batch found RUNNING after its process ended (crash, power loss, killed). */
export const INTERRUPTED_ERROR =
  'INTERRUPTED: the program stopped while this import ran; rows_done rows were committed.';

/**
 * Marks batches that still say RUNNING but whose writer is gone (crash, power loss, killed) as FAILED with
 * {@link INTERRUPTED_ERROR}. A batch is left alone when it is one of the caller's own running jobs
 * (`runningIds`) or when `ownerIsAlive` says its owner (pid, host, heartbeat) still lives: another
 * process's `imports list` must not fail an import that is still writing. Without `ownerIsAlive` every
 * batch not in `runningIds` counts as interrupted (the behaviour before owners were recorded). Returns how
 * many were marked. Call it when opening the import list.
 *
 * @example
 * await markInterruptedImportBatches(db, { at, runningIds: new Set(activeJobBatchIds), ownerIsAlive });
 */
export async function markInterruptedImportBatches(
  db: Executor,
  input: {
    at: string;
    runningIds: ReadonlySet<string>;
    ownerIsAlive?: (holder: ImportBatchHolder) => boolean;
  },
): Promise<number> {
  const stale = await db
    .selectFrom('import_batch')
    .select(['id', 'worker_pid', 'worker_host', 'worker_heartbeat_at'])
    .where('status', '=', 'RUNNING')
    .execute();
  let marked = 0;
  for (const row of stale) {
    if (input.runningIds.has(row.id)) continue;
    const holder = { pid: row.worker_pid, host: row.worker_host, heartbeatAt: row.worker_heartbeat_at };
    if (input.ownerIsAlive?.(holder) === true) continue;
    try {
      await finishImportBatch(db, row.id, { status: 'FAILED', at: input.at, error: INTERRUPTED_ERROR });
      marked += 1;
    } catch (error) {
      // It ended between the read and the write (its writer finished it): nothing to mark.
      if (!(error instanceof UserError && error.code === 'IMPORT_BATCH_CLOSED')) throw error;
    }
  }
  return marked;
}

/** Throws IMPORT_BATCH_CLOSED when the batch exists and is no longer RUNNING. */
async function assertRunning(db: Executor, batchId: string): Promise<void> {
  const row = await db
    .selectFrom('import_batch')
    .select(['status', 'error'])
    .where('id', '=', batchId)
    .executeTakeFirst();
  if (row === undefined) throw batchNotFound(batchId);
  if (row.status === 'RUNNING') return;
  const how =
    row.status === 'FAILED' && (row.error ?? '').startsWith('INTERRUPTED') ? 'INTERRUPTED' : row.status;
  throw new UserError('IMPORT_BATCH_CLOSED', {
    en: `Import ${batchId} has already ended (${how}), so it takes no more rows. Start the import again; addresses already imported are recognised and not duplicated.`,
    nl: `Import ${batchId} is al beëindigd (${how}), dus er komen geen rijen meer bij. Start de import opnieuw; adressen die al zijn geïmporteerd worden herkend en niet dubbel opgenomen.`,
  });
}

/**
 * The rejects files of every import that kept one (what an erasure must redact).
 *
 * @example
 * for (const path of await importRejectsPaths(db)) redact(path);
 */
export async function importRejectsPaths(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('import_batch')
    .select('rejects_path')
    .where('rejects_path', 'is not', null)
    .execute();
  return rows.flatMap((row) => (row.rejects_path === null ? [] : [row.rejects_path]));
}

/**
 * Lists import batches, newest first.
 *
 * @example
 * const batches = await listImportBatches(db, { limit: 20 });
 */
export async function listImportBatches(
  db: Executor,
  options: { limit?: number } = {},
): Promise<ImportBatchRow[]> {
  return db
    .selectFrom('import_batch')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
    .execute();
}

/**
 * One batch by id.
 *
 * @throws {UserError} IMPORT_BATCH_NOT_FOUND
 * @example
 * const batch = await getImportBatch(db, id);
 */
export async function getImportBatch(db: Executor, id: string): Promise<ImportBatchRow> {
  const row = await db.selectFrom('import_batch').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw batchNotFound(id);
  return row;
}

function batchNotFound(id: string): UserError {
  return new UserError('IMPORT_BATCH_NOT_FOUND', {
    en: `There is no import ${id}. List the imports to see their ids.`,
    nl: `Er is geen import ${id}. Vraag de lijst met imports op om de nummers te zien.`,
  });
}

/**
 * What an import did, counted by name: the batch's outcome as its `import.finished` event records it and as
 * the api shows it.
 *
 * @example
 * importCounts(batch); // { imported: 120, updated: 3, duplicates: 2, suppressed: 1, rejected: 4 }
 */
export function importCounts(
  row: Pick<
    ImportBatchRow,
    'imported_count' | 'updated_count' | 'duplicate_count' | 'suppressed_count' | 'rejected_count'
  >,
) {
  return {
    imported: row.imported_count,
    updated: row.updated_count,
    duplicates: row.duplicate_count,
    suppressed: row.suppressed_count,
    rejected: row.rejected_count,
  };
}
