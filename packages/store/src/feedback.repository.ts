import type { ComplaintSource } from '@consent-mailer/policy';
import { normalizeEmailAddress } from '@consent-mailer/policy';
import { addressHash } from './address-hash.js';
import { appendEvent, type Executor } from './event-log.js';
import './sending-columns.js';
import { addSuppression } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** A complaint to record. */
export interface ComplaintInput {
  email: string;
  source: ComplaintSource;
  receivedAt: string;
  mailingId?: string | null;
  deliveryId?: number | null;
  /** A case number or the report's Message-ID. */
  reference?: string | null;
  detail?: string | null;
}

/**
 * Records a complaint (spamklacht.nl, hoster, datacenter, ARF, by hand): a complaint row, a COMPLAINT
 * suppression (and `complaint_at` on the consents), and a `complaint.recorded` event, in one transaction.
 *
 * @example
 * await recordComplaint(db, { email: 'klager@example.net', source: 'SPAMKLACHT', receivedAt: at }, at);
 */
export async function recordComplaint(
  db: Executor,
  input: ComplaintInput,
  at: string,
): Promise<{ id: number; addressHash: string }> {
  const hash = addressHash(normalizeEmailAddress(input.email));
  return inTransaction(db, async (trx) => {
    const about = await feedbackSubject(trx, hash, input);
    const row = await trx
      .insertInto('complaint')
      .values({
        ...about,
        source: input.source,
        received_at: input.receivedAt,
        reference: input.reference ?? null,
        detail: input.detail ?? null,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addSuppression(trx, {
      addressHash: hash,
      reason: 'COMPLAINT',
      source: input.source,
      complaintSource: input.source,
      at,
    });
    await appendFeedbackEvent(trx, 'complaint', row.id, about, at, { source: input.source });
    return { id: row.id, addressHash: hash };
  });
}

/** A bounce to record (from an imported DSN). */
export interface BounceInput {
  email: string;
  kind: 'HARD' | 'SOFT';
  status?: string | null;
  diagnostic?: string | null;
  receivedAt: string;
  mailingId?: string | null;
  deliveryId?: number | null;
}

/**
 * Records a bounce: a bounce row and a `bounce.recorded` event; a HARD bounce also suppresses the address
 * (and sets `hard_bounce_at` on its consents); a SOFT one is added to the consents' `soft_bounces` (rule G4).
 *
 * @example
 * await recordBounce(db, { email: 'weg@example.org', kind: 'HARD', status: '5.1.1', receivedAt: at }, at);
 */
export async function recordBounce(
  db: Executor,
  input: BounceInput,
  at: string,
): Promise<{ id: number; addressHash: string }> {
  const hash = addressHash(normalizeEmailAddress(input.email));
  return inTransaction(db, async (trx) => {
    const about = await feedbackSubject(trx, hash, input);
    const contactId = about.contact_id;
    const id = await insertBounce(
      trx,
      about,
      {
        kind: input.kind,
        status: input.status ?? null,
        diagnostic: input.diagnostic ?? null,
        receivedAt: input.receivedAt,
        source: 'DSN',
      },
      at,
    );
    if (input.kind === 'SOFT' && contactId !== null && input.mailingId) {
      const consents = await trx
        .selectFrom('consent')
        .select(['id', 'soft_bounces'])
        .where('contact_id', '=', contactId)
        .execute();
      for (const consent of consents) {
        const bounces = consent.soft_bounces
          ? (JSON.parse(consent.soft_bounces) as { at: string; mailingId: string }[])
          : [];
        bounces.push({ at: input.receivedAt, mailingId: input.mailingId });
        await trx
          .updateTable('consent')
          .set({ soft_bounces: JSON.stringify(bounces), updated_at: at })
          .where('id', '=', consent.id)
          .execute();
      }
    }
    await appendFeedbackEvent(trx, 'bounce', id, about, at, {
      kind: input.kind,
      status: input.status ?? null,
    });
    return { id, addressHash: hash };
  });
}

/**
 * Writes one bounce: its row and, for a HARD bounce, the HARD_BOUNCE suppression (which also sets
 * `hard_bounce_at` on the address's consents). The one place for both paths, a DSN from the intake mailbox
 * (`recordBounce`) and a live SMTP reply (`recordDeliveryOutcomes`); the caller writes the event.
 */
export async function insertBounce(
  trx: Executor,
  about: FeedbackSubject,
  bounce: {
    kind: 'HARD' | 'SOFT';
    status: string | null;
    diagnostic: string | null;
    receivedAt: string;
    /** The suppression's source: 'DSN' or 'SMTP'. */
    source: string;
  },
  at: string,
): Promise<number> {
  const row = await trx
    .insertInto('bounce')
    .values({
      ...about,
      kind: bounce.kind,
      status: bounce.status,
      diagnostic: bounce.diagnostic?.slice(0, 1000) ?? null,
      received_at: bounce.receivedAt,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (bounce.kind === 'HARD') {
    await addSuppression(trx, {
      addressHash: about.address_hash,
      reason: 'HARD_BOUNCE',
      source: bounce.source,
      ...(bounce.status ? { hardBounceStatus: bounce.status } : {}),
      at,
    });
  }
  return row.id;
}

/** What a complaint or bounce is about: the address, its contact (if it still is one), mailing and delivery. */
export interface FeedbackSubject {
  address_hash: string;
  contact_id: number | null;
  mailing_id: string | null;
  delivery_id: number | null;
}

async function feedbackSubject(
  trx: Executor,
  hash: string,
  input: { mailingId?: string | null; deliveryId?: number | null },
): Promise<FeedbackSubject> {
  const contact = await trx
    .selectFrom('contact')
    .select('id')
    .where('address_hash', '=', hash)
    .executeTakeFirst();
  return {
    address_hash: hash,
    contact_id: contact?.id ?? null,
    mailing_id: input.mailingId ?? null,
    delivery_id: input.deliveryId ?? null,
  };
}

/** The ledger entry of a complaint or bounce (`complaint.recorded`, `bounce.recorded`): its fields and subject. */
async function appendFeedbackEvent(
  trx: Executor,
  entity: 'complaint' | 'bounce',
  id: number,
  about: FeedbackSubject,
  at: string,
  fields: Record<string, string | null>,
): Promise<void> {
  await appendEvent(trx, {
    type: `${entity}.recorded`,
    entity,
    entityId: id,
    at,
    data: {
      ...fields,
      mailingId: about.mailing_id,
      deliveryId: about.delivery_id,
      addressHash: about.address_hash,
    },
  });
}
