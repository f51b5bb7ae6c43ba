import { UserError } from '@consent-mailer/policy';
import { appendEvent, type Executor } from './event-log.js';
import type { SmtpProfileRow, SmtpSecurity } from './smtp-profile.table.js';
import './sending-columns.js';
import { inTransaction } from './transaction.js';

/** An SMTP profile as the api writes it. Never a password: `secretRef` names where it lives. */
export interface SmtpProfileInput {
  id: string;
  name: string;
  senderEntityId?: string | null;
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string | null;
  secretRef?: string | null;
  fromName?: string | null;
  fromAddress: string;
  replyTo?: string | null;
  maxPerMinute?: number | null;
  maxPerHour?: number | null;
  maxPerDay?: number | null;
  connections: number;
  dkimDomain?: string | null;
  dkimSelector?: string | null;
  spfDeclared?: boolean;
  dmarcDeclared?: boolean;
}

/**
 * Adds an SMTP profile with an `smtp_profile.created` event (host and limits, never credentials).
 *
 * @throws {UserError} SMTP_PROFILE_EXISTS when the name is taken.
 * @example
 * await createSmtpProfile(db, { id, name: 'main', host: 'smtp.example.nl', port: 587, security: 'STARTTLS',
 *   fromAddress: 'nieuws@example.nl', connections: 2 }, at);
 */
export async function createSmtpProfile(
  db: Executor,
  input: SmtpProfileInput,
  at: string,
): Promise<SmtpProfileRow> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('smtp_profile')
      .select('id')
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing) {
      throw new UserError('SMTP_PROFILE_EXISTS', {
        en: `An SMTP profile named "${input.name}" already exists. Choose another name.`,
        nl: `Er bestaat al een SMTP-profiel met de naam "${input.name}". Kies een andere naam.`,
      });
    }
    const row = await trx
      .insertInto('smtp_profile')
      .values({
        id: input.id,
        name: input.name,
        sender_entity_id: input.senderEntityId ?? null,
        host: input.host,
        port: input.port,
        security: input.security,
        username: input.username ?? null,
        secret_ref: input.secretRef ?? null,
        from_name: input.fromName ?? null,
        from_address: input.fromAddress,
        reply_to: input.replyTo ?? null,
        max_per_minute: input.maxPerMinute ?? null,
        max_per_hour: input.maxPerHour ?? null,
        max_per_day: input.maxPerDay ?? null,
        connections: input.connections,
        dkim_domain: input.dkimDomain ?? null,
        dkim_selector: input.dkimSelector ?? null,
        spf_declared: input.spfDeclared ? 1 : 0,
        dmarc_declared: input.dmarcDeclared ? 1 : 0,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'smtp_profile.created',
      entity: 'smtp_profile',
      entityId: row.id,
      at,
      data: {
        name: row.name,
        host: row.host,
        port: row.port,
        security: row.security,
        connections: row.connections,
      },
    });
    return row;
  });
}

/**
 * All SMTP profiles, by name.
 *
 * @example
 * const profiles = await listSmtpProfiles(db);
 */
export async function listSmtpProfiles(db: Executor): Promise<SmtpProfileRow[]> {
  return db.selectFrom('smtp_profile').selectAll().orderBy('name').execute();
}

/**
 * One SMTP profile by id or name.
 *
 * @throws {UserError} SMTP_PROFILE_NOT_FOUND
 * @example
 * const profile = await getSmtpProfile(db, 'main');
 */
export async function getSmtpProfile(db: Executor, idOrName: string): Promise<SmtpProfileRow> {
  const row = await db
    .selectFrom('smtp_profile')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();
  if (!row) {
    throw new UserError('SMTP_PROFILE_NOT_FOUND', {
      en: `There is no SMTP profile "${idOrName}". Run "consent-mailer smtp list" to see the names.`,
      nl: `Er is geen SMTP-profiel "${idOrName}". Gebruik "consent-mailer smtp list" om de namen te zien.`,
    });
  }
  return row;
}
