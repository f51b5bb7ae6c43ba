import type { Insertable, Selectable } from 'kysely';

export type ConsentTextKind = 'CONSENT' | 'COLLECTION' | 'PHONE_SCRIPT' | 'ACKNOWLEDGEMENT' | 'OTHER';

/** `consent_text_version`: immutable; `id` is the sha256 (hex) of `body`. */
export interface ConsentTextVersionTable {
  id: string;
  kind: ConsentTextKind;
  language: string;
  label: string;
  body: string;
  created_at: string;
}
export type ConsentTextVersionRow = Selectable<ConsentTextVersionTable>;
export type NewConsentTextVersionRow = Insertable<ConsentTextVersionTable>;
