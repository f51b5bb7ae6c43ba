import type { Migration } from 'kysely/migration';
import { createContact } from './0010_create_contact.js';
import { createSenderEntity } from './0020_create_sender_entity.js';
import { createConsentTextVersion } from './0030_create_consent_text_version.js';
import { createList } from './0040_create_list.js';
import { createImportBatch } from './0050_create_import_batch.js';
import { createConsent } from './0060_create_consent.js';
import { createSmtpProfile } from './0070_create_smtp_profile.js';
import { createMailing } from './0080_create_mailing.js';
import { createAssessment } from './0090_create_assessment.js';
import { createAcknowledgement } from './0100_create_acknowledgement.js';
import { createDelivery } from './0110_create_delivery.js';
import { createSuppression } from './0120_create_suppression.js';
import { createComplaint } from './0130_create_complaint.js';
import { createBounce } from './0140_create_bounce.js';
import { createEvent } from './0150_create_event.js';
import { createEventRow } from './0160_create_event_row.js';
import { mergeAddressIdentities } from './0180_merge_address_identities.js';
import { addImportBatchOwner } from './0190_add_import_batch_owner.js';
import { sealSendingAndFeedback } from './0195_seal_sending_and_feedback.js';
import { addImportProgressAndMappings } from './0200_import_progress_and_mappings.js';
import { addSendingColumns } from './0300_add_sending_columns.js';
import { indexDeliveryClaims } from './0310_index_delivery_claims.js';
import { createAuthenticationCheck } from './0320_create_authentication_check.js';
import { createDomainPacing } from './0330_create_domain_pacing.js';
import { createAcknowledgementRecipient } from './0400_create_acknowledgement_recipient.js';
import { addCustomerRelationshipAndTrackingConsent } from './0170_add_customer_relationship_and_tracking_consent.js';
import { createIntake } from './0500_create_intake.js';
import { createOptin } from './0600_create_optin.js';
import { createContactSearch } from './0700_create_contact_search.js';

/**
 * Every migration, by name, forward only. A static record rather than a folder scan, because bundlers
 * (electron-vite) break file-system discovery (kysely#23). Names sort in the order they run; number ranges:
 * store 0010–0199, importer 0200–0299, mailer 0300–0399, acknowledgement 0400–0499, intake 0500–0599,
 * opt-in 0600–0699, performance (search index) 0700–0799. Add one line per new
 * migration; never edit or remove a committed one (the migration-chain test fails on destructive changes).
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0010_create_contact': createContact,
  '0020_create_sender_entity': createSenderEntity,
  '0030_create_consent_text_version': createConsentTextVersion,
  '0040_create_list': createList,
  '0050_create_import_batch': createImportBatch,
  '0060_create_consent': createConsent,
  '0070_create_smtp_profile': createSmtpProfile,
  '0080_create_mailing': createMailing,
  '0090_create_assessment': createAssessment,
  '0100_create_acknowledgement': createAcknowledgement,
  '0110_create_delivery': createDelivery,
  '0120_create_suppression': createSuppression,
  '0130_create_complaint': createComplaint,
  '0140_create_bounce': createBounce,
  '0150_create_event': createEvent,
  '0160_create_event_row': createEventRow,
  '0180_merge_address_identities': mergeAddressIdentities,
  '0190_add_import_batch_owner': addImportBatchOwner,
  '0195_seal_sending_and_feedback': sealSendingAndFeedback,
  '0200_import_progress_and_mappings': addImportProgressAndMappings,
  '0300_add_sending_columns': addSendingColumns,
  '0310_index_delivery_claims': indexDeliveryClaims,
  '0320_create_authentication_check': createAuthenticationCheck,
  '0330_create_domain_pacing': createDomainPacing,
  '0400_create_acknowledgement_recipient': createAcknowledgementRecipient,
  '0170_add_customer_relationship_and_tracking_consent': addCustomerRelationshipAndTrackingConsent,
  '0500_create_intake': createIntake,
  '0600_create_optin': createOptin,
  '0700_create_contact_search': createContactSearch,
};
