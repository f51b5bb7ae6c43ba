import type { Selectable } from 'kysely';

/** `authentication_check`: the last DNS check of SPF / DKIM / DMARC per SMTP profile (migration 0320). */
export interface AuthenticationCheckTable {
  smtp_profile_id: string;
  checked_at: string;
  spf_pass: 0 | 1;
  dkim_pass: 0 | 1;
  dmarc_present: 0 | 1;
  aligned: 0 | 1;
  /** The mailer's AuthenticationReport as JSON. */
  report: string;
}
export type AuthenticationCheckRow = Selectable<AuthenticationCheckTable>;
