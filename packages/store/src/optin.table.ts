import type { Generated, Selectable } from 'kysely';

/**
 * `optin_service`: the opt-in service the desktop is paired with, its pinned Ed25519 key (SPKI PEM) and
 * where the pull stands. Never the feed token: `token_ref` names the secret that holds it. The last three
 * columns are pull bookkeeping (left out of the row seal).
 */
export interface OptinServiceTable {
  id: string;
  url: string;
  public_key: string;
  /** sha256 (hex) of the key's DER (SPKI) bytes: what the owner compares with the service's `/key`. */
  key_fingerprint: string;
  /** The sender entity the consents given through the service belong to. */
  sender_entity_id: string;
  token_ref: string;
  paired_at: string;
  unpaired_at: string | null;
  last_pulled_seq: Generated<number>;
  last_pull_at: string | null;
  last_pull_ok_at: string | null;
  last_pull_error: string | null;
}
export type OptinServiceRow = Selectable<OptinServiceTable>;

/** `optin_event`: one signed event of the service's feed, exactly as pulled, with what it led to. */
export interface OptinEventTable {
  id: Generated<number>;
  service_id: string;
  seq: number;
  event_id: string;
  type: string;
  at: string;
  /** The event's data as JSON text (the signature covers its canonical form). */
  data: string;
  /** base64 Ed25519 signature over the canonical JSON of { id, type, at, data }. */
  signature: string;
  contact_id: number | null;
  /** What the desktop did with it: CONTACT_CONSENTED, SUPPRESSED, LISTS_CHANGED, RECORDED, … */
  outcome: string;
  pulled_at: string;
}
export type OptinEventRow = Selectable<OptinEventTable>;
