import type { ConsentMethod, ImportField, RecipientKind } from '../../app/api-types.js';
import { importMessages } from './import.messages.js';

// Typed against the api: a field, method or kind the api adds without a text here fails typecheck.
const FIELD_LABELS: Record<ImportField, string> = importMessages.nl.fields;
const METHOD_LABELS: Record<ConsentMethod, string> = importMessages.nl.methods;
const KIND_LABELS: Record<RecipientKind, string> = importMessages.nl.recipientKinds;

/** Every column meaning, in the order the mapping select lists them. */
export const IMPORT_FIELDS = Object.keys(FIELD_LABELS) as ImportField[];
/** Consent methods, best evidence first. */
export const CONSENT_METHODS = Object.keys(METHOD_LABELS) as ConsentMethod[];
export const RECIPIENT_KINDS = Object.keys(KIND_LABELS) as RecipientKind[];

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
