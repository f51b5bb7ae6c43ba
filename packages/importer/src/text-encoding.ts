import { UserError } from '@consent-mailer/policy';

/** The encodings contact files really come in (Dutch Excel writes windows-1252; "Unicode text" is UTF-16). */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** What {@link detectEncoding} found at the start of a file. */
export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** True when the file starts with a byte order mark. */
  bom: boolean;
  /** Bytes to skip before the text starts (the BOM). */
  bomLength: number;
}

/** How many bytes the detectors look at; large enough for many rows, small enough for a preview. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Detects the text encoding of a contact file from its first bytes: a BOM wins; without one, the pattern of
 * zero bytes reveals UTF-16 (every other byte of Latin text is 0); otherwise valid UTF-8 is UTF-8 and anything
 * else is Windows-1252 (a superset of ISO-8859-1 for every printable character, which is how browsers treat
 * "latin1" too). A sample cut in the middle of a UTF-8 character still counts as UTF-8.
 *
 * ISO-8859-1 is reported as windows-1252 on purpose: the two only differ in 0x80–0x9F, where ISO-8859-1 has
 * control characters no contact file contains, and Excel's "CSV" on Windows writes windows-1252 there (€, ‘ ’).
 *
 * @example
 * detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61])); // { encoding: 'utf-8', bom: true, bomLength: 3 }
 * detectEncoding(Buffer.from('Zo\xeb', 'latin1'));       // { encoding: 'windows-1252', bom: false, bomLength: 0 }
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    return { encoding: 'utf-8', bom: true, bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: true, bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: true, bomLength: 2 };

  const utf16 = guessUtf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bom: false, bomLength: 0 };
  return { encoding: isUtf8Prefix(sample) ? 'utf-8' : 'windows-1252', bom: false, bomLength: 0 };
}

function guessUtf16WithoutBom(sample: Uint8Array): TextEncodingName | undefined {
  const length = Math.min(sample.length, SNIFF_BYTES) & ~1;
  if (length < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < length; i += 2) {
    if (sample[i] === 0) zeroEven += 1;
    if (sample[i + 1] === 0) zeroOdd += 1;
  }
  const pairs = length / 2;
  // Latin text in UTF-16 has a zero in (nearly) every pair, always on the same side.
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** True when `sample` is valid UTF-8, allowing one character cut off at the end of the sample. */
function isUtf8Prefix(sample: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    // stream: true keeps an incomplete trailing sequence pending instead of failing on it.
    decoder.decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * A streaming UTF-8 validator for the whole file: the start of a file can be plain ASCII while "Zoë" in
 * windows-1252 only shows up 2 MB further, so the importer checks every byte before it trusts UTF-8.
 *
 * @example
 * const check = createUtf8Validator();
 * check.push(chunk); // false once an invalid byte sequence was seen
 * check.end();
 */
export function createUtf8Validator(): { push(chunk: Uint8Array): boolean; end(): boolean } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  return {
    push(chunk) {
      if (!valid) return false;
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        valid = false;
      }
      return valid;
    },
    end() {
      if (!valid) return false;
      try {
        decoder.decode();
      } catch {
        valid = false;
      }
      return valid;
    },
  };
}

/**
 * Refuses content that is not text: NUL characters (outside UTF-16) and control characters other than tab,
 * line feed, carriage return and form feed mean an image, a zip or an old .xls was chosen by mistake.
 *
 * @example
 * assertLooksLikeText('email\njan@example.nl\n'); // passes
 */
export function assertLooksLikeText(decodedSample: string): void {
  if (decodedSample.length === 0) return;
  let control = 0;
  for (let i = 0; i < decodedSample.length; i += 1) {
    const code = decodedSample.charCodeAt(i);
    if (code === 0) {
      control = decodedSample.length;
      break;
    }
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) control += 1;
  }
  if (control > decodedSample.length * 0.01) {
    throw new UserError('IMPORT_NOT_TEXT', {
      en: 'This file is not a text or spreadsheet file that can be imported (it looks like binary data). Export the contacts as CSV, TXT or XLSX and choose that file.',
      nl: 'Dit bestand is geen tekst- of spreadsheetbestand dat geïmporteerd kan worden (het lijkt binaire data). Exporteer de contacten als CSV, TXT of XLSX en kies dat bestand.',
    });
  }
}
