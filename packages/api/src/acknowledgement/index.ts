// The acknowledgement feature's public surface: offline verification (the CLI's `verify`), key set-up,
// and coverage for the send gate. Everything else is reached through the router.
export { verifyEvidenceBundleText } from './bundle-verifier.js';
export type { BundleVerification, VerificationProblem } from './bundle-verifier.js';
export { generateSigningKey, SIGNING_KEY_SECRET } from './signing-key.js';
export { normalizeFingerprint, parseTrustedKeys } from './trusted-keys.js';
export { verifyStoredAcknowledgement, installationKeyFingerprints } from './acknowledgement-trust.js';
export { findCoveringAcknowledgement, checkAcknowledgementCoverage } from './coverage.js';
export type { CoveringAcknowledgement, CoverageCheck, UntrustedAcknowledgement } from './coverage.js';
export type { EvidenceBundle } from './evidence-bundle.js';
