import type { ConsentMethod, LocalizedText } from '@consent-mailer/policy';
import type { ImportField } from '../import-field.js';

/**
 * What a status value of an old tool means for mailing:
 * - `subscribed`: nothing to carry over (consent is judged on the evidence);
 * - `unsubscribed`, `bounced`, `complained`, `blocklisted`: the address is suppressed with that reason;
 * - `noMarketing`: the person declined or withdrew marketing (Shopify "no"): recorded as an objection
 *   (`objectedAt`, rule G1), so it is BLOCKED whatever is signed;
 * - `unconfirmed`, `neverSubscribed`: an opt-in that was never finished, or never given. Not an unknown
 *   origin but a known absence of consent: kept as IMPORTED_UNKNOWN *without* the batch's attestation
 *   (rule U1, BLOCKED), so no acknowledgement can ever cover it;
 * - `unknown`: a value the profile does not know; the row is rejected rather than guessed.
 */
export type StatusOutcome =
  | 'subscribed'
  | 'unsubscribed'
  | 'bounced'
  | 'complained'
  | 'blocklisted'
  | 'noMarketing'
  | 'unconfirmed'
  | 'neverSubscribed';

/**
 * A consent method a row's own evidence proves without a question to the owner (a double opt-in the tool
 * confirmed: a confirmation time after the sign-up, and the IP of the click). Shown in the preview; used only
 * when the owner confirmed it (`ImportConsent.rowMethodFromEvidence`).
 */
export interface RowMethodRule {
  method: ConsentMethod;
  /** Evidence fields every such row has. */
  requires: ImportField[];
  /** The first time is before the second (a confirmation after the sign-up, not a copy of it). */
  before?: [ImportField, ImportField];
  text: LocalizedText;
}

/** Who a row of the source describes. */
export type PartyKind =
  /** Newsletter tools, webshops, address books: a person; a full name is split into first and last name. */
  | 'person'
  /**
   * Bookkeeping relations (Exact Online, Moneybird, e-Boekhouden): an organisation unless a column says it is
   * a private person; its name is a company name and is never split into "first name" and "last name".
   */
  | 'organisation';

/** One source tool's export: how to recognise it and what its columns and values mean. */
export interface SourceProfile {
  id: string;
  /** The tool's name as users know it. */
  name: string;
  /** The export files this profile covers (Mailchimp: subscribed, unsubscribed, cleaned). */
  files: string[];
  /** Where the column names and values come from (documentation, source code, public samples). */
  sources: string[];
  party: PartyKind;
  /**
   * Header keys (see `headerKey`) that name the tool, one entry per export variant (API, UI, language):
   * every key of `all`, and at least one of `any` when given. The profile matching most keys wins.
   */
  signatures: { all: string[]; any?: string[] }[];
  /** Header key -> field. Columns not listed fall back to the everyday Dutch/English names. */
  columns: Record<string, ImportField>;
  /** Status words (lower-cased, only letters and digits) -> outcome. */
  statuses?: Record<string, StatusOutcome>;
  /** Columns whose presence says something about every row (Mailchimp's unsubscribed file: UNSUB_TIME). */
  fileStatus?: { key: string; outcome: StatusOutcome }[];
  /** Values the tool writes for a field, translated before the field's own parser (e-Boekhouden BP=B). */
  values?: Partial<Record<ImportField, Record<string, string>>>;
  rowMethods?: RowMethodRule[];
  /**
   * The method the preview suggests for the whole file (a suggestion the owner confirms, never applied by
   * itself): CUSTOMER for shops, none for address books and bookkeeping relations (they hold no consent).
   * Left out: WEB_DOI when a confirmation column is mapped, else WEB_SOI.
   */
  suggestedMethod?: ConsentMethod | null;
  /** Times written without a zone are in this zone. */
  timeZone: 'UTC' | 'Europe/Amsterdam';
}
