import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Generated } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import type { DatabaseConfig } from './config.js';

/** A sign-up waiting for, or past, its confirmation. Personal fields are cleared after retention. */
export interface SignupTable {
  id: string;
  email: string | null;
  email_hash: string;
  language: string;
  form_id: string;
  form_version: string;
  consent_text_version: string;
  consent_text_sha256: string;
  lists: string;
  signup_at: string;
  signup_ip: string | null;
  signup_user_agent: string | null;
  source: string | null;
  confirm_token_hash: string;
  token_expires_at: string;
  confirm_mail_sent_at: string | null;
  confirm_message_id: string | null;
  confirm_raw_mime: string | null;
  confirm_smtp_reply: string | null;
  confirmed_at: string | null;
  confirm_method: string | null;
  confirm_ip: string | null;
  confirm_user_agent: string | null;
  unsubscribe_token_hash: string;
  unsubscribed_at: string | null;
  last_event_seq: number | null;
}

/** A nonce the confirmation page issued; its POST must bring it back. */
export interface ConfirmNonceTable {
  nonce_hash: string;
  signup_id: string;
  expires_at: string;
  used_at: string | null;
}

/** One row per confirmation mail slot: the unique key makes the per-day limit atomic across instances. */
export interface MailSlotTable {
  email_hash: string;
  day: string;
  sent_at: string;
}

export interface IpHitTable {
  ip_hash: string;
  at: string;
}

export interface SuppressionTable {
  email_hash: string;
  at: string;
}

/** One-click tokens already handled (a repeat writes nothing). */
export interface UnsubscribeSeenTable {
  token_hash: string;
  at: string;
}

export interface FeedEventTable {
  seq: Generated<number>;
  id: string;
  type: string;
  at: string;
  data: string;
  signature: string;
}

export interface FeedCursorTable {
  name: string;
  pulled_through: number;
  pulled_at: string;
}

/**
 * The last feed number handed out. Numbers come from this row inside the transaction that writes the
 * event (not from a sequence, which PostgreSQL does not roll back): the feed has no gaps, and the row lock
 * makes events commit in number order, so the desktop can refuse any gap as a withheld event.
 */
export interface FeedCounterTable {
  name: string;
  last_seq: number;
}

/**
 * Altcha solutions already accepted, by their challenge's signature: a second use is a replay. Kept only
 * until the challenge expires, after which the expiry check refuses it anyway.
 */
export interface AltchaSpentTable {
  signature: string;
  expires_at: string;
}

export interface OptinSchema {
  signup: SignupTable;
  confirm_nonce: ConfirmNonceTable;
  mail_slot: MailSlotTable;
  ip_hit: IpHitTable;
  suppression: SuppressionTable;
  unsubscribe_seen: UnsubscribeSeenTable;
  feed_event: FeedEventTable;
  feed_cursor: FeedCursorTable;
  feed_counter: FeedCounterTable;
  altcha_spent: AltchaSpentTable;
}

export type OptinDb = Kysely<OptinSchema>;

/**
 * Opens the service's database: SQLite (one instance) or PostgreSQL (several instances behind a proxy).
 *
 * @example
 * const db = openOptinDatabase({ kind: 'sqlite', file: '/var/lib/optin/optin.sqlite' });
 */
export function openOptinDatabase(config: DatabaseConfig): { db: OptinDb; kind: DatabaseConfig['kind'] } {
  if (config.kind === 'sqlite') {
    const sqlite = new Database(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    return {
      db: new Kysely<OptinSchema>({ dialect: new SqliteDialect({ database: sqlite }) }),
      kind: 'sqlite',
    };
  }
  const pool = new pg.Pool({ connectionString: config.connectionString, max: 10 });
  // An idle connection that PostgreSQL closes (a restart, a failover, an administrator) is reported here and
  // dropped from the pool; the next query opens a new one. Without a listener node-postgres throws it as an
  // unhandled error and the whole service stops. Only the message: the error object carries the settings.
  pool.on('error', (error) => console.error(`PostgreSQL closed an idle connection: ${error.message}`));
  return { db: new Kysely<OptinSchema>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
}

function createTables(kind: DatabaseConfig['kind']): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('signup')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text')
        .addColumn('email_hash', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('form_id', 'text', (c) => c.notNull())
        .addColumn('form_version', 'text', (c) => c.notNull())
        .addColumn('consent_text_version', 'text', (c) => c.notNull())
        .addColumn('consent_text_sha256', 'text', (c) => c.notNull())
        .addColumn('lists', 'text', (c) => c.notNull())
        .addColumn('signup_at', 'text', (c) => c.notNull())
        .addColumn('signup_ip', 'text')
        .addColumn('signup_user_agent', 'text')
        .addColumn('source', 'text')
        .addColumn('confirm_token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('token_expires_at', 'text', (c) => c.notNull())
        .addColumn('confirm_mail_sent_at', 'text')
        .addColumn('confirm_message_id', 'text')
        .addColumn('confirm_raw_mime', 'text')
        .addColumn('confirm_smtp_reply', 'text')
        .addColumn('confirmed_at', 'text')
        .addColumn('confirm_method', 'text')
        .addColumn('confirm_ip', 'text')
        .addColumn('confirm_user_agent', 'text')
        .addColumn('unsubscribe_token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('unsubscribed_at', 'text')
        .addColumn('last_event_seq', 'integer')
        .execute();
      await db.schema.createIndex('signup_by_email_hash').on('signup').column('email_hash').execute();
      await db.schema
        .createTable('confirm_nonce')
        .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
        .addColumn('signup_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createTable('mail_slot')
        .addColumn('email_hash', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('mail_slot_pk', ['email_hash', 'day'])
        .execute();
      await db.schema
        .createTable('ip_hit')
        .addColumn('ip_hash', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ip_hit_by_ip_hash_at').on('ip_hit').columns(['ip_hash', 'at']).execute();
      await db.schema
        .createTable('suppression')
        .addColumn('email_hash', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('unsubscribe_seen')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('feed_event')
        .addColumn('seq', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('feed_cursor')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('pulled_through', 'integer', (c) => c.notNull())
        .addColumn('pulled_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** The feed counter, started at the highest number already handed out. */
const gaplessFeedNumbers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('feed_counter')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO feed_counter (name, last_seq)
      SELECT 'feed', COALESCE(MAX(seq), 0) FROM feed_event`.execute(db);
  },
};

/** Spent Altcha challenges (the opt-in service's migrations from here on number 0600–0699). */
const altchaSpent: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('altcha_spent')
      // The primary key makes "accept once" atomic across concurrent requests and instances.
      .addColumn('signature', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('altcha_spent_by_expires_at')
      .on('altcha_spent')
      .column('expires_at')
      .execute();
  },
};

/** Migrations as a static record (file-system discovery breaks in bundles). */
function migrationProvider(kind: DatabaseConfig['kind']): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve({
        '0010_create_optin_tables': createTables(kind),
        '0020_gapless_feed_numbers': gaplessFeedNumbers,
        '0600_create_altcha_spent': altchaSpent,
      }),
  };
}

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateOptinDatabase(db: OptinDb, kind: DatabaseConfig['kind']): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(kind) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('The opt-in database migration failed');
}
