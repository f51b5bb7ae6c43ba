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

/**
 * How a file's text is decoded: one of {@link TEXT_ENCODINGS}, or `per-line` for a file whose rows disagree
 * (rows pasted together from a UTF-8 and a Windows-1252 export): each line is read as UTF-8 when it is valid
 * UTF-8, otherwise as Windows-1252. Only ever used when the owner chose it for such a file.
 */
export type FileEncoding = TextEncodingName | 'per-line';

/** Rows of one file written in different encodings: where each kind first shows up. */
export interface EncodingConflict {
  /** First line (1-based) with non-ASCII text that is valid UTF-8 ("Zoë" as C3 AB). */
  utf8Line: number;
  /** First line that is not valid UTF-8 (a Windows-1252 "ë", EB). */
  windows1252Line: number;
  /** Lines that are not valid UTF-8. */
  windows1252Lines: number;
}

/** What the whole-file check found about UTF-8 versus Windows-1252. */
export interface EncodingCheck {
  /** Some line holds non-ASCII text that is valid UTF-8. */
  utf8: boolean;
  /** Lines that are not valid UTF-8. */
  windows1252Lines: number;
  /** Set when both kinds occur: the import then needs the owner's choice. */
  conflict?: EncodingConflict;
}

/**
 * Checks every line of a file for UTF-8 validity, to tell a UTF-8 file, a Windows-1252 file and a file that
 * mixes both apart. Fast path: a block of whole lines that is valid UTF-8 is checked in one native decode;
 * only a block that fails is examined line by line.
 *
 * @example
 * const check = createEncodingChecker();
 * for await (const chunk of stream) check.push(chunk);
 * check.end().conflict; // { utf8Line: 2, windows1252Line: 3, windows1252Lines: 1 }
 */
export function createEncodingChecker(): { push(chunk: Uint8Array): void; end(): EncodingCheck } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry: Uint8Array = new Uint8Array(0);
  let line = 1;
  let utf8Line = 0;
  let windows1252Line = 0;
  let windows1252Lines = 0;

  const countLines = (bytes: Uint8Array): number => {
    let n = 0;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) n += 1;
    return n;
  };
  /** One pass, no exceptions: for each line, does it hold non-ASCII, and is that valid UTF-8. */
  const examineLines = (block: Uint8Array): void => {
    let high = false;
    let valid = true;
    let pending = 0;
    for (let i = 0; i <= block.length; i += 1) {
      const byte = i < block.length ? (block[i] ?? 0) : 0x0a;
      if (byte === 0x0a) {
        if (high) {
          if (valid && pending === 0) {
            if (utf8Line === 0) utf8Line = line;
          } else {
            windows1252Lines += 1;
            if (windows1252Line === 0) windows1252Line = line;
          }
        }
        if (i < block.length) line += 1;
        high = false;
        valid = true;
        pending = 0;
        continue;
      }
      if (byte < 0x80) {
        if (pending > 0) valid = false;
        pending = 0;
        continue;
      }
      high = true;
      if (!valid) continue;
      if (pending > 0) {
        if ((byte & 0xc0) === 0x80) pending -= 1;
        else valid = false;
      } else if (byte >= 0xc2 && byte <= 0xdf) pending = 1;
      else if (byte >= 0xe0 && byte <= 0xef) pending = 2;
      else if (byte >= 0xf0 && byte <= 0xf4) pending = 3;
      else valid = false;
    }
  };
  const examine = (block: Uint8Array): void => {
    if (block.length === 0) return;
    // Fast path (a UTF-8 file): the whole block decodes natively; only its line count is needed then, and
    // where its first non-ASCII line is until one was seen.
    if (utf8Line !== 0 || windows1252Lines === 0) {
      try {
        decoder.decode(block);
        if (utf8Line === 0) {
          examineLines(block);
          return;
        }
        line += countLines(block);
        return;
      } catch {
        // Some line is not UTF-8: go through the lines.
      }
    }
    examineLines(block);
  };
  return {
    push(chunk) {
      const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
      const last = bytes.lastIndexOf(0x0a);
      if (last === -1) {
        carry = bytes.slice();
        return;
      }
      examine(bytes.subarray(0, last + 1));
      carry = bytes.slice(last + 1);
    },
    end() {
      examine(carry);
      carry = new Uint8Array(0);
      const check: EncodingCheck = { utf8: utf8Line > 0, windows1252Lines };
      if (utf8Line > 0 && windows1252Lines > 0)
        check.conflict = { utf8Line, windows1252Line, windows1252Lines };
      return check;
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A streaming decoder for {@link FileEncoding} `per-line`: whole lines are decoded as UTF-8 when valid,
 * else as Windows-1252; a line cut by a chunk boundary waits for its end. Same shape as iconv's decoders.
 *
 * @example
 * const decoder = createPerLineDecoder(); decoder.write(chunk); decoder.end();
 */
export function createPerLineDecoder(decodeWindows1252: (bytes: Uint8Array) => string): {
  write(chunk: Uint8Array): string;
  end(): string;
} {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let carry: Uint8Array = new Uint8Array(0);
  const decodeBlock = (block: Uint8Array): string => {
    try {
      return utf8.decode(block);
    } catch {
      let out = '';
      let start = 0;
      for (let i = 0; i <= block.length; i += 1) {
        if (i < block.length && block[i] !== 0x0a) continue;
        const slice = block.subarray(start, Math.min(i + 1, block.length));
        try {
          out += utf8.decode(slice);
        } catch {
          out += decodeWindows1252(slice);
        }
        start = i + 1;
      }
      return out;
    }
  };
  return {
    write(chunk) {
      const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
      const last = bytes.lastIndexOf(0x0a);
      if (last === -1) {
        carry = bytes.slice();
        return '';
      }
      carry = bytes.slice(last + 1);
      return decodeBlock(bytes.subarray(0, last + 1));
    },
    end() {
      const rest = decodeBlock(carry);
      carry = new Uint8Array(0);
      return rest;
    },
  };
}
