import { computeEventHash } from '@consent-mailer/store';
import type { AcknowledgementDocument } from '../src/acknowledgement/acknowledgement-document.js';
import { canonicalJson, canonicalSha256 } from '../src/acknowledgement/canonical-json.js';
import { summariseCoveredRecipients } from '../src/acknowledgement/covered-recipients.js';
import { EvidenceBundle, serializeEvidenceBundle } from '../src/acknowledgement/evidence-bundle.js';
import { fieldDigests } from '../src/acknowledgement/field-digests.js';
import { generateSigningKey, signText } from '../src/acknowledgement/signing-key.js';
import { verificationCode } from '../src/acknowledgement/verification-code.js';

/** What the dishonest sender changes before signing the export again. */
export interface BundleEdits {
  signerName?: string;
  kvkNumber?: string;
  /** How many covered recipients to drop from the list (and from the signed counts). */
  removeRecipients?: number;
}

/**
 * An exported evidence bundle edited and re-signed with a fresh key so that everything inside it is
 * consistent again: document, counts, list hash, field digests, signature, public key, verification code and
 * the signing event of the chain excerpt (with every hash after it recomputed). Only a pinned key tells it
 * from the original. Returns the new file text and the attacker's key fingerprint.
 */
export function resignEditedBundle(text: string, edits: BundleEdits): { text: string; fingerprint: string } {
  const bundle = EvidenceBundle.parse(JSON.parse(text));
  const { key } = generateSigningKey();
  const recipients = bundle.recipients.slice(edits.removeRecipients ?? 0);
  const summary = summariseCoveredRecipients(recipients);
  const document: AcknowledgementDocument = {
    ...bundle.acknowledgement,
    signer: {
      ...bundle.acknowledgement.signer,
      name: edits.signerName ?? bundle.acknowledgement.signer.name,
    },
    entity: {
      ...bundle.acknowledgement.entity,
      kvkNumber: edits.kvkNumber ?? bundle.acknowledgement.entity.kvkNumber,
    },
    recipients: { ...bundle.acknowledgement.recipients, ...summary },
    signingKey: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
  };
  const signature = signText(key, canonicalJson(document));
  let previousHash: string | undefined;
  let previousSeq: number | undefined;
  const eventChain = bundle.eventChain.map((event) => {
    const data =
      event.type === 'acknowledgement.signed' && event.entityId === document.id
        ? {
            ...event.data,
            documentSha256: canonicalSha256(document),
            signature,
            keyFingerprint: key.fingerprint,
          }
        : event.data;
    const prevHash =
      previousHash !== undefined && previousSeq === event.seq - 1 ? previousHash : event.prevHash;
    const hash = computeEventHash({
      seq: event.seq,
      at: event.at,
      type: event.type,
      entity: event.entity,
      entity_id: event.entityId,
      data: canonicalJson(data),
      personal_hash: event.personalHash,
      prev_hash: prevHash,
    });
    previousHash = hash;
    previousSeq = event.seq;
    return { ...event, data, prevHash, hash };
  });
  const forged: EvidenceBundle = {
    ...bundle,
    acknowledgement: document,
    signature: { algorithm: 'Ed25519', value: signature },
    publicKey: key.publicKeyPem,
    verificationCode: verificationCode(signature),
    fieldDigests: fieldDigests(document),
    recipients,
    eventChain,
  };
  return { text: serializeEvidenceBundle(forged), fingerprint: key.fingerprint };
}
