import type { ImportField } from '../../app/api-types.js';
import { importMessages } from './import.messages.js';

// Typed against the api: a field the api adds without a text here fails typecheck.
const FIELD_LABELS: Record<ImportField, string> = importMessages.nl.fields;

/** Every column meaning, in the order the mapping select lists them. */
export const IMPORT_FIELDS = Object.keys(FIELD_LABELS) as ImportField[];

/** How a delimiter is called in the preview. */
export function delimiterKey(delimiter: string | null): 'comma' | 'semicolon' | 'tab' | 'pipe' | null {
  switch (delimiter) {
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '\t':
      return 'tab';
    case '|':
      return 'pipe';
    default:
      return null;
  }
}
