export { assertHeaderValue } from './header-safety.js';
export {
  MERGE_FIELD_LABELS,
  MERGE_FIELD_NAMES,
  checkMergeFields,
  describeMergeFields,
  escapeHtml,
  renderMergeFields,
} from './merge-fields.js';
export type { MergeFieldName, MergeValues } from './merge-fields.js';
export type { SenderIdentity } from './sender-identity.js';
export { consentReason, rightToObjectSentence } from './consent-reason.js';
export {
  createUnsubscribeToken,
  parseUnsubscribeSubject,
  unsubscribeLinks,
  UNSUBSCRIBE_SUBJECT_PREFIX,
} from './unsubscribe-link.js';
export type { UnsubscribeLinks } from './unsubscribe-link.js';
export { buildFooter } from './message-footer.js';
export type { FooterInput } from './message-footer.js';
export { composeMessage, createMessageId, htmlToText } from './message-composer.js';
export type {
  ComposeInput,
  ComposeRecipient,
  ComposedMessage,
  MailSenderSettings,
  MailingContentInput,
} from './message-composer.js';
export {
  SMTP_SECURITY,
  SmtpSecurity,
  SmtpSettings,
  assertSecureSettings,
  isLoopbackHost,
} from './smtp-settings.js';
export { createSmtpPool, transportOptions } from './smtp-transport.js';
export type { SmtpTimeouts } from './smtp-transport.js';
export { describeConnectionError, testSmtpConnection } from './connection-test.js';
export type { ConnectionTestResult } from './connection-test.js';
export { classifySendError, enhancedStatus } from './send-outcome.js';
export type { SendOutcome } from './send-outcome.js';
export { SendRateLimiter } from './rate-limiter.js';
export type { RateLimits } from './rate-limiter.js';
export type { DeliveryResult, OutboxControl, OutboxDelivery, OutboxStore } from './outbox-store.js';
export { DEFAULT_RETRY_DELAYS_MS, abortableSleep, runOutbox } from './outbox-worker.js';
export type {
  MailTransport,
  OutboxProgress,
  OutboxRunResult,
  OutboxStopReason,
  OutboxWorkerOptions,
} from './outbox-worker.js';
export {
  isRedacted,
  parseFeedbackMessage,
  parseFieldBlocks,
  parseMail,
  readFeedback,
} from './feedback-parser.js';
export { readMessageCopy, returnedMessage } from './returned-message.js';
export type { DsnRecipient, FeedbackFamily, FeedbackReport, ReturnedMessage } from './feedback-report.js';
export { addressFromField, dsnRecipientGroups, isPlausibleAddress } from './feedback-fields.js';
export {
  classifyDeliveryStatus,
  findEnhancedStatus,
  hardSuppressionAllowed,
} from './delivery-status-classification.js';
export type {
  DeliveryFailureCategory,
  DeliveryStatusClass,
  DeliveryStatusInput,
  DeliveryVerdict,
} from './delivery-status-classification.js';
export {
  DELIVERY_HEADER,
  tokenFromDeliveryHeader,
  tokenFromVerpAddress,
  verpAddress,
} from './delivery-token.js';
export { readPlainTextBounce } from './plain-text-bounce.js';
export { readSesNotification } from './ses-notification.js';
export { validateDkimPrivateKey } from './dkim-key.js';
export type { DkimKeyInfo } from './dkim-key.js';
export {
  DKIM_SIGNED_HEADERS,
  composeSignedMessage,
  ownKeyResolver,
  selfCheckDkim,
  signComposedMessage,
} from './dkim-signing.js';
export type { DkimSigningSettings, SignedMessage } from './dkim-signing.js';
export { checkDomainAuthentication, createDnsResolver } from './dns-authentication.js';
export type {
  AuthenticationCheckInput,
  AuthenticationReport,
  AuthenticationVerdict,
  DNSResolver,
  RecordToPublish,
} from './dns-authentication.js';
export {
  DEFAULT_DEFERRAL_POLICY,
  DEFAULT_PROVIDER_PACING,
  DEFAULT_WARMUP_SCHEDULE,
  DomainPacer,
  estimateSendDuration,
  recipientDomain,
  warmupDailyLimit,
} from './domain-pacing.js';
export type { DeferralPolicy, ProviderPacing, SendEstimate, SendEstimateInput } from './domain-pacing.js';
export { deliverabilitySelfTest } from './self-test.js';
export type { SelfTestResult } from './self-test.js';
