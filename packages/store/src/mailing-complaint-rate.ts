import type { Executor } from './event-log.js';

/** A mailing's delivered messages, the complaints about it and their ratio (0 before anything was sent), its hard bounces. */
export interface MailingComplaintRate {
  delivered: number;
  complaints: number;
  complaintRate: number;
  /** Hard bounces recorded for it (live SMTP replies and bounce messages read later). */
  hardBounces: number;
}

/**
 * Complaints about a mailing per delivered message: what M10 judges for the previous mailing, and what a
 * complaint dossier reports for the mailing complained about.
 *
 * @example
 * const { complaintRate } = await mailingComplaintRate(db, mailingId); // 0.004 = 0.4%
 */
export async function mailingComplaintRate(db: Executor, mailingId: string): Promise<MailingComplaintRate> {
  const delivered = await db
    .selectFrom('delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', mailingId)
    .where('state', '=', 'SENT')
    .executeTakeFirstOrThrow();
  const complaints = await db
    .selectFrom('complaint')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', mailingId)
    .executeTakeFirstOrThrow();
  const bounces = await db
    .selectFrom('bounce')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', mailingId)
    .where('kind', '=', 'HARD')
    .executeTakeFirstOrThrow();
  const sent = Number(delivered.n);
  const complained = Number(complaints.n);
  return {
    delivered: sent,
    complaints: complained,
    complaintRate: sent === 0 ? 0 : complained / sent,
    hardBounces: Number(bounces.n),
  };
}
