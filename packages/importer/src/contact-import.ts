import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  applyMappingOverrides,
  suggestMapping,
  type ColumnMapping,
  type MappingOverrides,
  type SourceTool,
} from './column-mapping.js';
import {
  checkContactFileEncoding,
  readContactRows,
  sniffContactFile,
  type ContactFileInfo,
  type ContactFileInput,
  type SourceRow,
} from './contact-file.js';
import { createRowValidator, type ImportedContact, type RowReject } from './contact-row.js';
import { checkImportConsent, type ImportConsent, type MissingEvidence } from './import-consent.js';
import { mergeImportedContacts } from './merge-contacts.js';
import { SeenAddresses } from './seen-addresses.js';

/** What a user sees before importing: the detected format, the first rows and the suggested mapping. */
export interface ContactFilePreview {
  info: ContactFileInfo;
  tool: SourceTool;
  mapping: ColumnMapping;
  /** The first data rows (after the header row), as read. */
  rows: SourceRow[];
}

/**
 * Reads the start of a file and suggests how to import it. Overrides (header → field) are applied on top of
 * the suggestion, or a saved mapping replaces it.
 *
 * @example
 * const preview = await previewContactFile({ path: 'export.csv' }, { rows: 10 });
 * preview.info.encoding; preview.info.delimiter; preview.tool; preview.mapping.columns;
 */
export async function previewContactFile(
  input: ContactFileInput,
  options: { rows?: number; overrides?: MappingOverrides; mapping?: ColumnMapping } = {},
): Promise<ContactFilePreview> {
  let info = await sniffContactFile(input);
  if (info.format === 'csv' && info.encoding !== 'utf-16le' && info.encoding !== 'utf-16be') {
    // The whole file, not just its start: rows in another encoding can sit anywhere. On a conflict the
    // preview shows each line in the encoding it is valid in, and says so; the import needs a choice.
    const check = await checkContactFileEncoding(input);
    info = { ...info, encodingCheck: check };
    if (check.conflict) info = { ...info, encoding: 'per-line', encodingConflict: check.conflict };
    else if (info.encoding === 'utf-8' && !info.bom && check.windows1252Lines > 0)
      info = { ...info, encoding: 'windows-1252' };
  }
  const wanted = options.rows ?? 10;
  const first: SourceRow[] = [];
  for await (const batch of readContactRows(input, info, { batchSize: wanted + 10 })) {
    first.push(...batch);
    if (first.length >= wanted + 10) break;
  }
  const suggested = suggestMapping(first);
  let mapping = options.mapping ?? suggested.mapping;
  if (options.overrides) mapping = applyMappingOverrides(mapping, options.overrides);
  const header = mapping.headerRowNumber ?? 0;
  return {
    info,
    tool: suggested.tool,
    mapping,
    rows: first.filter((row) => row.rowNumber > header).slice(0, wanted),
  };
}

/**
 * Rows per chunk, one transaction each. A chunk is one synchronous stretch of the process (better-sqlite3
 * answers every statement at once): 5,000 rows held the desktop main process for ~150 ms at a time; 1,000
 * keep it under ~50 ms (issue 19: never more than 100 ms) at no cost in throughput (measured with
 * apps/cli/bench/main-process-busy.ts and the importer bench).
 */
export const IMPORT_CHUNK_ROWS = 1000;

/** The counts of one written chunk, as the store reports them. */
export interface ImportChunkResult {
  /** New contacts. */
  imported: number;
  /** Existing contacts that gained names or evidence. */
  updated: number;
  /** Existing contacts the file added nothing to. */
  unchanged: number;
  /** Rows whose address is suppressed or unsubscribed (kept blocked, never made mailable). */
  suppressed: number;
}

/** Where an import writes: the store (in one transaction per chunk) or nothing (a dry run). */
export interface ImportSink {
  writeChunk(chunk: ImportChunk): Promise<ImportChunkResult>;
}

export interface ImportChunk {
  contacts: ImportedContact[];
  rejects: RowReject[];
  /** Rows of this chunk whose address appeared earlier in the file. */
  duplicates: number;
  /** Data rows read so far, this chunk included. */
  rowsRead: number;
}

export interface ImportProgress {
  rowsRead: number;
  /** Data rows in the file, when the file was scanned first. */
  totalRows?: number;
}

export interface RunContactImportOptions {
  input: ContactFileInput;
  /** The info of a full scan (`scanContactFile`), so the encoding is confirmed for the whole file. */
  info: ContactFileInfo;
  mapping: ColumnMapping;
  consent: ImportConsent;
  attestationId?: string;
  /** ISO-8601 time of the import (from the injected clock). */
  importedAt: string;
  sink: ImportSink;
  signal?: AbortSignal;
  totalRows?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Rows per chunk (one transaction each). */
  chunkSize?: number;
}

/** How many domain typo suggestions a summary lists (the count covers all). */
export const MAX_SUGGESTION_SAMPLES = 100;

/** What came of an import. */
export interface ImportSummary extends ImportChunkResult {
  /** Data rows read (header row not counted). */
  rows: number;
  /** Rows whose address appeared earlier in the same file (merged into it). */
  duplicates: number;
  rejected: number;
  /** Rows with a suggested correction of a mistyped domain. */
  domainSuggestions: number;
  /** The first {@link MAX_SUGGESTION_SAMPLES} of them, to show the user (never applied). */
  suggestionSamples: { rowNumber: number; email: string; suggestion: string }[];
  missingEvidence: MissingEvidence[];
}

/**
 * Streams a file through validation into a sink, one chunk per transaction: rows are validated and
 * normalised, duplicates inside the file merged (evidence never lost), rejects collected with row numbers.
 * Between chunks it yields to the event loop and stops when `signal` is aborted (the chunks written so far
 * stay, and the caller records that the batch was cancelled).
 *
 * @example
 * const summary = await runContactImport({ input, info, mapping, consent, importedAt, sink });
 * summary.imported; summary.rejected;
 */
export async function runContactImport(options: RunContactImportOptions): Promise<ImportSummary> {
  const missingEvidence = checkImportConsent(options.consent, options.mapping);
  const validate = createRowValidator({
    mapping: options.mapping,
    consent: options.consent,
    importedAt: options.importedAt,
    ...(options.attestationId ? { attestationId: options.attestationId } : {}),
  });
  const chunkSize = options.chunkSize ?? IMPORT_CHUNK_ROWS;
  const headerRow = options.mapping.headerRowNumber ?? 0;
  // Addresses seen so far, as hashes outside the heap: a Set of a million strings would also keep alive the
  // chunks of file text they were sliced from (V8 sliced strings), hundreds of MB.
  const seen = new SeenAddresses();
  const summary: ImportSummary = {
    rows: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    suppressed: 0,
    duplicates: 0,
    rejected: 0,
    domainSuggestions: 0,
    suggestionSamples: [],
    missingEvidence,
  };
  let pending = new Map<string, ImportedContact>();
  let rejects: RowReject[] = [];
  let duplicates = 0;

  const flush = async (): Promise<void> => {
    if (pending.size === 0 && rejects.length === 0) return;
    const result = await options.sink.writeChunk({
      contacts: [...pending.values()],
      rejects,
      duplicates,
      rowsRead: summary.rows,
    });
    summary.imported += result.imported;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    summary.suppressed += result.suppressed;
    summary.duplicates += duplicates;
    summary.rejected += rejects.length;
    pending = new Map();
    rejects = [];
    duplicates = 0;
    options.onProgress?.({
      rowsRead: summary.rows,
      ...(options.totalRows === undefined ? {} : { totalRows: options.totalRows }),
    });
    // Let polls, progress bars and a cancel click through between two transactions.
    await yieldToEventLoop();
  };

  for await (const batch of readContactRows(options.input, options.info, {
    batchSize: 1000,
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    for (const row of batch) {
      if (row.rowNumber <= headerRow) continue;
      summary.rows += 1;
      const result = validate(row);
      if (!result.ok) {
        rejects.push(result.reject);
        continue;
      }
      const contact = result.contact;
      if (contact.domainSuggestion) {
        summary.domainSuggestions += 1;
        if (summary.suggestionSamples.length < MAX_SUGGESTION_SAMPLES) {
          summary.suggestionSamples.push({
            rowNumber: contact.rowNumber,
            email: contact.email,
            suggestion: contact.domainSuggestion,
          });
        }
      }
      if (!seen.add(contact.email)) {
        duplicates += 1;
        const earlier = pending.get(contact.email);
        // Same chunk: merge here. An earlier chunk: the store merges it, never downgrading what it holds.
        pending.set(contact.email, earlier ? mergeImportedContacts(earlier, contact) : contact);
      } else {
        pending.set(contact.email, contact);
      }
    }
    if (pending.size + rejects.length >= chunkSize) {
      options.signal?.throwIfAborted();
      await flush();
    }
  }
  options.signal?.throwIfAborted();
  await flush();
  return summary;
}
