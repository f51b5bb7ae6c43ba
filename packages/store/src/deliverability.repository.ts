import { appendEvent, type Executor, type JsonValue } from './event-log.js';
import type { AuthenticationCheckRow } from './authentication-check.table.js';
import type { DomainPacingRow } from './domain-pacing.table.js';
import { inTransaction } from './transaction.js';

/** The verdicts of one DNS check of SPF / DKIM / DMARC, with the full report. */
export interface AuthenticationCheckInput {
  smtpProfileId: string;
  checkedAt: string;
  spfPass: boolean;
  dkimPass: boolean;
  dmarcPresent: boolean;
  aligned: boolean;
  report: JsonValue;
}

/**
 * Keeps the latest DNS authentication check of a profile (replacing the previous one), with an
 * `smtp_profile.authentication_checked` event: the check decides rule M7, so who may be mailed.
 *
 * @example
 * await saveAuthenticationCheck(db, { smtpProfileId, checkedAt, spfPass: true, dkimPass: true,
 *   dmarcPresent: true, aligned: true, report });
 */
export async function saveAuthenticationCheck(db: Executor, input: AuthenticationCheckInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const values = {
      checked_at: input.checkedAt,
      spf_pass: input.spfPass ? 1 : 0,
      dkim_pass: input.dkimPass ? 1 : 0,
      dmarc_present: input.dmarcPresent ? 1 : 0,
      aligned: input.aligned ? 1 : 0,
      report: JSON.stringify(input.report),
    } as const;
    await trx
      .insertInto('authentication_check')
      .values({ smtp_profile_id: input.smtpProfileId, ...values })
      .onConflict((oc) => oc.column('smtp_profile_id').doUpdateSet(values))
      .execute();
    await appendEvent(trx, {
      type: 'smtp_profile.authentication_checked',
      entity: 'smtp_profile',
      entityId: input.smtpProfileId,
      at: input.checkedAt,
      data: {
        source: 'DNS',
        spfPass: input.spfPass,
        dkimPass: input.dkimPass,
        dmarcPresent: input.dmarcPresent,
        aligned: input.aligned,
      },
    });
  });
}

/**
 * The latest DNS authentication check of a profile, if one was made.
 *
 * @example
 * const cached = await getAuthenticationCheck(db, profile.id);
 */
export async function getAuthenticationCheck(
  db: Executor,
  smtpProfileId: string,
): Promise<AuthenticationCheckRow | undefined> {
  return db
    .selectFrom('authentication_check')
    .selectAll()
    .where('smtp_profile_id', '=', smtpProfileId)
    .executeTakeFirst();
}

/** Limits for one recipient domain; all absent removes the override. */
export interface DomainPacingInput {
  smtpProfileId: string;
  domain: string;
  perMinute?: number | null;
  perHour?: number | null;
  perDay?: number | null;
}

/**
 * Sets (or, with no limits, removes) a profile's sending limits for one recipient domain, with an event.
 *
 * @example
 * await setDomainPacing(db, { smtpProfileId, domain: 'gmail.com', perMinute: 20 }, at);
 */
export async function setDomainPacing(db: Executor, input: DomainPacingInput, at: string): Promise<void> {
  const domain = input.domain.trim().toLowerCase();
  await inTransaction(db, async (trx) => {
    const limits = {
      per_minute: input.perMinute ?? null,
      per_hour: input.perHour ?? null,
      per_day: input.perDay ?? null,
    };
    if (limits.per_minute === null && limits.per_hour === null && limits.per_day === null) {
      await trx
        .deleteFrom('domain_pacing')
        .where('smtp_profile_id', '=', input.smtpProfileId)
        .where('domain', '=', domain)
        .execute();
    } else {
      await trx
        .insertInto('domain_pacing')
        .values({ smtp_profile_id: input.smtpProfileId, domain, ...limits, updated_at: at })
        .onConflict((oc) =>
          oc.columns(['smtp_profile_id', 'domain']).doUpdateSet({ ...limits, updated_at: at }),
        )
        .execute();
    }
    await appendEvent(trx, {
      type: 'smtp_profile.domain_pacing_set',
      entity: 'smtp_profile',
      entityId: input.smtpProfileId,
      at,
      data: { domain, perMinute: limits.per_minute, perHour: limits.per_hour, perDay: limits.per_day },
    });
  });
}

/**
 * A profile's per-domain overrides, by domain.
 *
 * @example
 * const overrides = await listDomainPacing(db, profile.id);
 */
export async function listDomainPacing(db: Executor, smtpProfileId: string): Promise<DomainPacingRow[]> {
  return db
    .selectFrom('domain_pacing')
    .selectAll()
    .where('smtp_profile_id', '=', smtpProfileId)
    .orderBy('domain')
    .execute();
}

/**
 * Marks a profile's sending domain/IP as NEW (warm-up applies) or ESTABLISHED, with an event.
 *
 * @example
 * await setSendingHistory(db, profile.id, 'ESTABLISHED', at);
 */
export async function setSendingHistory(
  db: Executor,
  smtpProfileId: string,
  history: 'NEW' | 'ESTABLISHED',
  at: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('smtp_profile')
      .set({ sending_history: history, updated_at: at })
      .where('id', '=', smtpProfileId)
      .execute();
    await appendEvent(trx, {
      type: 'smtp_profile.sending_history_set',
      entity: 'smtp_profile',
      entityId: smtpProfileId,
      at,
      data: { history },
    });
  });
}

/**
 * Changes the DKIM domain and selector of a profile (the key itself is a secret, stored by the caller),
 * with an event. Null for both switches DKIM off.
 *
 * @example
 * await updateSmtpProfileDkim(db, profile.id, { dkimDomain: 'bakkerij.nl', dkimSelector: 's2' }, at);
 */
export async function updateSmtpProfileDkim(
  db: Executor,
  smtpProfileId: string,
  dkim: { dkimDomain: string | null; dkimSelector: string | null },
  at: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('smtp_profile')
      .set({ dkim_domain: dkim.dkimDomain, dkim_selector: dkim.dkimSelector, updated_at: at })
      .where('id', '=', smtpProfileId)
      .execute();
    await appendEvent(trx, {
      type: 'smtp_profile.dkim_set',
      entity: 'smtp_profile',
      entityId: smtpProfileId,
      at,
      data: { domain: dkim.dkimDomain, selector: dkim.dkimSelector },
    });
  });
}

/**
 * When the first message through this profile was accepted, for the warm-up schedule; undefined before.
 *
 * @example
 * const first = await firstSendAt(db, profile.id);
 */
export async function firstSendAt(db: Executor, smtpProfileId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('delivery')
    .innerJoin('mailing', 'mailing.id', 'delivery.mailing_id')
    .select((eb) => eb.fn.min<string>('delivery.sent_at').as('first'))
    .where('mailing.smtp_profile_id', '=', smtpProfileId)
    .where('delivery.sent_at', 'is not', null)
    .executeTakeFirst();
  return row?.first ?? undefined;
}
