// What an import and a single upsert share: the contact's own fields, how a stored contact is merged
// with new values without losing any, and the suppression refusal both give.
import { UserError, deriveAddressKind, type AddressKind, type RecipientKind } from '@consent-mailer/policy';
import { CONSENT_COLUMNS, type ConsentColumns } from './consent-evidence.js';

/** The contact's own fields, as a caller provides them. */
export interface ContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  organisation?: string | null;
  recipientKind?: RecipientKind;
  /** Derived from the address (`deriveAddressKind`) when absent. */
  addressKind?: AddressKind;
}

export function suppressedError(email: string): UserError {
  return new UserError('STORE_ADDRESS_SUPPRESSED', {
    en: `${email} is on the suppression list (unsubscribed, objected, complained, bounced or erased), so no consent can be recorded for it. Only the person can subscribe again, through a confirmed opt-in.`,
    nl: `${email} staat op de blokkeerlijst (afgemeld, bezwaar, klacht, gebounced of gewist), dus er kan geen toestemming voor worden vastgelegd. Alleen de persoon zelf kan zich opnieuw aanmelden, met een bevestigde opt-in.`,
  });
}

export interface MergedContact {
  email: string;
  hash: string;
  first_name: string | null;
  last_name: string | null;
  organisation: string | null;
  recipient_kind: RecipientKind;
  address_kind: AddressKind;
}

export function mergeContact(
  existing: MergedContact | undefined,
  input: ContactInput,
  email: string,
  hash: string,
): MergedContact {
  const incomingKind = input.recipientKind ?? 'UNKNOWN';
  const incomingAddressKind = input.addressKind ?? deriveAddressKind(email);
  if (existing === undefined) {
    return {
      email,
      hash,
      first_name: input.firstName ?? null,
      last_name: input.lastName ?? null,
      organisation: input.organisation ?? null,
      recipient_kind: incomingKind,
      address_kind: incomingAddressKind,
    };
  }
  // Names follow the newest source; the kinds that rules depend on are only filled in, never flipped.
  return {
    email,
    hash,
    first_name: input.firstName ?? existing.first_name,
    last_name: input.lastName ?? existing.last_name,
    organisation: input.organisation ?? existing.organisation,
    recipient_kind: existing.recipient_kind === 'UNKNOWN' ? incomingKind : existing.recipient_kind,
    address_kind: existing.address_kind === 'UNKNOWN' ? incomingAddressKind : existing.address_kind,
  };
}

export function sameContact(a: MergedContact, b: MergedContact): boolean {
  return (
    a.first_name === b.first_name &&
    a.last_name === b.last_name &&
    a.organisation === b.organisation &&
    a.recipient_kind === b.recipient_kind &&
    a.address_kind === b.address_kind
  );
}

export function columnsForEvent(columns: ConsentColumns): Record<string, string | number | null> {
  return Object.fromEntries(CONSENT_COLUMNS.map((column) => [column, columns[column]]));
}
