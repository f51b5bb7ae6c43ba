import Papa from 'papaparse';
import type { RowReject } from './contact-row.js';

/** The columns of the rejects report, in order. */
export const REJECTS_REPORT_HEADER = ['row', 'code', 'column', 'value', 'reason_en', 'reason_nl'] as const;

/**
 * Formats rejects as CSV lines for the rejects report (UTF-8, `,`, CRLF). Cells that a spreadsheet would run
 * as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) are prefixed with `'` by papaparse's
 * `escapeFormulae`, so opening the report in Excel never executes what an imported file contained.
 * Pass `header: true` for the first chunk of a report.
 *
 * @example
 * formatRejectsCsv([{ rowNumber: 4, code: 'EMAIL_INVALID', value: '=HYPERLINK("x")', reason: { en: '…', nl: '…' } }], { header: true });
 * // 'row,code,column,value,reason_en,reason_nl\r\n4,EMAIL_INVALID,,"\'=HYPERLINK(""x"")",…\r\n'
 */
export function formatRejectsCsv(rejects: readonly RowReject[], options: { header?: boolean } = {}): string {
  const rows = rejects.map((reject) => [
    String(reject.rowNumber),
    reject.code,
    reject.column ?? '',
    reject.value ?? '',
    reject.reason.en,
    reject.reason.nl,
  ]);
  if (rows.length === 0) return options.header ? `${REJECTS_REPORT_HEADER.join(',')}\r\n` : '';
  const text = Papa.unparse(
    { fields: [...REJECTS_REPORT_HEADER], data: rows },
    { header: options.header ?? false, newline: '\r\n', escapeFormulae: true },
  );
  return `${text.replace(/(\r\n)+$/, '')}\r\n`;
}

/**
 * Removes from a rejects report every rejected row whose value mentions one of `needles` (compared
 * case-insensitively): what an erasure does to the reports of earlier imports, so the file keeps nothing
 * of the erased person. The header stays; formula neutralisation stays as written. Returns the new text
 * and how many rows went.
 *
 * @example
 * const { text, removed } = redactRejectsCsv(readFileSync(path, 'utf8'), ['jan@example.nl', 'Jansen']);
 */
export function redactRejectsCsv(
  text: string,
  needles: readonly string[],
): { text: string; removed: number } {
  const wanted = needles.map((needle) => needle.trim().toLowerCase()).filter((needle) => needle.length >= 3);
  if (wanted.length === 0) return { text, removed: 0 };
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (header === undefined) return { text, removed: 0 };
  const kept = rows.filter((row) => {
    const cells = row.join('\u0000').toLowerCase();
    return !wanted.some((needle) => cells.includes(needle));
  });
  if (kept.length === rows.length) return { text, removed: 0 };
  const body = Papa.unparse({ fields: header, data: kept }, { header: true, newline: '\r\n' });
  return { text: `${body.replace(/(\r\n)+$/, '')}\r\n`, removed: rows.length - kept.length };
}
