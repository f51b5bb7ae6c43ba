import { verifyChain, type Executor, type ChainVerification } from '@consent-mailer/store';
import type { SecretStore } from '../secrets/secret-store.js';
import {
  verifyEvidenceBundleText,
  type BundleVerification,
  type VerificationProblem,
} from './bundle-verifier.js';
import { serializeEvidenceBundle } from './evidence-bundle.js';
import { buildEvidenceBundle, parseStoredDocument, requireAcknowledgement } from './evidence-export.js';
import {
  compareColumnsWithDocument,
  installationKeyFingerprints,
  verifyStoredAcknowledgement,
} from './acknowledgement-trust.js';

/** The in-app check of a stored acknowledgement. */
export interface StoredAcknowledgementCheck {
  valid: boolean;
  /** What an offline `verify` of its export says. */
  bundle: BundleVerification;
  /** The query columns of the row against the signed document (a hand edit of the database shows here). */
  columns: VerificationProblem[];
  /** The whole event chain of the database. */
  chain: ChainVerification;
  /** Whether it was signed with this installation's current key; null when no key is set here. */
  signedWithInstallationKey: boolean | null;
  /** The pinned key(s) it was checked against: this installation's (empty when none is set here). */
  installationKeyFingerprints: string[];
  /** What the send gate finds wrong with the stored row (pinned key, payload, signing event); empty when none. */
  trust: VerificationProblem[];
}

/**
 * Checks a stored acknowledgement as thoroughly as the database allows: its evidence bundle as `verify`
 * would (signature, key, text hash, recipients, chain excerpt), the row's columns against the signed
 * document, the whole event chain, and that this installation's key signed it (a foreign key is not valid).
 *
 * @example
 * const check = await checkStoredAcknowledgement(ctx.store.db, ctx.secrets, id);
 * if (!check.valid) console.log(check.bundle.problems, check.columns, check.chain);
 */
export async function checkStoredAcknowledgement(
  db: Executor,
  secrets: SecretStore,
  id: string,
): Promise<StoredAcknowledgementCheck> {
  const row = await requireAcknowledgement(db, id);
  const document = parseStoredDocument(row);
  const pinned = await installationKeyFingerprints(secrets);
  const bundle = verifyEvidenceBundleText(serializeEvidenceBundle(await buildEvidenceBundle(db, id)), {
    trustedFingerprints: pinned,
  });
  const columns = compareColumnsWithDocument(row, document);
  const chain = await verifyChain(db);
  const signedWithInstallationKey =
    pinned.length === 0 ? null : pinned.includes(document.signingKey.fingerprint);
  // The whole stored row as the send gate sees it: pinned key, signed payload, signing event.
  const trust = await verifyStoredAcknowledgement(db, row, { trustedFingerprints: pinned });
  return {
    // A signature by any other key (another installation's, or a fresh one over an edited row) proves
    // nothing about this business, so it is never valid here; neither is one that cannot be compared.
    valid:
      bundle.valid &&
      columns.length === 0 &&
      chain.ok &&
      signedWithInstallationKey === true &&
      trust.length === 0,
    bundle,
    columns,
    chain,
    signedWithInstallationKey,
    installationKeyFingerprints: pinned,
    trust,
  };
}
