import { verifyChain, type AcknowledgementDb, type ChainVerification } from '@consent-mailer/store';
import type { SecretStore } from '../secrets/secret-store.js';
import {
  verifyEvidenceBundleText,
  type BundleVerification,
  type VerificationProblem,
} from './bundle-verifier.js';
import { serializeEvidenceBundle } from './evidence-bundle.js';
import { buildEvidenceBundle, parseStoredDocument, requireAcknowledgement } from './evidence-export.js';
import { SIGNING_KEY_SECRET, signingKeyFromSecret } from './signing-key.js';

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
}

/**
 * Checks a stored acknowledgement as thoroughly as the database allows: its evidence bundle as `verify`
 * would (signature, key, text hash, recipients, chain excerpt), the row's columns against the signed
 * document, the whole event chain, and whether this installation's key signed it.
 *
 * @example
 * const check = await checkStoredAcknowledgement(ctx.store.db, ctx.secrets, id);
 * if (!check.valid) console.log(check.bundle.problems, check.columns, check.chain);
 */
export async function checkStoredAcknowledgement(
  db: AcknowledgementDb,
  secrets: SecretStore,
  id: string,
): Promise<StoredAcknowledgementCheck> {
  const row = await requireAcknowledgement(db, id);
  const document = parseStoredDocument(row);
  const bundle = verifyEvidenceBundleText(serializeEvidenceBundle(await buildEvidenceBundle(db, id)));
  const columns: VerificationProblem[] = [];
  const compare = (column: string, stored: unknown, signed: unknown) => {
    if (stored !== signed) {
      columns.push({
        field: column,
        text: {
          en: `The database column ${column} (${String(stored)}) differs from the signed document (${String(signed)}).`,
          nl: `De databasekolom ${column} (${String(stored)}) wijkt af van het ondertekende document (${String(signed)}).`,
        },
      });
    }
  };
  compare('mailing_id', row.mailing_id, document.mailing.id);
  compare('sender_entity_id', row.sender_entity_id, document.entity.id);
  compare('signer_name', row.signer_name, document.signer.name);
  compare('signer_role', row.signer_role, document.signer.role);
  compare('legal_name', row.legal_name, document.entity.legalName);
  compare('kvk_number', row.kvk_number, document.entity.kvkNumber);
  compare('signed_at', row.signed_at, document.signedAt);
  compare('policy_version', row.policy_version, document.policyVersion);
  compare('text_version_id', row.text_version_id, document.text.versionId);
  compare('text_hash', row.text_hash, document.text.sha256);
  compare('recipient_set_hash', row.recipient_set_hash, document.recipients.setHash);
  compare('recipient_count', row.recipient_count, document.recipients.count);
  const chain = await verifyChain(db);
  const secret = await secrets.get(SIGNING_KEY_SECRET);
  const signedWithInstallationKey =
    secret === undefined || secret.trim() === ''
      ? null
      : signingKeyFromSecret(secret).fingerprint === document.signingKey.fingerprint;
  return {
    valid: bundle.valid && columns.length === 0 && chain.ok,
    bundle,
    columns,
    chain,
    signedWithInstallationKey,
  };
}
