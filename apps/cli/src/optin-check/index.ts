export { formatReport, runOptinCheck, type CheckOptions, type CheckReport } from './run-check.js';
export { normalizeFingerprint } from './feed.js';
export type { ClauseResult, ClauseStatus } from './types.js';
