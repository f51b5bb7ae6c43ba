import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readContactRows,
  scanContactFile,
  sniffContactFile,
  type ContactFileInput,
  type SourceRow,
} from '../src/index.js';
import { PEOPLE, TEXT_FIXTURES, writeFixtureCorpus } from './fixture-corpus.js';

let dir: string;
let files: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'importer-corpus-'));
  files = await writeFixtureCorpus(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function allRows(input: ContactFileInput): Promise<SourceRow[]> {
  const { info } = await scanContactFile(input);
  const rows: SourceRow[] = [];
  for await (const batch of readContactRows(input, info)) rows.push(...batch);
  return rows;
}

function path(name: string): string {
  const found = files[name];
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

describe('every encoding and delimiter a contact file comes in', () => {
  it.each(TEXT_FIXTURES)(
    '$file is read as $encoding (BOM $bom) with delimiter $delimiter',
    async (fixture) => {
      const info = await sniffContactFile({ path: path(fixture.file) });
      expect(info).toMatchObject({
        format: 'csv',
        encoding: fixture.encoding,
        bom: fixture.bom,
        delimiter: fixture.delimiter,
      });
      const rows = await allRows({ path: path(fixture.file) });
      expect(rows.map((row) => row.cells)).toEqual([
        ['E-mailadres', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'Bedrijfsnaam'],
        ...PEOPLE,
      ]);
    },
  );

  it('reads uploaded content exactly like the same file on disk', async () => {
    const content = readFileSync(path('unicode-text-utf16le-bom.txt'));
    const fromUpload = await allRows({ content, fileName: 'unicode-text.txt' });
    expect(fromUpload).toEqual(await allRows({ path: path('unicode-text-utf16le-bom.txt') }));
  });

  it('keeps a quoted line break inside its field, skips a preamble line as data and counts rows as records', async () => {
    const rows = await allRows({ path: path('multiline.csv') });
    expect(rows[2]).toEqual({
      rowNumber: 3,
      cells: ['jan@example.nl', 'Jan', '', 'Smit', 'Smit & Zn\nAfdeling verkoop'],
    });
    expect(rows[3]?.rowNumber).toBe(4);
  });

  it('reads old Mac line breaks', async () => {
    const rows = await allRows({ path: path('mac-line-breaks.csv') });
    expect(rows[1]?.cells[0]).toBe('jan@example.nl');
  });

  it('switches to windows-1252 when a non-UTF-8 byte appears after the first 64 KB', async () => {
    const sniffed = await sniffContactFile({ path: path('late-windows-1252.csv') });
    expect(sniffed.encoding).toBe('utf-8');
    const { info, records } = await scanContactFile({ path: path('late-windows-1252.csv') });
    expect(info.encoding).toBe('windows-1252');
    expect(records).toBe(3002);
    const rows = await allRows({ path: path('late-windows-1252.csv') });
    expect(rows.at(-1)?.cells[1]).toBe('Zoë');
  });

  it('reads the first sheet of an XLSX workbook, with dates, hyperlinks and accents', async () => {
    const info = await sniffContactFile({ path: path('klanten.xlsx') });
    expect(info).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null });
    const rows = await allRows({ path: path('klanten.xlsx') });
    expect(rows).toHaveLength(6);
    expect(rows[1]?.cells).toEqual([
      'zoe@bakkerij-zoe.nl',
      'Zoë',
      '',
      'Jansen',
      'Bakkerij Zoë',
      '2024-03-01T09:30:00.000Z',
    ]);
    expect(rows[3]?.cells[2]).toBe("van 't");
    expect(rows[5]?.cells[0]).toBe('link@example.nl');
    expect(rows.flatMap((row) => row.cells)).not.toContain('niet@importeren.nl');
  });
});

describe('broken files get a clear error before anything is read as contacts', () => {
  it.each([
    ['empty.csv', 'IMPORT_EMPTY_FILE'],
    ['bom-only.csv', 'IMPORT_EMPTY_FILE'],
    ['binary.csv', 'IMPORT_NOT_TEXT'],
    ['old-excel.xls', 'IMPORT_OLD_EXCEL_FORMAT'],
    ['unclosed-quote.csv', 'IMPORT_UNCLOSED_QUOTE'],
  ])('%s fails with %s', async (name, code) => {
    await expect(scanContactFile({ path: path(name) })).rejects.toMatchObject({ code });
  });

  it('names the row where the unclosed quote starts', async () => {
    await expect(scanContactFile({ path: path('unclosed-quote.csv') })).rejects.toThrow(/Row 3 /);
  });

  it('says what to do when the file does not exist', async () => {
    await expect(sniffContactFile({ path: join(dir, 'missing.csv') })).rejects.toMatchObject({
      code: 'IMPORT_FILE_NOT_FOUND',
    });
  });

  it('refuses a damaged workbook with a clear error', async () => {
    const content = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]);
    await expect(scanContactFile({ content, fileName: 'kapot.xlsx' })).rejects.toMatchObject({
      code: 'IMPORT_XLSX_UNREADABLE',
    });
  });

  it('reads a 10 MB line as one record and carries on after it', async () => {
    const rows = await allRows({ path: path('ten-megabyte-line.csv') });
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4]);
    expect(rows[2]?.cells[1]).toHaveLength(10 * 1024 * 1024);
    expect(rows[3]?.cells[0]).toBe('na@example.nl');
  });
});
