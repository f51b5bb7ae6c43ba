import { isStrongerMethod, type ContactRecord } from '@consent-mailer/policy';
import type { ConsentRow } from './consent.table.js';
import type { ContactRow } from './contact.table.js';

/** The consent part of a policy `ContactRecord`: everything but the contact's own fields. */
export type ConsentEvidence = Omit<ContactRecord, 'email' | 'recipientKind' | 'addressKind'>;

/** The consent columns a caller can write (all but ids, contact, timestamps and status). */
export type ConsentColumns = Omit<ConsentRow, 'id' | 'contact_id' | 'status' | 'created_at' | 'updated_at'>;

/** Evidence field (policy name) -> column, for the fields stored as plain text. */
const TEXT_FIELDS = {
  signupAt: 'signup_at',
  signupIp: 'signup_ip',
  signupUserAgent: 'signup_user_agent',
  source: 'source',
  consentTextVersionId: 'consent_text_version_id',
  confirmMailSentAt: 'confirm_mail_sent_at',
  confirmTokenId: 'confirm_token_id',
  confirmedAt: 'confirmed_at',
  confirmIp: 'confirm_ip',
  confirmUserAgent: 'confirm_user_agent',
  phoneAgent: 'phone_agent',
  phoneRecordingRef: 'phone_recording_ref',
  paperScanRef: 'paper_scan_ref',
  orderRef: 'order_ref',
  orderAt: 'order_at',
  lastPurchaseAt: 'last_purchase_at',
  optOutOfferedAtCollection: 'opt_out_offered_at_collection',
  collectionTextVersionId: 'collection_text_version_id',
  publishedUrl: 'published_url',
  publishedCapturedAt: 'published_captured_at',
  publishedPurpose: 'published_purpose',
  attestationId: 'attestation_id',
  unsubscribedAt: 'unsubscribed_at',
  objectedAt: 'objected_at',
  complaintAt: 'complaint_at',
  complaintSource: 'complaint_source',
  hardBounceAt: 'hard_bounce_at',
  hardBounceStatus: 'hard_bounce_status',
  lastDeliveredAt: 'last_delivered_at',
  lastEngagedAt: 'last_engaged_at',
  reconfirmedAt: 'reconfirmed_at',
  customerRelationship: 'customer_relationship',
  trackingConsentAt: 'tracking_consent_at',
} as const satisfies Partial<Record<keyof ConsentEvidence, keyof ConsentColumns>>;

type TextField = keyof typeof TEXT_FIELDS;
const TEXT_FIELD_NAMES = Object.keys(TEXT_FIELDS) as TextField[];

/** Every consent column a write sets, in a fixed order (bulk statements are built from it). */
export const CONSENT_COLUMNS: readonly (keyof ConsentColumns)[] = [
  'sender_entity_id',
  'method',
  'scope_lists',
  'import_batch_id',
  ...Object.values(TEXT_FIELDS),
  'order_paid',
  'purchase_categories',
  'soft_bounces',
];

/** Status fields: once set they are never cleared by a merge (a withdrawal is never undone by an import). */
const STATUS_COLUMNS = ['unsubscribed_at', 'objected_at', 'complaint_at', 'hard_bounce_at'] as const;

/**
 * Converts consent evidence (policy names) into consent columns.
 *
 * @example
 * evidenceToColumns({ method: 'WEB_SOI', senderEntityId: 'e1', scopeLists: 'ALL', signupAt: '2026-01-01T00:00:00Z' });
 */
export function evidenceToColumns(
  evidence: ConsentEvidence,
  importBatchId: string | null = null,
): ConsentColumns {
  const columns: Record<string, unknown> = {
    sender_entity_id: evidence.senderEntityId,
    method: evidence.method,
    scope_lists: JSON.stringify(evidence.scopeLists),
    import_batch_id: importBatchId,
    order_paid: evidence.orderPaid === undefined ? null : evidence.orderPaid ? 1 : 0,
    purchase_categories:
      evidence.purchaseCategories === undefined ? null : JSON.stringify(evidence.purchaseCategories),
    soft_bounces: evidence.softBounces === undefined ? null : JSON.stringify(evidence.softBounces),
  };
  for (const field of TEXT_FIELD_NAMES) columns[TEXT_FIELDS[field]] = evidence[field] ?? null;
  return columns as unknown as ConsentColumns;
}

/**
 * Writes the consent column values of some evidence into `target` from `offset` on, in
 * {@link CONSENT_COLUMNS} order: the same values as {@link evidenceToColumns}, without an object per row
 * (the bulk import path; `target` is allocated once for the whole chunk). Returns the offset after them.
 *
 * @example
 * const values = new Array(rows.length * CONSENT_COLUMNS.length);
 * let offset = 0;
 * for (const row of rows) offset = writeConsentValues(values, offset, row, batchId);
 */
export function writeConsentValues(
  target: unknown[],
  offset: number,
  evidence: ConsentEvidence,
  importBatchId: string | null = null,
): number {
  let at = offset;
  target[at++] = evidence.senderEntityId;
  target[at++] = evidence.method;
  target[at++] = JSON.stringify(evidence.scopeLists);
  target[at++] = importBatchId;
  for (const field of TEXT_FIELD_NAMES) target[at++] = evidence[field] ?? null;
  target[at++] = evidence.orderPaid === undefined ? null : evidence.orderPaid ? 1 : 0;
  target[at++] =
    evidence.purchaseCategories === undefined ? null : JSON.stringify(evidence.purchaseCategories);
  target[at++] = evidence.softBounces === undefined ? null : JSON.stringify(evidence.softBounces);
  return at;
}

/**
 * Builds the policy `ContactRecord` of a contact and one of its consents (null fields are left out).
 *
 * @example
 * const record = toContactRecord(contactRow, consentRow);
 * classifyContact(record, mailing, { now });
 */
export function toContactRecord(
  contact: Pick<ContactRow, 'email' | 'recipient_kind' | 'address_kind'>,
  consent: Omit<ConsentRow, 'id' | 'contact_id' | 'created_at'>,
): ContactRecord {
  const record: Record<string, unknown> = {
    email: contact.email,
    recipientKind: contact.recipient_kind,
    addressKind: contact.address_kind,
    method: consent.method,
    senderEntityId: consent.sender_entity_id,
    scopeLists: JSON.parse(consent.scope_lists) as unknown,
  };
  for (const field of TEXT_FIELD_NAMES) {
    const value = consent[TEXT_FIELDS[field]];
    if (value !== null) record[field] = value;
  }
  if (consent.order_paid !== null) record.orderPaid = consent.order_paid === 1;
  if (consent.purchase_categories !== null)
    record.purchaseCategories = JSON.parse(consent.purchase_categories) as unknown;
  if (consent.soft_bounces !== null) record.softBounces = JSON.parse(consent.soft_bounces) as unknown;
  // A withdrawn consent without a recorded date still must never be mailable.
  if (
    consent.status === 'WITHDRAWN' &&
    record.unsubscribedAt === undefined &&
    record.objectedAt === undefined
  ) {
    record.unsubscribedAt = consent.updated_at;
  }
  return record as ContactRecord;
}

function mergeScope(existing: string, incoming: string): string {
  const a = JSON.parse(existing) as 'ALL' | string[];
  const b = JSON.parse(incoming) as 'ALL' | string[];
  if (a === 'ALL' || b === 'ALL') return JSON.stringify('ALL');
  return JSON.stringify([...new Set([...a, ...b])]);
}

function mergeSoftBounces(existing: string | null, incoming: string | null): string | null {
  if (existing === null || incoming === null) return existing ?? incoming;
  const all = [
    ...(JSON.parse(existing) as { at: string; mailingId: string }[]),
    ...(JSON.parse(incoming) as { at: string; mailingId: string }[]),
  ];
  const seen = new Map(all.map((bounce) => [`${bounce.mailingId}|${bounce.at}`, bounce]));
  return JSON.stringify([...seen.values()]);
}

/**
 * Merges new evidence into an existing consent without ever downgrading it: the stronger method wins and
 * its evidence comes first, the other side only fills gaps; status dates (unsubscribed, objected,
 * complaint, hard bounce) once set stay set; scopes are united. Returns the merged columns and whether
 * anything changed.
 *
 * @example
 * const { columns, changed } = mergeConsent(existingRow, evidenceToColumns(incoming));
 */
export function mergeConsent(
  existing: ConsentColumns,
  incoming: ConsentColumns,
): { columns: ConsentColumns; changed: boolean } {
  const upgrade = isStrongerMethod(incoming.method, existing.method);
  const first = upgrade ? incoming : existing;
  const second = upgrade ? existing : incoming;
  const merged: Record<string, unknown> = {};
  for (const column of CONSENT_COLUMNS) merged[column] = first[column] ?? second[column] ?? null;
  for (const column of STATUS_COLUMNS) merged[column] = existing[column] ?? incoming[column] ?? null;
  merged.complaint_source = existing.complaint_source ?? incoming.complaint_source ?? null;
  merged.scope_lists = mergeScope(existing.scope_lists ?? '"ALL"', incoming.scope_lists ?? '"ALL"');
  merged.soft_bounces = mergeSoftBounces(existing.soft_bounces, incoming.soft_bounces);
  // The batch that first brought the consent stays its origin.
  merged.import_batch_id = existing.import_batch_id ?? incoming.import_batch_id ?? null;
  const columns = merged as unknown as ConsentColumns;
  const changed = CONSENT_COLUMNS.some((column) => (existing[column] ?? null) !== (columns[column] ?? null));
  return { columns, changed };
}
