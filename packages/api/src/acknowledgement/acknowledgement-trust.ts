import {
  findAcknowledgementRecipients,
  firstAcknowledgementPublicKey,
  ACKNOWLEDGEMENT_EVENT_TYPES,
  type Executor,
  type AcknowledgementRow,
  eventsOf,
} from '@consent-mailer/store';
import type { LocalizedText } from '@consent-mailer/policy';
import { AcknowledgementDocument, CoveredRecipient } from './acknowledgement-document.js';
import type { VerificationProblem } from './bundle-verifier.js';
import { canonicalJson, canonicalSha256 } from './canonical-json.js';
import { summariseCoveredRecipients } from './covered-recipients.js';
import {
  SIGNING_KEY_SECRET,
  parsePublicKeyPem,
  publicKeyFingerprint,
  signingKeyFromSecret,
  verifyText,
} from './signing-key.js';
import type { SecretStore } from '../secrets/secret-store.js';

/**
 * The fingerprint of the key the database's first acknowledgement was signed with; undefined when nothing
 * was signed yet. A new installation key is made only when this is undefined (never a silent new key).
 *
 * @example
 * const { key } = await loadOrCreateSigningKey(ctx.secrets, () => earlierSigningKey(ctx.store.db));
 */
export async function earlierSigningKey(db: Executor): Promise<string | undefined> {
  const pem = await firstAcknowledgementPublicKey(db);
  if (pem === undefined) return undefined;
  const key = parsePublicKeyPem(pem);
  return key ? publicKeyFingerprint(key) : 'unknown';
}

/**
 * The fingerprints a stored acknowledgement must have been signed with to count: the public half of the
 * installation's private key in the secret store (keychain or environment). The database file never holds
 * that private key, so someone who can only edit the file cannot produce a signature that passes.
 * Empty when no key is set here: then no stored signature can be trusted.
 *
 * @example
 * const pinned = await installationKeyFingerprints(ctx.secrets); // ['sha256:3f1c…']
 */
export async function installationKeyFingerprints(secrets: SecretStore): Promise<string[]> {
  const secret = await secrets.get(SIGNING_KEY_SECRET);
  if (secret === undefined || secret.trim() === '') return [];
  return [signingKeyFromSecret(secret).fingerprint];
}

/**
 * Whether a stored acknowledgement row is what was signed, checked against pinned keys only. Returns every
 * problem (empty when the row can be trusted):
 * - the row's public key is one of `trustedFingerprints` (the key inside the row alone proves nothing: anyone
 *   can make a key and sign a forged row with it) and the signature verifies over the stored payload;
 * - the payload is an acknowledgement document and every query column of the row (mailing id included, so
 *   a valid acknowledgement of another mailing copied onto this one is refused) equals what it says;
 * - the covered-recipient rows are the signed list (list hash and count);
 * - the `acknowledgement.signed` event exists and carries this document's hash and signature;
 * - a lapse recorded in the event log has not been cleared from the row.
 *
 * @example
 * const problems = await verifyStoredAcknowledgement(db, row, { trustedFingerprints: pinned });
 * if (problems.length > 0) refuse(problems);
 */
export async function verifyStoredAcknowledgement(
  db: Executor,
  row: AcknowledgementRow,
  options: { trustedFingerprints: readonly string[] },
): Promise<VerificationProblem[]> {
  const problems: VerificationProblem[] = [];
  const add = (field: string, en: string, nl: string) => problems.push({ field, text: { en, nl } });

  // 1. The key must be pinned, and the signature must verify over the stored bytes with it.
  const publicKey = parsePublicKeyPem(row.public_key);
  const fingerprint = publicKey ? publicKeyFingerprint(publicKey) : undefined;
  if (!publicKey || fingerprint === undefined) {
    add(
      'public_key',
      'The stored public key is not a readable Ed25519 key.',
      'De opgeslagen publieke sleutel is geen leesbare Ed25519-sleutel.',
    );
  } else if (options.trustedFingerprints.length === 0) {
    add(
      'public_key',
      "No signing key of this installation is set here, so the signature cannot be checked against it. Set the installation's signing key (CLI: CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY) and try again.",
      'Hier is geen ondertekeningssleutel van deze installatie ingesteld, dus de handtekening kan er niet mee worden gecontroleerd. Stel de ondertekeningssleutel van de installatie in (CLI: CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY) en probeer het opnieuw.',
    );
  } else if (!options.trustedFingerprints.includes(fingerprint)) {
    add(
      'public_key',
      `It was signed with the key ${fingerprint}, which is not this installation's key (${options.trustedFingerprints.join(', ')}).`,
      `Ze is ondertekend met de sleutel ${fingerprint}; dat is niet de sleutel van deze installatie (${options.trustedFingerprints.join(', ')}).`,
    );
  }
  if (publicKey && !verifyText(publicKey, row.payload, row.signature)) {
    add(
      'signature',
      'The signature does not verify over the stored document: the signature or the document was changed.',
      'De handtekening klopt niet bij het opgeslagen document: de handtekening of het document is gewijzigd.',
    );
  }

  // 2. The document: canonical, well-formed, and the row's columns equal it.
  const document = parseDocument(row.payload);
  if (!document) {
    add(
      'payload',
      'The stored document is not a readable acknowledgement.',
      'Het opgeslagen document is geen leesbare verklaring.',
    );
    return problems;
  }
  problems.push(...compareColumnsWithDocument(row, document));

  // 3. The covered recipients as stored must be the signed list.
  const stored = await findAcknowledgementRecipients(db, row.id);
  const recipients = stored.flatMap((recipient) => {
    const parsed = CoveredRecipient.safeParse({
      addressSha256: recipient.address_hash,
      method: recipient.method,
      reasons: safeJson(recipient.reasons),
    });
    return parsed.success ? [parsed.data] : [];
  });
  const summary = summariseCoveredRecipients(recipients);
  if (recipients.length !== stored.length || summary.listHash !== document.recipients.listHash) {
    add(
      'acknowledgement_recipient',
      `The covered recipients in the database (${stored.length}) are not the signed list of ${document.recipients.count}: recipients were added, removed or changed.`,
      `De gedekte ontvangers in de database (${stored.length}) zijn niet de ondertekende lijst van ${document.recipients.count}: er zijn ontvangers toegevoegd, verwijderd of gewijzigd.`,
    );
  }

  // 4. The signing event in the chain, and a lapse the chain knows of.
  const events = await eventsOf(db, { entity: 'acknowledgement', entityId: row.id });
  const signed = events.find((event) => event.type === ACKNOWLEDGEMENT_EVENT_TYPES.signed);
  if (!signed) {
    add(
      'event',
      `The event log has no "${ACKNOWLEDGEMENT_EVENT_TYPES.signed}" event for this acknowledgement: it was not signed through the app.`,
      `Het gebeurtenissenlogboek heeft geen gebeurtenis "${ACKNOWLEDGEMENT_EVENT_TYPES.signed}" voor deze verklaring: ze is niet via de app getekend.`,
    );
  } else {
    const data = safeJson(signed.data);
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    // The chain's own integrity (hashes, links, anchors) is `audit verify`'s job; here: is it this document's?
    const mismatched = [
      record.documentSha256 === canonicalSha256(document) ? undefined : 'documentSha256',
      record.signature === row.signature ? undefined : 'signature',
    ].filter((field): field is string => field !== undefined);
    if (mismatched.length > 0) {
      add(
        'event',
        `The signing event ${signed.seq} does not belong to this acknowledgement as stored (${mismatched.join(', ')} differ).`,
        `De ondertekeningsgebeurtenis ${signed.seq} hoort niet bij deze verklaring zoals ze is opgeslagen (${mismatched.join(', ')} wijken af).`,
      );
    }
  }
  const lapsed = events.find((event) => event.type === ACKNOWLEDGEMENT_EVENT_TYPES.lapsed);
  if (lapsed && row.lapsed_at === null) {
    add(
      'lapsed_at',
      `The event log records that it lapsed at ${lapsed.at}, but the database says it has not: the lapse was removed.`,
      `Het gebeurtenissenlogboek legt vast dat ze op ${lapsed.at} is vervallen, maar de database zegt van niet: het verval is verwijderd.`,
    );
  }
  return problems;
}

/**
 * The query columns of an acknowledgement row against the signed document: each difference is a problem
 * naming the column (what a hand edit of the database shows).
 *
 * @example
 * compareColumnsWithDocument(row, parseStoredDocument(row)); // [] when untouched
 */
export function compareColumnsWithDocument(
  row: AcknowledgementRow,
  document: AcknowledgementDocument,
): VerificationProblem[] {
  const problems: VerificationProblem[] = [];
  const compare = (column: string, stored: unknown, signed: unknown) => {
    if (stored !== signed) {
      problems.push({
        field: column,
        text: {
          en: `The database column ${column} (${String(stored)}) differs from the signed document (${String(signed)}).`,
          nl: `De databasekolom ${column} (${String(stored)}) wijkt af van het ondertekende document (${String(signed)}).`,
        },
      });
    }
  };
  compare('id', row.id, document.id);
  compare('mailing_id', row.mailing_id, document.mailing.id);
  compare('assessment_id', row.assessment_id, document.assessmentId);
  compare('sender_entity_id', row.sender_entity_id, document.entity.id);
  compare('signer_name', row.signer_name, document.signer.name);
  compare('signer_role', row.signer_role, document.signer.role);
  compare('legal_name', row.legal_name, document.entity.legalName);
  compare('kvk_number', row.kvk_number, document.entity.kvkNumber);
  compare('signed_at', row.signed_at, document.signedAt);
  compare('policy_version', row.policy_version, document.policyVersion);
  compare('text_version_id', row.text_version_id, document.text.versionId);
  compare('text_hash', row.text_hash, document.text.sha256);
  compare('language', row.language, document.language);
  compare('recipient_set_hash', row.recipient_set_hash, document.recipients.setHash);
  compare('recipient_count', row.recipient_count, document.recipients.count);
  const counts = safeJson(row.counts);
  const signedCounts = {
    total: document.recipients.count,
    byMethod: document.recipients.byMethod,
    byReason: document.recipients.byReason,
  };
  if (!sameJson(counts, signedCounts)) compare('counts', row.counts, canonicalJson(signedCounts));
  return problems;
}

/** The problems as one text per language, for an error message. */
export function describeProblems(problems: readonly VerificationProblem[]): LocalizedText {
  return {
    en: problems.map((problem) => `${problem.field}: ${problem.text.en}`).join(' '),
    nl: problems.map((problem) => `${problem.field}: ${problem.text.nl}`).join(' '),
  };
}

function parseDocument(payload: string): AcknowledgementDocument | undefined {
  const parsed = AcknowledgementDocument.safeParse(safeJson(payload));
  return parsed.success ? parsed.data : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return a !== undefined && canonicalJson(a) === canonicalJson(b);
  } catch {
    // A value that cannot be canonicalised is simply not the signed one.
    return false;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Unreadable JSON is reported by the caller as "not what was signed".
    return undefined;
  }
}
