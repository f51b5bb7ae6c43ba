import { isStrongerMethod } from '@consent-mailer/policy';
import type { ImportedContact } from './contact-row.js';

/**
 * Merges two rows of the same file for the same address without ever losing evidence: values of the first
 * row stay, the second only fills gaps; the stronger method wins; an unsubscribe or hard bounce in either row
 * is kept (the earliest date), and so is an objection or an unfinished opt-in, so a duplicate can never make
 * an address mailable again.
 *
 * @example
 * mergeImportedContacts(rowWithSignupOnly, rowWithConfirmation).evidence; // both signupAt and confirmedAt
 */
export function mergeImportedContacts(first: ImportedContact, second: ImportedContact): ImportedContact {
  const method = isStrongerMethod(second.method, first.method) ? second.method : first.method;
  const merged: ImportedContact = {
    ...second,
    ...definedOnly(first),
    method,
    evidence: { ...definedOnly(second.evidence), ...definedOnly(first.evidence) },
  };
  for (const field of [
    'unsubscribedAt',
    'hardBounceAt',
    'complaintAt',
    'blocklistedAt',
    'objectedAt',
  ] as const) {
    const at = earliest(first[field], second[field]);
    if (at) merged[field] = at;
  }
  // One row saying the opt-in was never finished outweighs another claiming it: the address stays blocked.
  const unconsented = first.unconsented ?? second.unconsented;
  if (unconsented) {
    merged.unconsented = unconsented;
    merged.method = 'IMPORTED_UNKNOWN';
    delete merged.evidence.attestationId;
    delete merged.methodFromEvidence;
  }
  return merged;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, entry] of Object.entries(value) as [keyof T, T[keyof T]][])
    if (entry !== undefined) out[key] = entry;
  return out;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
