export type { Database } from './database.js';
export { openStore, createStore, fullIntegrityProblems } from './store.js';
export type { Store, OpenStoreOptions, StoreHealth } from './store.js';
export { MIGRATIONS } from './migrations/migrations.js';
export { migrateToLatest, schemaStatus } from './migrations/migrate.js';
export type { SchemaStatus } from './migrations/migrate.js';
export {
  appendEvent,
  appendEventSync,
  verifyChain,
  computeEventHash,
  eventContent,
  GENESIS_HASH,
  SEALED_ROWS_KEY,
} from './event-log.js';
export { getEvent, eventsBetween, eventsOf, eventsOfType } from './event-queries.js';
export type {
  Executor,
  JsonValue,
  NewEvent,
  ChainVerification,
  ChainBreak,
  VerifyChainOptions,
  SealedRowsCommitment,
} from './event-log.js';
export {
  ANCHOR_KEY_EVENT,
  chainHead,
  anchorMessage,
  anchorPathFor,
  checkAnchor,
  describeAnchorProblem,
  makeAnchor,
  parseAnchor,
  pinnedAnchorKey,
  readAnchorFile,
  writeAnchorFile,
} from './chain-anchor.js';
export type {
  AnchorCheck,
  AnchorCheckOptions,
  AnchorProblem,
  AnchorSigner,
  ChainAnchor,
} from './chain-anchor.js';
export { LEDGER_TRIGGERS, missingTrigger, verifyRows } from './ledger-verification.js';
export type { RowFinding, RowVerification } from './ledger-verification.js';
export { SEALED_TABLES, rowDigest, partHash } from './row-seal.js';
export type { SealedTableShape } from './row-seal.js';
export { rowCommitment, type RowCommitment } from './row-commitment.js';
export { mailingComplaintRate, type MailingComplaintRate } from './mailing-complaint-rate.js';
export {
  collectPersonEvidence,
  optinEventsAbout,
  type PersonComplaint,
  type PersonDelivery,
  type PersonEvidence,
  type PersonOptinEventRow,
} from './person-evidence.js';
export { inTransaction } from './transaction.js';
export { insertRows, inChunks } from './sql-batch.js';
export { addressHash, sha256Hex } from './address-hash.js';
export { canonicalJson, canonicalSha256 } from './canonical-json.js';
export { addressIdentity, lookupHashes, type AddressIdentity } from './address-identity.js';
export { evidenceToColumns, toContactRecord, mergeConsent, CONSENT_COLUMNS } from './consent-evidence.js';
export type { ConsentEvidence, ConsentColumns } from './consent-evidence.js';
export { importContacts, type ImportContactRow, type ImportCounts } from './contact-import.js';
export { upsertContact, type UpsertContactResult } from './contact-upsert.js';
export type { ContactInput } from './contact-merge.js';
export { correctConsentEvidence, type EvidenceCorrection } from './contact-correction.js';
export { correctContactDomain, type AddressCorrection } from './contact-address-correction.js';
export {
  contactEmails,
  existingEmails,
  findContactId,
  getContactByEmail,
  listContacts,
  countContacts,
  countRecords,
  getContactHistory,
  type ContactDetail,
  type ContactListFilter,
  type ContactSummary,
  type ContactPage,
  type ContactHistoryEntry,
} from './contact-queries.js';
export {
  loadContactRecords,
  recordClassifications,
  type LoadedContactRecord,
  type ContactRecordSelector,
} from './contact-records.js';
export { countContactsByClass, type ContactClassCounts } from './contact-class-counts.js';
export { eraseAddressHash, eraseContact } from './contact-erasure.js';
export type { ErasureResult } from './contact-erasure.js';
export {
  addSuppression,
  isSuppressed,
  suppressedHashes,
  suppressionsAsEvidence,
  listSuppressions,
  browseSuppressions,
} from './suppression.repository.js';
export type { NewSuppression, SuppressionEntryView } from './suppression.repository.js';
export {
  addConsentTextVersion,
  getConsentTextVersion,
  listConsentTextVersions,
} from './consent-text-version.repository.js';
export { createList, updateList, deleteList, findList, listLists, addToList } from './list.repository.js';
export type { ListWithCount } from './list.repository.js';
export {
  backupStore,
  restoreStore,
  previewRestore,
  inspectBackup,
  checkpointStore,
  checkpointStoreChecked,
} from './store-backup.js';
export type { BackupInfo, CheckpointResult, RestoreResult } from './store-backup.js';
export type { LaterSuppression, RestorePreview } from './restore-preview.js';
export { backupsHoldingAddress, type BackupHoldingPerson } from './backup-person.js';
export type * from './contact.table.js';
export type * from './sender-entity.table.js';
export type * from './consent-text-version.table.js';
export type * from './list.table.js';
export type * from './import-batch.table.js';
export type * from './consent.table.js';
export type * from './smtp-profile.table.js';
export type * from './mailing.table.js';
export type * from './assessment.table.js';
export type * from './acknowledgement.table.js';
export type * from './delivery.table.js';
export type * from './suppression.table.js';
export type * from './complaint.table.js';
export type * from './bounce.table.js';
export type * from './event.table.js';
export type * from './acknowledgement-recipient.table.js';
export { SUPPRESSION_REASONS } from './suppression.table.js';
export * from './acknowledgement.repository.js';
export * from './import-batch.repository.js';
export * from './import-mapping.repository.js';
export * from './bulk-write-cache.js';
export * from './import-indexes.js';
export type * from './import-mapping.table.js';
export * from './sender-entity.repository.js';
export * from './smtp-profile.repository.js';
export * from './mailing.repository.js';
export * from './delivery-queue.js';
export * from './delivery-outcomes.js';
export * from './delivery-recovery.js';
export * from './delivery-queries.js';
export * from './sqlite-outbox.js';
export * from './feedback.repository.js';
export * from './record-edits.repository.js';
export { indexPendingContacts, pendingSearchRows } from './contact-search.js';
export { listRecordPages, loadListRecordsInChunks } from './contact-records-chunked.js';
export type * from './intake.table.js';
export * from './intake-mailbox.repository.js';
export * from './intake-message.repository.js';
export * from './sender-alert.repository.js';
export * from './deliverability.repository.js';
export type * from './authentication-check.table.js';
export type * from './domain-pacing.table.js';
export type * from './optin.table.js';
export {
  optinKeyFingerprint,
  optinSignedBytes,
  verifyOptinEvent,
  type OptinFeedEvent,
} from './optin-feed-event.js';
export * from './optin-pairing.js';
export * from './optin-feed.js';
export * from './optin-erasure.js';
export * from './optin-reconfirmation.js';
