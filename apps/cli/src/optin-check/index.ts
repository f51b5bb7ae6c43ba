export { formatReport, runOptinCheck, type CheckOptions, type CheckReport } from './run-check.js';
export { normalizeFingerprint } from '@consent-mailer/api';
export type { ClauseResult, ClauseStatus } from './types.js';
