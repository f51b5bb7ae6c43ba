// Reading a contact file: its format and encoding (a mixed file is refused until the user chooses), then
// its rows as a stream. Over 400 lines because sniffing, the encoding choice and the streaming reader share
// one sample and one set of limits (record size, unclosed quotes).
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { UserError } from '@consent-mailer/policy';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { detectDelimiter, detectLineBreak, type Delimiter, type LineBreak } from './delimiter.js';
import {
  assertLooksLikeText,
  createEncodingChecker,
  createPerLineDecoder,
  detectEncoding,
  SNIFF_BYTES,
  type EncodingCheck,
  type EncodingConflict,
  type FileEncoding,
  type TextEncodingName,
} from './text-encoding.js';

/** A contact file: a path on this machine (desktop, CLI) or uploaded content (the browser host). */
export type ContactFileInput = { path: string } | { content: Uint8Array; fileName: string };

export type ContactFileFormat = 'csv' | 'xlsx';

/** What the importer detected about a file before reading its rows. */
export interface ContactFileInfo {
  fileName: string;
  sizeBytes: number;
  format: ContactFileFormat;
  /** null for XLSX (the zip's XML carries its own encoding). `per-line` only when the owner chose it. */
  encoding: FileEncoding | null;
  /** Set when the file's rows disagree (UTF-8 and Windows-1252 rows): the import needs an explicit choice. */
  encodingConflict?: EncodingConflict;
  /** The whole-file encoding check, once done (the preview does it; the scan then need not read it again). */
  encodingCheck?: EncodingCheck;
  bom: boolean;
  bomLength: number;
  /** null for XLSX. */
  delimiter: Delimiter | null;
  lineBreak: LineBreak | null;
}

/** One record of the file: its 1-based number as the user sees it (the spreadsheet row) and its cells. */
export interface SourceRow {
  rowNumber: number;
  cells: string[];
}

/** One record may not exceed this many characters: beyond it, an opening quote was almost surely never closed. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Looks at the first 64 KB of a file: spreadsheet or text, and for text the encoding, BOM, delimiter and line
 * break. Refuses empty files, binary data and the old .xls format with a clear {@link UserError}.
 *
 * The encoding found here comes from the sample only; {@link scanContactFile} checks the whole file.
 *
 * @example
 * const info = await sniffContactFile({ path: 'klanten.csv' });
 * info.encoding;  // 'windows-1252'
 * info.delimiter; // ';'
 */
export async function sniffContactFile(input: ContactFileInput): Promise<ContactFileInfo> {
  const { sample, sizeBytes, fileName } = await readSample(input);
  if (sizeBytes === 0) throw emptyFile();
  if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) {
    return {
      fileName,
      sizeBytes,
      format: 'xlsx',
      encoding: null,
      bom: false,
      bomLength: 0,
      delimiter: null,
      lineBreak: null,
    };
  }
  if (sample[0] === 0xd0 && sample[1] === 0xcf && sample[2] === 0x11 && sample[3] === 0xe0) {
    throw new UserError('IMPORT_OLD_EXCEL_FORMAT', {
      en: 'This is an old Excel file (.xls). Open it in Excel and save it as "Excel workbook (.xlsx)" or "CSV", then import that file.',
      nl: 'Dit is een oud Excel-bestand (.xls). Open het in Excel en sla het op als "Excel-werkmap (.xlsx)" of "CSV", en importeer dat bestand.',
    });
  }
  const detected = detectEncoding(sample);
  const text = decodeSample(sample.subarray(detected.bomLength), detected.encoding);
  assertLooksLikeText(text);
  if (text.trim().length === 0) throw emptyFile();
  return {
    fileName,
    sizeBytes,
    format: 'csv',
    encoding: detected.encoding,
    bom: detected.bom,
    bomLength: detected.bomLength,
    delimiter: detectDelimiter(text),
    lineBreak: detectLineBreak(text),
  };
}

/** The result of reading the whole file once before anything is written. */
export interface ContactFileScan {
  info: ContactFileInfo;
  /** Records in the file, blank lines not counted, the header included. */
  records: number;
}

/**
 * Reads the whole file once without keeping it: confirms the encoding over every byte (a windows-1252
 * "ë" can sit deep inside a file whose start is plain ASCII), counts the records for the progress bar and
 * finds structural damage (an unclosed quote, a record over 16 MB) before the import writes anything.
 *
 * @example
 * const { info, records } = await scanContactFile({ path: 'export.csv' });
 */
export async function scanContactFile(
  input: ContactFileInput,
  options: { signal?: AbortSignal; info?: ContactFileInfo; encoding?: FileEncoding } = {},
): Promise<ContactFileScan> {
  let info = options.info ?? (await sniffContactFile(input));
  if (info.format === 'csv' && info.encoding !== 'utf-16le' && info.encoding !== 'utf-16be') {
    info = resolveEncoding(
      info,
      info.encodingCheck ?? (await checkContactFileEncoding(input)),
      options.encoding,
    );
  }
  let records = 0;
  for await (const batch of readContactRows(input, info, { signal: options.signal })) records += batch.length;
  if (records === 0) throw emptyFile();
  return { info, records };
}

/**
 * Reads every byte of a text file once to tell UTF-8, Windows-1252 and a mix of both apart (see
 * `createEncodingChecker`). Returns null for XLSX and UTF-16 files, which carry their encoding.
 *
 * @example
 * (await checkContactFileEncoding({ path: 'export.csv' }))?.conflict; // { utf8Line: 2, windows1252Line: 5, … }
 */
export async function checkContactFileEncoding(input: ContactFileInput): Promise<EncodingCheck> {
  const checker = createEncodingChecker();
  for await (const chunk of openByteStream(input, 0)) checker.push(chunk);
  return checker.end();
}

/**
 * The encoding a file is read in: the owner's explicit choice when given; a file whose rows disagree needs
 * one (never silent mojibake: "Zoë" read as "ZoÃ«"); otherwise UTF-8 unless a line is not UTF-8 (then
 * Windows-1252, as before: a "Zoë" 2 MB in).
 *
 * @throws {UserError} IMPORT_ENCODING_CHOICE_REQUIRED
 */
function resolveEncoding(
  info: ContactFileInfo,
  found: EncodingCheck,
  choice: FileEncoding | undefined,
): ContactFileInfo {
  let check = found;
  // A UTF-8 BOM says UTF-8, so a line that is not is a conflict too (it would read as "Zo\uFFFD").
  const conflict =
    check.conflict ??
    (info.bom && info.encoding === 'utf-8' && check.windows1252Lines > 0
      ? { utf8Line: 1, windows1252Line: 1, windows1252Lines: check.windows1252Lines }
      : undefined);
  if (conflict) check = { ...check, conflict };
  const withConflict = conflict ? { ...info, encodingConflict: conflict } : info;
  if (choice) return { ...withConflict, encoding: choice };
  if (check.conflict) throw encodingChoiceRequired(check.conflict);
  if (info.encoding === 'utf-8' && !info.bom && check.windows1252Lines > 0)
    return { ...info, encoding: 'windows-1252' };
  return info;
}

/**
 * The error for a file mixing UTF-8 and Windows-1252 rows when no encoding was chosen.
 *
 * @example
 * throw encodingChoiceRequired({ utf8Line: 2, windows1252Line: 3, windows1252Lines: 1 });
 */
export function encodingChoiceRequired(conflict: EncodingConflict): UserError {
  return new UserError('IMPORT_ENCODING_CHOICE_REQUIRED', {
    en: `This file mixes two text encodings: line ${conflict.utf8Line} is UTF-8, line ${conflict.windows1252Line} (and ${conflict.windows1252Lines - 1} more) Windows-1252, so read as one of them some names come out garbled ("Zoë" as "ZoÃ«"). Check the preview and choose how to read it: per line (each line in the encoding it is valid in; usually right for files pasted together), UTF-8 or Windows-1252.`,
    nl: `Dit bestand mengt twee tekstcoderingen: regel ${conflict.utf8Line} is UTF-8, regel ${conflict.windows1252Line} (en nog ${conflict.windows1252Lines - 1}) Windows-1252, dus in één codering gelezen worden sommige namen verminkt ("Zoë" als "ZoÃ«"). Bekijk het voorbeeld en kies hoe het gelezen wordt: per regel (elke regel in de codering waarin hij geldig is; meestal juist voor samengevoegde bestanden), UTF-8 of Windows-1252.`,
  });
}

/**
 * Streams the records of a file in batches (`batchSize` records, default 1000), with their row numbers.
 * Blank records are skipped (their numbers are not reused). Memory stays flat: one chunk of the file and
 * one batch are held at a time.
 *
 * @example
 * for await (const batch of readContactRows(input, info)) {
 *   for (const row of batch) console.log(row.rowNumber, row.cells);
 * }
 */
export async function* readContactRows(
  input: ContactFileInput,
  info: ContactFileInfo,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<SourceRow[]> {
  const batchSize = options.batchSize ?? 1000;
  if (info.format === 'xlsx') yield* readXlsxRows(input, batchSize, options.signal);
  else yield* readCsvRows(input, info, batchSize, options.signal);
}

async function* readCsvRows(
  input: ContactFileInput,
  info: ContactFileInfo,
  batchSize: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<SourceRow[]> {
  const decoder =
    info.encoding === 'per-line'
      ? createPerLineDecoder((bytes) => iconv.decode(Buffer.from(bytes), 'windows-1252'))
      : iconv.getDecoder(info.encoding ?? 'utf-8', { stripBOM: false });
  const parser = new Papa.Parser({ delimiter: info.delimiter ?? ',', newline: info.lineBreak ?? '\n' });
  let pending = '';
  let recordNumber = 0;
  let batch: SourceRow[] = [];

  const take = (text: string, final: boolean): SourceRow[][] => {
    const out: SourceRow[][] = [];
    const input = pending + text;
    const result = parser.parse(input, 0, !final) as PapaResult;
    const missing = result.errors.find((error) => error.code === 'MissingQuotes');
    if (missing) throw unclosedQuote(recordNumber + (missing.row ?? 0) + 1);
    const malformed = new Set(
      result.errors.map((error) => error.row).filter((row): row is number => row !== undefined),
    );
    pending = final ? '' : input.slice(result.meta.cursor);
    if (pending.length > MAX_RECORD_CHARS) throw recordTooLong(recordNumber + result.data.length + 1);
    for (let index = 0; index < result.data.length; index += 1) {
      recordNumber += 1;
      const cells = result.data[index] ?? [];
      if (isBlank(cells)) continue;
      // A record whose quotes papaparse had to guess at keeps its number, with no cells: it becomes a reject.
      batch.push({ rowNumber: recordNumber, cells: malformed.has(index) ? [MALFORMED_MARK] : cells });
      if (batch.length >= batchSize) {
        out.push(batch);
        batch = [];
      }
    }
    return out;
  };

  for await (const chunk of openByteStream(input, info.bomLength)) {
    signal?.throwIfAborted();
    const text = decoder.write(chunk as Buffer);
    // No line break in this chunk: no record can end in it, so skip re-parsing a long pending record.
    if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) {
      pending += text;
      if (pending.length > MAX_RECORD_CHARS) throw recordTooLong(recordNumber + 1);
      continue;
    }
    for (const ready of take(text, false)) yield ready;
  }
  for (const ready of take(decoder.end() ?? '', true)) yield ready;
  if (batch.length > 0) yield batch;
}

/** Put in place of the cells of a record with broken quoting, so validation rejects it with its number. */
export const MALFORMED_MARK = '\u0000malformed-quotes';

interface PapaResult {
  data: string[][];
  errors: { code: string; row?: number }[];
  meta: { cursor: number };
}

async function* readXlsxRows(
  input: ContactFileInput,
  batchSize: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<SourceRow[]> {
  // exceljs's streaming reader: sheets are read row by row from the zip without loading the workbook.
  // Styles are cached so that date-formatted numbers arrive as Dates, not as Excel serial numbers.
  const source = 'path' in input ? input.path : Readable.from([Buffer.from(input.content)]);
  // Loaded on first use: exceljs is a large module (~0.4 s and tens of MB) that CSV imports never need.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  let batch: SourceRow[] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        signal?.throwIfAborted();
        const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
        // exceljs rows are 1-based: values[0] is always empty.
        const cells = Array.from(values.slice(1), cellText);
        if (isBlank(cells)) continue;
        batch.push({ rowNumber: row.number, cells });
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      // Only the first sheet holds the contacts; the rest are notes, pivots or lookups.
      break;
    }
  } catch (error) {
    if (error instanceof UserError || (error instanceof Error && error.name === 'AbortError')) throw error;
    throw new UserError(
      'IMPORT_XLSX_UNREADABLE',
      {
        en: 'This spreadsheet cannot be read (it may be damaged, password-protected or not an Excel workbook). Open it in Excel, save it again as .xlsx or CSV, and import that file.',
        nl: 'Deze spreadsheet kan niet gelezen worden (beschadigd, met wachtwoord beveiligd of geen Excel-werkmap). Open hem in Excel, sla hem opnieuw op als .xlsx of CSV en importeer dat bestand.',
      },
      { cause: error },
    );
  }
  if (batch.length > 0) yield batch;
}

/** The text a user sees in a spreadsheet cell. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') {
    const cell = value as {
      richText?: { text: string }[];
      text?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error !== undefined) return '';
  }
  return '';
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

function openByteStream(input: ContactFileInput, skip: number): AsyncIterable<Uint8Array> {
  if ('path' in input) return createReadStream(input.path, { start: skip, highWaterMark: CHUNK_BYTES });
  const content = input.content;
  return (async function* () {
    for (let offset = skip; offset < content.length; offset += CHUNK_BYTES) {
      yield await Promise.resolve(content.subarray(offset, Math.min(offset + CHUNK_BYTES, content.length)));
    }
  })();
}

async function readSample(
  input: ContactFileInput,
): Promise<{ sample: Uint8Array; sizeBytes: number; fileName: string }> {
  if ('content' in input) {
    return {
      sample: input.content.subarray(0, SNIFF_BYTES),
      sizeBytes: input.content.length,
      fileName: input.fileName,
    };
  }
  let size: number;
  try {
    const stats = await stat(input.path);
    if (!stats.isFile()) throw new Error('not a file');
    size = stats.size;
  } catch (cause) {
    throw new UserError(
      'IMPORT_FILE_NOT_FOUND',
      {
        en: `The file ${input.path} cannot be opened. Check the name and folder, and that you may read it.`,
        nl: `Het bestand ${input.path} kan niet geopend worden. Controleer de naam en de map, en of u het mag lezen.`,
      },
      { cause },
    );
  }
  const handle = await open(input.path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { sample: buffer.subarray(0, bytesRead), sizeBytes: size, fileName: basename(input.path) };
  } finally {
    await handle.close();
  }
}

function decodeSample(bytes: Uint8Array, encoding: TextEncodingName): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, {
    stripBOM: false,
  });
}

function emptyFile(): UserError {
  return new UserError('IMPORT_EMPTY_FILE', {
    en: 'The file is empty. Export the contacts again and choose that file.',
    nl: 'Het bestand is leeg. Exporteer de contacten opnieuw en kies dat bestand.',
  });
}

function unclosedQuote(rowNumber: number): UserError {
  return new UserError('IMPORT_UNCLOSED_QUOTE', {
    en: `Row ${rowNumber} opens a quote (") that is never closed, so the rest of the file cannot be read reliably. Nothing was imported. Fix that row in a text editor or spreadsheet and import again.`,
    nl: `Rij ${rowNumber} opent een aanhalingsteken (") dat nergens gesloten wordt, dus de rest van het bestand is niet betrouwbaar te lezen. Er is niets geïmporteerd. Herstel die rij in een teksteditor of spreadsheet en importeer opnieuw.`,
  });
}

function recordTooLong(rowNumber: number): UserError {
  return new UserError('IMPORT_RECORD_TOO_LONG', {
    en: `Row ${rowNumber} is longer than 16 MB; most likely a quote (") is not closed there. Nothing was imported. Fix that row and import again.`,
    nl: `Rij ${rowNumber} is langer dan 16 MB; waarschijnlijk is daar een aanhalingsteken (") niet gesloten. Er is niets geïmporteerd. Herstel die rij en importeer opnieuw.`,
  });
}
