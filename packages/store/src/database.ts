import type { AcknowledgementTable } from './acknowledgement.table.js';
import type { AcknowledgementRecipientTable } from './acknowledgement-recipient.table.js';
import type { AssessmentTable } from './assessment.table.js';
import type { AuthenticationCheckTable } from './authentication-check.table.js';
import type { BounceTable } from './bounce.table.js';
import type { ComplaintTable } from './complaint.table.js';
import type { ConsentTextVersionTable } from './consent-text-version.table.js';
import type { ConsentTable } from './consent.table.js';
import type { ContactTable } from './contact.table.js';
import type { DeliveryTable } from './delivery.table.js';
import type { DomainPacingTable } from './domain-pacing.table.js';
import type { EventPersonalTable, EventRowTable, EventTable } from './event.table.js';
import type { ImportBatchTable } from './import-batch.table.js';
import type {
  IntakeCheckpointTable,
  IntakeMailboxTable,
  IntakeMessageTable,
  SenderAlertTable,
} from './intake.table.js';
import type { ImportMappingTable } from './import-mapping.table.js';
import type { ListMembershipTable, ListTable } from './list.table.js';
import type { MailingTable } from './mailing.table.js';
import type { OptinEventTable, OptinServiceTable } from './optin.table.js';
import type { SenderEntityTable } from './sender-entity.table.js';
import type { SmtpProfileTable } from './smtp-profile.table.js';
import type { SuppressionTable } from './suppression.table.js';

/**
 * The kysely table map of the store: every table of docs/design.md "Core data", one `<name>.table.ts` each.
 * A helper who adds a table in its own migration adds its entry here (one line).
 */
export interface Database {
  contact: ContactTable;
  sender_entity: SenderEntityTable;
  consent_text_version: ConsentTextVersionTable;
  list: ListTable;
  list_membership: ListMembershipTable;
  import_batch: ImportBatchTable;
  import_mapping: ImportMappingTable;
  consent: ConsentTable;
  smtp_profile: SmtpProfileTable;
  mailing: MailingTable;
  assessment: AssessmentTable;
  acknowledgement: AcknowledgementTable;
  acknowledgement_recipient: AcknowledgementRecipientTable;
  delivery: DeliveryTable;
  suppression: SuppressionTable;
  complaint: ComplaintTable;
  bounce: BounceTable;
  event: EventTable;
  event_personal: EventPersonalTable;
  event_row: EventRowTable;
  intake_mailbox: IntakeMailboxTable;
  intake_checkpoint: IntakeCheckpointTable;
  intake_message: IntakeMessageTable;
  sender_alert: SenderAlertTable;
  authentication_check: AuthenticationCheckTable;
  domain_pacing: DomainPacingTable;
  optin_service: OptinServiceTable;
  optin_event: OptinEventTable;
}
