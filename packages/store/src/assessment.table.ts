import type { Classification } from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable } from 'kysely';

/** `assessment`: `counts` and `reasons` are JSON text. */
export interface AssessmentTable {
  id: string;
  mailing_id: string;
  policy_version: string;
  assessed_at: string;
  classification: Classification;
  counts: string;
  reasons: Generated<string>;
  recipient_set_hash: string;
  recipient_count: number;
  included_count: number;
  excluded_count: number;
  needs_acknowledgement_count: number;
}
export type AssessmentRow = Selectable<AssessmentTable>;
export type NewAssessmentRow = Insertable<AssessmentTable>;
