import type { Generated, Selectable } from 'kysely';

/** `domain_pacing`: per-recipient-domain limits of an SMTP profile (migration 0330). */
export interface DomainPacingTable {
  smtp_profile_id: string;
  domain: string;
  per_minute: number | null;
  per_hour: number | null;
  per_day: number | null;
  updated_at: string;
}
export type DomainPacingRow = Selectable<DomainPacingTable>;

declare module './smtp-profile.table.js' {
  interface SmtpProfileTable {
    /** NEW: a warm-up schedule applies from the profile's first send; ESTABLISHED: it does not. */
    sending_history: Generated<'NEW' | 'ESTABLISHED'>;
  }
}
