// The product's words without its rules: the enums, the method strength, the nl/en labels and `Lang`. This
// is the only part of the policy the renderer may import (`@consent-mailer/policy/vocabulary`), so it holds
// no I/O and no zod: a screen shows the same wording as a document or a command.
export * from './enums.js';
export * from './lang.js';
export { describeComplaintSource, describeMethod, describeRecipientKind, reasonTitle } from './labels.js';
export { describeClassification, type ClassificationText } from './classification-labels.js';
export type { ReasonCode } from './reason.js';
