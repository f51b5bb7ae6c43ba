import Papa from 'papaparse';

/** The separators contact files use: `;` (Dutch Excel), `,`, tab ("Unicode text", TSV) and `|`. */
export const DELIMITERS = [';', ',', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export type LineBreak = '\r\n' | '\n' | '\r';

/**
 * Detects the field separator from the start of a decoded file with papaparse's guesser (the delimiter that
 * gives the most consistent field count over the first rows wins), limited to the four separators contact
 * files use. A file with a single column (one address per line) reports `,`, which then never splits anything.
 *
 * @example
 * detectDelimiter('E-mailadres;Voornaam\njan@example.nl;Jan\n'); // ';'
 * detectDelimiter('email\tname\njan@example.nl\tJan\n');        // '\t'
 */
export function detectDelimiter(sample: string): Delimiter {
  const result = Papa.parse<string[]>(dropPartialLastLine(sample), {
    delimitersToGuess: [...DELIMITERS],
    // A trailing line break makes an empty last row that would spoil the field-count statistics.
    skipEmptyLines: true,
    preview: 50,
  });
  const found = result.meta.delimiter;
  return (DELIMITERS as readonly string[]).includes(found) ? (found as Delimiter) : ',';
}

/**
 * Detects the line break: Windows `\r\n`, Unix `\n`, or old Mac Excel's lone `\r`.
 *
 * @example
 * detectLineBreak('a;b\r\nc;d\r\n'); // '\r\n'
 */
export function detectLineBreak(sample: string): LineBreak {
  const lf = sample.indexOf('\n');
  const cr = sample.indexOf('\r');
  if (lf === -1 && cr === -1) return '\n';
  if (lf === -1) return '\r';
  if (cr === -1) return '\n';
  return cr + 1 === lf ? '\r\n' : cr < lf ? '\r' : '\n';
}

function dropPartialLastLine(sample: string): string {
  const last = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
  return last > 0 && sample.length > 60_000 ? sample.slice(0, last) : sample;
}
