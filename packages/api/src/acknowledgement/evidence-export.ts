import { UserError } from '@consent-mailer/policy';
import {
  findAcknowledgementById,
  findAcknowledgementEvents,
  findAcknowledgementRecipients,
  type Executor,
  type AcknowledgementRow,
} from '@consent-mailer/store';
import { AcknowledgementDocument, CoveredRecipient } from './acknowledgement-document.js';
import { EVIDENCE_BUNDLE_FORMAT, toEventExcerpt, type EvidenceBundle } from './evidence-bundle.js';
import { fieldDigests } from './field-digests.js';
import { verificationCode } from './verification-code.js';

/** Most events an evidence bundle carries (the signing event comes first, so it is always in). */
export const MAX_BUNDLE_EVENTS = 10_000;

/**
 * Builds the JSON evidence bundle of a stored acknowledgement: the signed document exactly as stored, its
 * signature and public key, the verification code, per-field digests, the covered recipients (address
 * hashes with method and reasons) and the event-chain excerpt from the signing event on.
 *
 * @throws {UserError} `ACK_NOT_FOUND` for an unknown id; `ACK_STORED_DAMAGED` when the stored document
 *   no longer parses (the database was edited by hand).
 * @example
 * const bundle = await buildEvidenceBundle(store.db, id);
 * await writeFile(`${id}.json`, serializeEvidenceBundle(bundle));
 */
export async function buildEvidenceBundle(db: Executor, id: string): Promise<EvidenceBundle> {
  const row = await requireAcknowledgement(db, id);
  const document = parseStoredDocument(row);
  const recipients = (await findAcknowledgementRecipients(db, id)).map((recipient) =>
    CoveredRecipient.parse({
      addressSha256: recipient.address_hash,
      method: recipient.method,
      reasons: JSON.parse(recipient.reasons) as unknown,
    }),
  );
  const events = await findAcknowledgementEvents(db, row, { limit: MAX_BUNDLE_EVENTS });
  return {
    format: EVIDENCE_BUNDLE_FORMAT,
    acknowledgement: document,
    signature: { algorithm: 'Ed25519', value: row.signature },
    publicKey: row.public_key,
    verificationCode: verificationCode(row.signature),
    fieldDigests: fieldDigests(document),
    recipients,
    eventChain: events.map(toEventExcerpt),
  };
}

/**
 * The stored acknowledgement row, or a UserError saying how to find the right id.
 *
 * @example
 * const row = await requireAcknowledgement(store.db, id);
 */
export async function requireAcknowledgement(db: Executor, id: string): Promise<AcknowledgementRow> {
  const row = await findAcknowledgementById(db, id);
  if (!row) {
    throw new UserError('ACK_NOT_FOUND', {
      en: `There is no acknowledgement "${id}". Run "acknowledgements list" to see the ids.`,
      nl: `Er is geen verklaring "${id}". Gebruik "acknowledgements list" om de id's te zien.`,
    });
  }
  return row;
}

/**
 * The signed document of a stored row, validated.
 *
 * @example
 * const document = parseStoredDocument(row);
 */
export function parseStoredDocument(row: AcknowledgementRow): AcknowledgementDocument {
  const parsed = AcknowledgementDocument.safeParse(JSON.parse(row.payload));
  if (!parsed.success) {
    throw new UserError('ACK_STORED_DAMAGED', {
      en: `The stored acknowledgement "${row.id}" is damaged (${parsed.error.issues[0]?.message ?? 'unreadable'}). Restore the database from a backup.`,
      nl: `De opgeslagen verklaring "${row.id}" is beschadigd (${parsed.error.issues[0]?.message ?? 'onleesbaar'}). Zet de database terug uit een back-up.`,
    });
  }
  return parsed.data;
}
