import type { Insertable, Selectable, Updateable } from 'kysely';

export type SmtpSecurity = 'TLS' | 'STARTTLS' | 'NONE';

/** `smtp_profile`: server, limits and identity. No secrets: `secret_ref` names where the password lives. */
export interface SmtpProfileTable {
  id: string;
  sender_entity_id: string | null;
  name: string;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  secret_ref: string | null;
  from_name: string | null;
  from_address: string;
  reply_to: string | null;
  max_per_minute: number | null;
  max_per_hour: number | null;
  max_per_day: number | null;
  created_at: string;
  updated_at: string;
}
export type SmtpProfileRow = Selectable<SmtpProfileTable>;
export type NewSmtpProfileRow = Insertable<SmtpProfileTable>;
export type SmtpProfileRowUpdate = Updateable<SmtpProfileTable>;
