import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import {
  applyMappingOverrides,
  checkImportConsent,
  describeImport,
  encodingChoiceRequired,
  getSourceProfile,
  ColumnMapping,
  FileEvidence,
  ImportAttestation,
  ImportConsent,
  MappingOverrides,
  previewContactFile,
  type ContactFilePreview,
  type ImportReport,
} from '@consent-mailer/importer';
import { ConsentMethod, RecipientKind, UserError } from '@consent-mailer/policy';
import {
  findList,
  findSenderEntity,
  getImportBatch,
  getImportMapping,
  importCounts,
  listImportBatches,
  listImportMappings,
  markInterruptedImportBatches,
  saveImportMapping,
  type ImportBatchRow,
  type Store,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import { ImportFileInput, toContactFileInput } from '../import/import-file-input.js';
import { isOwnerAlive } from '../jobs/owner-liveness.js';
import { allowedPath } from '../files/file-access.js';
import { runImportJob, type ImportRunResult } from '../import/import-job.js';
import { publicProcedure } from '../trpc.js';

const MappingChoice = z.object({
  /** Corrections on top of the suggested (or saved) mapping: header or `#n` → field. */
  overrides: MappingOverrides.optional(),
  /** A mapping saved earlier with `imports.saveMapping`. */
  mappingName: z.string().min(1).max(100).optional(),
});

const RunInput = MappingChoice.extend({
  file: ImportFileInput,
  senderEntityId: z.string().min(1).max(200),
  listId: z.string().min(1).max(200).optional(),
  method: ConsentMethod.optional(),
  evidence: FileEvidence.optional(),
  recipientKind: RecipientKind.optional(),
  timeZone: z.string().min(1).max(64).optional(),
  attestation: ImportAttestation.optional(),
  /**
   * The owner confirms the per-row method the preview showed (`report.rowMethods`): rows whose evidence
   * proves it get it, the others take `method`.
   */
  rowMethodFromEvidence: z.boolean().default(false),
  /**
   * How to read a file whose rows disagree on the encoding (the preview's `encodingConflict`): `per-line`,
   * `utf-8` or `windows-1252`. Required for such a file; overrides the detection for any other.
   */
  encoding: z.enum(['utf-8', 'windows-1252', 'per-line']).optional(),
  dryRun: z.boolean().default(false),
  chunkSize: z.number().int().min(100).max(50_000).optional(),
});

/** Times without a zone: the tool's (newsletter tools write UTC), else Dutch local time (spreadsheets). */
function importTimeZone(tool: string | undefined): string {
  return getSourceProfile(tool)?.timeZone ?? 'Europe/Amsterdam';
}

/** The job kind of imports in `ctx.jobs`. */
export const IMPORT_JOB_KIND = 'import';

async function resolveMapping(
  store: Store,
  preview: ContactFilePreview,
  choice: z.infer<typeof MappingChoice>,
): Promise<ContactFilePreview['mapping']> {
  let mapping = preview.mapping;
  if (choice.mappingName) {
    const saved = await getImportMapping(store.db, choice.mappingName);
    mapping = ColumnMapping.parse(JSON.parse(saved.mapping));
    // A mapping saved before profiles existed names no tool: the file's own headers still say which it is,
    // so its statuses and opt-out files are read as that tool's.
    if (mapping.tool === undefined && preview.mapping.tool !== undefined)
      mapping = { ...mapping, tool: preview.mapping.tool };
  }
  return choice.overrides ? applyMappingOverrides(mapping, choice.overrides) : mapping;
}

/** The importer's input for a file the caller named: a path only inside the data folder or granted. */
function contactFile(ctx: ApiContext, file: ImportFileInput) {
  return toContactFileInput('path' in file ? { path: allowedPath(ctx, file.path, 'read') } : file);
}

/**
 * Runs an import and then deletes its file when it was an upload (in the data folder's uploads/): the
 * batch keeps the file's sha256, and a kept copy would hold every imported person, erased ones too.
 * A dry run keeps it, since the real run follows.
 */
async function withUploadRemoved<T>(
  ctx: ApiContext,
  path: string | null,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } finally {
    const uploads = resolve(ctx.dataDir, 'uploads');
    if (path !== null && resolve(path).startsWith(`${uploads}${sep}`)) rmSync(path, { force: true });
  }
}

/** Per job registry (one per process): which batch each import job writes. */
const batchesByJob = new WeakMap<JobRegistry, Map<string, string>>();

/** Batch ids of imports running in this process, so a crashed one can be told from a live one. */
function runningBatchIds(ctx: ApiContext): Set<string> {
  const ids = new Set<string>();
  for (const [jobId, batchId] of batchesByJob.get(ctx.jobs) ?? []) {
    if (ctx.jobs.get(jobId)?.state === 'running') ids.add(batchId);
  }
  return ids;
}

function describeBatch(row: ImportBatchRow) {
  const stored = JSON.parse(row.mapping) as { mapping?: unknown; consent?: unknown; report?: unknown };
  return {
    id: row.id,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    fileSize: row.file_size,
    senderEntityId: row.sender_entity_id,
    listId: row.list_id,
    method: row.default_method,
    status: row.status,
    interrupted: row.status === 'FAILED' && (row.error ?? '').startsWith('INTERRUPTED'),
    rowsTotal: row.rows_total,
    rowsDone: row.rows_done,
    ...importCounts(row),
    tool: row.source_tool,
    encoding: row.encoding,
    delimiter: row.delimiter,
    attestationId: row.attestation_id,
    attestation: row.attestation === null ? null : (JSON.parse(row.attestation) as ImportAttestation),
    mapping: stored.mapping ?? null,
    consent: stored.consent ?? null,
    /** The detected profile, what each column became and what was dropped (imports since profiles). */
    report: (stored.report ?? null) as ImportReport | null,
    hasRejectsReport: row.rejects_path !== null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

async function assertTargetsExist(
  store: Store,
  senderEntityId: string,
  listId: string | undefined,
): Promise<void> {
  if (!(await findSenderEntity(store.db, senderEntityId))) {
    throw new UserError('ENTITY_NOT_FOUND', {
      en: `There is no sender entity "${senderEntityId}". Consent belongs to a legal entity: create it first, or pick an existing one.`,
      nl: `Er is geen afzender "${senderEntityId}". Toestemming hoort bij een rechtspersoon: maak die eerst aan, of kies een bestaande.`,
    });
  }
  if (listId === undefined) return;
  const list = await findList(store.db, listId);
  if (!list || list.archived_at !== null) {
    throw new UserError('LIST_NOT_FOUND', {
      en: `There is no (active) list "${listId}". Create it with "consent-mailer list create" (see the ids with "consent-mailer list list"), or leave the list out.`,
      nl: `Er is geen (actieve) lijst "${listId}". Maak hem met "consent-mailer list create" (bekijk de ids met "consent-mailer list list"), of laat de lijst weg.`,
    });
  }
}

export const importsRouter = {
  /** Detected format, encoding and delimiter, the first rows and the suggested (or corrected) mapping. */
  preview: publicProcedure
    .input(
      MappingChoice.extend({ file: ImportFileInput, rows: z.number().int().min(1).max(100).default(10) }),
    )
    .query(async ({ ctx, input }) => {
      const file = contactFile(ctx, input.file);
      const preview = await previewContactFile(file, { rows: input.rows });
      const mapping = await resolveMapping(ctx.store, preview, input);
      const profile = getSourceProfile(mapping.tool);
      const timeZone = importTimeZone(mapping.tool);
      return {
        fileName: preview.info.fileName,
        sizeBytes: preview.info.sizeBytes,
        format: preview.info.format,
        encoding: preview.info.encoding,
        /**
         * Set when the file mixes UTF-8 and Windows-1252 rows: the rows below are shown per line (each in the
         * encoding it is valid in), and `imports.run` needs `encoding` chosen.
         */
        encodingConflict: preview.info.encodingConflict ?? null,
        encodingChoices: preview.info.encodingConflict
          ? (['per-line', 'utf-8', 'windows-1252'] as const)
          : null,
        bom: preview.info.bom,
        delimiter: preview.info.delimiter,
        tool: preview.tool,
        suggestedMethod:
          profile?.suggestedMethod !== undefined
            ? profile.suggestedMethod
            : preview.tool === 'generic'
              ? null
              : mapping.columns.some((c) => c.field === 'confirmedAt')
                ? ('WEB_DOI' as const)
                : ('WEB_SOI' as const),
        mapping,
        rows: preview.rows,
        /** Detected profile, what each column became and what was dropped, the per-row method to confirm. */
        report: describeImport(preview.rows, mapping, { timeZone, importedAt: ctx.clock().toISOString() }),
      };
    }),

  /**
   * Starts an import as a background job and returns at once; poll `imports.progress`. Bad settings (no
   * method, IMPORTED_UNKNOWN without attestation, unknown entity or list) fail here, before any job starts.
   */
  run: publicProcedure.input(RunInput).mutation(async ({ ctx, input }) => {
    // The path first: a refused file says so, whatever else is wrong with the request.
    const file = contactFile(ctx, input.file);
    await assertTargetsExist(ctx.store, input.senderEntityId, input.listId);
    const preview = await previewContactFile(file, { rows: 20 });
    // Never silent mojibake: a file mixing encodings is imported only as the owner chose to read it.
    if (preview.info.encodingConflict && !input.encoding)
      throw encodingChoiceRequired(preview.info.encodingConflict);
    const mapping = await resolveMapping(ctx.store, preview, input);
    if (!mapping.columns.some((column) => column.field === 'email')) {
      throw new UserError('IMPORT_NO_EMAIL_COLUMN', {
        en: 'No column is mapped to the e-mail address. Map one (for example --map "Mail=email").',
        nl: 'Geen kolom is gekoppeld aan het e-mailadres. Koppel er een (bijvoorbeeld --map "Mail=email").',
      });
    }
    const consent = ImportConsent.parse({
      method: input.method,
      evidence: input.evidence ?? {},
      recipientKind: input.recipientKind,
      attestation: input.attestation,
      timeZone: input.timeZone ?? importTimeZone(mapping.tool),
      rowMethodFromEvidence: input.rowMethodFromEvidence,
    });
    const missingEvidence = checkImportConsent(consent, mapping);
    const batchId = randomUUID();
    const job = ctx.jobs.start<ImportRunResult>(IMPORT_JOB_KIND, (controls) =>
      withUploadRemoved(ctx, 'path' in file && !input.dryRun ? file.path : null, () =>
        runImportJob(
          {
            store: ctx.store,
            clock: ctx.clock,
            dataDir: ctx.dataDir,
            file,
            preview,
            mapping,
            consent,
            senderEntityId: input.senderEntityId,
            listId: input.listId ?? null,
            batchId,
            dryRun: input.dryRun,
            ...(input.encoding ? { encoding: input.encoding } : {}),
            ...(input.chunkSize ? { chunkSize: input.chunkSize } : {}),
          },
          controls,
        ),
      ),
    );
    let batches = batchesByJob.get(ctx.jobs);
    if (!batches) batchesByJob.set(ctx.jobs, (batches = new Map<string, string>()));
    if (!input.dryRun) batches.set(job.id, batchId);
    return { jobId: job.id, batchId: input.dryRun ? null : batchId, missingEvidence };
  }),

  /** The state of an import job: progress while it runs, the summary (or error) when it ended. */
  progress: publicProcedure.input(z.object({ jobId: z.string().min(1) })).query(({ ctx, input }) => {
    const job = ctx.jobs.getOfKind<ImportRunResult>(input.jobId, IMPORT_JOB_KIND);
    if (!job) {
      throw new UserError('IMPORT_JOB_NOT_FOUND', {
        en: `There is no running or recent import job ${input.jobId} in this program.`,
        nl: `Er is geen lopende of recente importtaak ${input.jobId} in dit programma.`,
      });
    }
    return job;
  }),

  /** Asks a running import to stop after the chunk it is writing; the batch ends CANCELLED. */
  cancel: publicProcedure.input(z.object({ jobId: z.string().min(1) })).mutation(({ ctx, input }) => ({
    cancelled: ctx.jobs.cancel(input.jobId),
  })),

  /** Imports, newest first. Batches left RUNNING by a program that stopped are marked interrupted first. */
  list: publicProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      await markInterruptedImportBatches(ctx.store.db, {
        at: ctx.clock().toISOString(),
        runningIds: runningBatchIds(ctx),
        ownerIsAlive: (owner) => isOwnerAlive(owner, ctx.clock().getTime()),
      });
      return (await listImportBatches(ctx.store.db, { limit: input.limit })).map(describeBatch);
    }),

  /** One import with its counts, mapping, consent settings and attestation. */
  get: publicProcedure.input(z.object({ batchId: z.string().min(1) })).query(async ({ ctx, input }) => {
    await markInterruptedImportBatches(ctx.store.db, {
      at: ctx.clock().toISOString(),
      runningIds: runningBatchIds(ctx),
      ownerIsAlive: (owner) => isOwnerAlive(owner, ctx.clock().getTime()),
    });
    return describeBatch(await getImportBatch(ctx.store.db, input.batchId));
  }),

  /** The rejects report of an import as CSV text (formula injection neutralised) and where it is on disk. */
  rejects: publicProcedure.input(z.object({ batchId: z.string().min(1) })).query(async ({ ctx, input }) => {
    const batch = await getImportBatch(ctx.store.db, input.batchId);
    if (batch.rejects_path === null) {
      throw new UserError('IMPORT_NO_REJECTS_REPORT', {
        en: 'This import has no rejects report (it did not get as far as reading rows).',
        nl: 'Deze import heeft geen rapport met afgewezen rijen (hij kwam niet toe aan het lezen van rijen).',
      });
    }
    return {
      path: batch.rejects_path,
      fileName: `${batch.file_name}-afgewezen.csv`,
      csv: readFileSync(batch.rejects_path, 'utf8'),
    };
  }),

  /** Saves a mapping by name, to reuse for the next export of the same kind. */
  saveMapping: publicProcedure
    .input(z.object({ name: z.string().trim().min(1).max(100), mapping: ColumnMapping }))
    .mutation(async ({ ctx, input }) => {
      const row = await saveImportMapping(ctx.store.db, {
        name: input.name,
        mapping: input.mapping,
        at: ctx.clock().toISOString(),
      });
      return { name: row.name, updatedAt: row.updated_at };
    }),

  /** Saved mappings. */
  mappings: publicProcedure.query(async ({ ctx }) =>
    (await listImportMappings(ctx.store.db)).map((row) => ({
      name: row.name,
      mapping: ColumnMapping.parse(JSON.parse(row.mapping)),
      updatedAt: row.updated_at,
    })),
  ),
} satisfies TRPCRouterRecord;
