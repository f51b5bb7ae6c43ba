export { appRouter } from './root.js';
export type { AppRouter } from './root.js';
export { createCallerFactory } from './trpc.js';
export { createApiContext } from './context.js';
export { allowedPath, createFileAccess } from './files/file-access.js';
export type { FileAccess } from './files/file-access.js';
export type { ApiContext, CreateApiContextOptions } from './context.js';
export { createJobRegistry } from './jobs/job-registry.js';
export type { JobRegistry, JobSnapshot, JobProgress, JobControls, JobState } from './jobs/job-registry.js';
export { createMemorySecretStore } from './secrets/secret-store.js';
export type { SecretStore } from './secrets/secret-store.js';
export {
  createEncryptedFileSecretStore,
  secretsUnavailableError,
  type SecretCipher,
} from './secrets/encrypted-file-secret-store.js';
export { createPassphraseCipher, wrongPassphraseError } from './secrets/passphrase-cipher.js';
export {
  hasPassphraseSecrets,
  openPassphraseSecretStore,
  PASSPHRASE_SECRETS_FILE,
} from './secrets/passphrase-secret-store.js';

import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root.js';
import type { runIntakeFor as RunIntakeFor } from './router/intake.js';
/** Input types of every procedure, for clients. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Output types of every procedure, for clients. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { explainPolicy, PolicyExplainInput } from './router/policy.js';
export type { PolicyExplanation } from './router/policy.js';
export { createSendingServices, createDnsResolver } from './sending/sending-services.js';
export type { SendingServices, OpenTransport, OutboxTuning } from './sending/sending-services.js';
export {
  verifyEvidenceBundleText,
  generateSigningKey,
  SIGNING_KEY_SECRET,
  findCoveringAcknowledgement,
  checkAcknowledgementCoverage,
  normalizeFingerprint,
  parseTrustedKeys,
  verifyStoredAcknowledgement,
  installationKeyFingerprints,
} from './acknowledgement/index.js';
export type {
  BundleVerification,
  VerificationProblem,
  CoveringAcknowledgement,
  CoverageCheck,
  UntrustedAcknowledgement,
  EvidenceBundle,
} from './acknowledgement/index.js';
export {
  anchorSignerFor,
  existingAnchorSigner,
  installationAnchorSigner,
} from './acknowledgement/anchor-signer.js';
export { lazyAppRouter } from './lazy-root.js';
export type { LazyAppRouter } from './lazy-root.js';
/**
 * Reads one mailbox or all of them once (the app's schedule). Loads the intake router (and with it the
 * IMAP and mail-parsing stack) on the first call: re-exported as a value, it was loaded by every CLI
 * command at start-up (~0.15 s, issue 19).
 *
 * @example
 * const results = await runIntakeFor(ctx, 'info');
 */
export async function runIntakeFor(
  ...args: Parameters<typeof RunIntakeFor>
): ReturnType<typeof RunIntakeFor> {
  const { runIntakeFor: run } = await import('./router/intake.js');
  return run(...args);
}
export type { IntakeMailboxView, IntakeMessageView } from './router/intake.js';
export { imapPasswordKey } from './sending/secret-keys.js';
export { verifyProofBundle, looksLikeZip } from './proof/proof-verifier.js';
export type { ProofVerification, ProofProblem } from './proof/proof-verifier.js';
export { DPV_CONTEXT, DPV_CONTEXT_URL } from './proof/dpv-context.js';
export { OPTIN_TOKEN_KEY, OPTIN_MAX_PULL_AGE_MS } from './optin/optin-sync.js';
export type { OptinServiceView } from './optin/optin-sync.js';
export { OptinPairInput } from './router/optin.js';
export { pullOptin } from './optin/optin-sync.js';
export { reconfirmCandidates, needsReconfirmation, RECONFIRM_CHUNK } from './optin/optin-reconfirm.js';
export type { ReconfirmRunResult } from './optin/optin-reconfirm.js';
