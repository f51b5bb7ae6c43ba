import type { LocalizedText } from '@consent-mailer/policy';
import type { AcknowledgementDocument } from './acknowledgement-document.js';
import { canonicalJson, canonicalSha256, sha256Hex } from './canonical-json.js';
import { summariseCoveredRecipients } from './covered-recipients.js';
import {
  EvidenceBundle,
  excerptHash,
  serializeEvidenceBundle,
  type EventExcerpt,
} from './evidence-bundle.js';
import { differingFields, fieldDigests } from './field-digests.js';
import { parsePublicKeyPem, publicKeyFingerprint, verifyText } from './signing-key.js';
import { verificationCode } from './verification-code.js';

/** The event type written when an acknowledgement is signed; the bundle's chain excerpt must hold it. */
export const ACKNOWLEDGEMENT_SIGNED_EVENT = 'acknowledgement.signed';

/** One thing that does not match, with the field it is about (a dotted path in the bundle). */
export interface VerificationProblem {
  field: string;
  text: LocalizedText;
}

/**
 * What `verify` reports. `summary` is present whenever the bundle could be read. `keyPinned` says whether
 * the signing key was checked against keys the verifier trusts (given with `trustedFingerprints`); when it
 * is false, `valid` only means the file is consistent with the key inside it: anyone can edit a bundle and
 * re-sign it with a fresh key, so such a result must never be shown as a bare "valid".
 */
export interface BundleVerification {
  valid: boolean;
  keyPinned: boolean;
  problems: VerificationProblem[];
  summary?: {
    acknowledgementId: string;
    signer: string;
    signedAt: string;
    legalName: string;
    kvkNumber: string;
    mailing: string;
    recipientCount: number;
    recipientSetHash: string;
    keyFingerprint: string;
    verificationCode: string;
    events: number;
  };
}

/**
 * Checks a JSON evidence bundle with no database: the Ed25519 signature over the canonical document, the
 * public key against the signed fingerprint, the verification code, the text hash, the recipient list
 * against the signed list hash and counts, every event of the chain excerpt against its own hash and its
 * neighbours, the signing event against the document, and finally that the file's bytes are exactly the
 * exported layout. Every problem names the field that differs.
 *
 * @example
 * const result = verifyEvidenceBundleText(await readFile('ack.json', 'utf8'));
 * if (!result.valid) for (const problem of result.problems) console.log(problem.field, problem.text.en);
 */
export function verifyEvidenceBundleText(
  text: string,
  options: { trustedFingerprints?: readonly string[] } = {},
): BundleVerification {
  const trusted = options.trustedFingerprints;
  const keyPinned = trusted !== undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail(keyPinned, '(file)', {
      en: `The file is not valid JSON (${detail}). It was damaged or edited; ask for the original export.`,
      nl: `Het bestand is geen geldige JSON (${detail}). Het is beschadigd of bewerkt; vraag om de oorspronkelijke export.`,
    });
  }
  const parsed = EvidenceBundle.safeParse(raw);
  if (!parsed.success) {
    return {
      valid: false,
      keyPinned,
      problems: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(file)',
        text: {
          en: `Not in the evidence bundle format: ${issue.message}.`,
          nl: `Niet in het formaat van een bewijsbundel: ${issue.message}.`,
        },
      })),
    };
  }
  const bundle = parsed.data;
  const document = bundle.acknowledgement;
  const problems: VerificationProblem[] = [];
  const add = (field: string, en: string, nl: string) => problems.push({ field, text: { en, nl } });

  // 1. The key: it must be the one whose fingerprint was signed into the document.
  const publicKey = parsePublicKeyPem(bundle.publicKey);
  const fingerprint = publicKey ? publicKeyFingerprint(publicKey) : '(unreadable)';
  if (!publicKey) {
    add(
      'publicKey',
      'The public key is not a readable Ed25519 key (SPKI PEM).',
      'De publieke sleutel is geen leesbare Ed25519-sleutel (SPKI PEM).',
    );
  } else if (publicKey.export({ format: 'pem', type: 'spki' }).toString() !== bundle.publicKey) {
    // The same key can be written in several PEM spellings; only the exported one is accepted, so no byte
    // of the file can change unnoticed.
    add(
      'publicKey',
      'The public key is not written exactly as exported (its PEM text was edited).',
      'De publieke sleutel staat er niet precies zo als geëxporteerd (de PEM-tekst is bewerkt).',
    );
  } else if (fingerprint !== document.signingKey.fingerprint) {
    add(
      'publicKey',
      `The public key (${fingerprint}) is not the key the document names (${document.signingKey.fingerprint}).`,
      `De publieke sleutel (${fingerprint}) is niet de sleutel die het document noemt (${document.signingKey.fingerprint}).`,
    );
  }

  // 1b. With pinned keys, the key must be one of them: a file re-signed with any other key is refused.
  if (trusted !== undefined && !trusted.includes(fingerprint)) {
    add(
      'publicKey',
      trusted.length === 0
        ? `No trusted key was given to check the signing key (${fingerprint}) against.`
        : `The file is signed with the key ${fingerprint}, which is not a trusted key (${trusted.join(', ')}). It may have been edited and signed again with another key: ask the business for a fresh export, and check the fingerprint with them by phone.`,
      trusted.length === 0
        ? `Er is geen vertrouwde sleutel opgegeven om de ondertekeningssleutel (${fingerprint}) mee te vergelijken.`
        : `Het bestand is ondertekend met de sleutel ${fingerprint}; dat is geen vertrouwde sleutel (${trusted.join(', ')}). Het kan zijn bewerkt en opnieuw ondertekend met een andere sleutel: vraag het bedrijf om een nieuwe export en controleer de vingerafdruk telefonisch met hen.`,
    );
  }

  // 2. The signature over the canonical document; if it fails, the digests say which field changed.
  const actualDigests = fieldDigests(document);
  const changed = differingFields(bundle.fieldDigests, actualDigests);
  const signatureValid =
    publicKey !== undefined && verifyText(publicKey, canonicalJson(document), bundle.signature.value);
  if (!signatureValid) {
    const documentFields = changed.filter((path) => path in actualDigests || path in bundle.fieldDigests);
    if (publicKey && documentFields.length > 0) {
      for (const path of documentFields) {
        add(
          `acknowledgement.${path}`,
          `acknowledgement.${path} differs from what was signed: the signature does not match.`,
          `acknowledgement.${path} wijkt af van wat is ondertekend: de handtekening klopt niet.`,
        );
      }
    } else if (publicKey) {
      add(
        'signature',
        'The signature does not match the acknowledgement (the signature value, or the document together with its field digests, was changed).',
        'De handtekening past niet bij de verklaring (de handtekening zelf, of het document samen met de velddigests, is gewijzigd).',
      );
    }
  } else {
    for (const path of changed) {
      add(
        `fieldDigests.${path}`,
        `The field digest of ${path} does not match the signed document: the digest list was edited.`,
        `De velddigest van ${path} past niet bij het ondertekende document: de digestlijst is bewerkt.`,
      );
    }
  }

  // 3. The short code on the PDF is derived from the signature.
  const code = verificationCode(bundle.signature.value);
  if (code !== bundle.verificationCode) {
    add(
      'verificationCode',
      `The verification code ${bundle.verificationCode} does not belong to this signature (expected ${code}).`,
      `De verificatiecode ${bundle.verificationCode} hoort niet bij deze handtekening (verwacht ${code}).`,
    );
  }

  // 4. The text the signer saw must hash to the recorded text hash.
  if (sha256Hex(document.text.body) !== document.text.sha256) {
    add(
      'acknowledgement.text',
      'The acknowledgement text does not match its recorded sha256.',
      'De tekst van de verklaring past niet bij de vastgelegde sha256.',
    );
  }

  // 5. The recipients: list hash and counts must match what was signed.
  checkRecipients(bundle.recipients, document, add);

  // 6. The chain excerpt: each event against its hash and neighbours, and the signing event against the document.
  checkEventChain(bundle.eventChain, document, bundle.signature.value, add);

  // 7. Byte for byte: only when every value checks out, so the message points at formatting alone.
  if (problems.length === 0) {
    const expected = serializeEvidenceBundle(bundle);
    if (expected !== text) {
      const { line, column } = firstDifference(expected, text);
      add(
        '(file)',
        `The file differs from the exported bytes at line ${line}, column ${column} (spacing, key order or escaping was changed).`,
        `Het bestand wijkt af van de geëxporteerde bytes op regel ${line}, kolom ${column} (witruimte, volgorde van sleutels of escaping is gewijzigd).`,
      );
    }
  }

  return {
    valid: problems.length === 0,
    keyPinned,
    problems,
    summary: {
      acknowledgementId: document.id,
      signer: `${document.signer.name} (${document.signer.role})`,
      signedAt: document.signedAt,
      legalName: document.entity.legalName,
      kvkNumber: document.entity.kvkNumber,
      mailing: `${document.mailing.name} (${document.mailing.id})`,
      recipientCount: document.recipients.count,
      recipientSetHash: document.recipients.setHash,
      keyFingerprint: fingerprint,
      verificationCode: bundle.verificationCode,
      events: bundle.eventChain.length,
    },
  };
}

type Add = (field: string, en: string, nl: string) => void;

function checkRecipients(
  recipients: EvidenceBundle['recipients'],
  document: AcknowledgementDocument,
  add: Add,
): void {
  const summary = summariseCoveredRecipients(recipients);
  const signed = document.recipients;
  if (summary.listHash !== signed.listHash) {
    add(
      'recipients',
      'The recipient list does not match the signed list hash: recipients were added, removed or changed.',
      'De lijst met ontvangers past niet bij de ondertekende lijsthash: ontvangers zijn toegevoegd, verwijderd of gewijzigd.',
    );
  }
  const sorted = recipients.every(
    (item, index) => index === 0 || (recipients[index - 1]?.addressSha256 ?? '') < item.addressSha256,
  );
  if (!sorted) {
    add(
      'recipients',
      'The recipient list is not in address-hash order or has duplicates.',
      'De lijst met ontvangers staat niet op adreshash-volgorde of bevat dubbelen.',
    );
  }
  if (summary.count !== signed.count) {
    add(
      'acknowledgement.recipients.count',
      `The signed count is ${signed.count}, but the list has ${summary.count} recipients.`,
      `Het ondertekende aantal is ${signed.count}, maar de lijst heeft ${summary.count} ontvangers.`,
    );
  }
  compareCounts('acknowledgement.recipients.byMethod', signed.byMethod, summary.byMethod, add);
  compareCounts('acknowledgement.recipients.byReason', signed.byReason, summary.byReason, add);
}

function compareCounts(
  field: string,
  signed: Readonly<Partial<Record<string, number>>>,
  actual: Readonly<Partial<Record<string, number>>>,
  add: Add,
): void {
  for (const key of new Set([...Object.keys(signed), ...Object.keys(actual)])) {
    const want = signed[key] ?? 0;
    const have = actual[key] ?? 0;
    if (want !== have) {
      add(
        `${field}.${key}`,
        `${key}: the signed count is ${want}, but the recipient list has ${have}.`,
        `${key}: het ondertekende aantal is ${want}, maar de lijst met ontvangers heeft ${have}.`,
      );
    }
  }
}

function checkEventChain(
  events: readonly EventExcerpt[],
  document: AcknowledgementDocument,
  signature: string,
  add: Add,
): void {
  let signedEvent: EventExcerpt | undefined;
  events.forEach((event, index) => {
    const field = `eventChain.${index}`;
    const recomputed = excerptHash(event);
    if (recomputed !== event.hash) {
      add(
        field,
        `Event ${event.seq} (${event.type}) does not match its hash: it was changed.`,
        `Gebeurtenis ${event.seq} (${event.type}) past niet bij haar hash: ze is gewijzigd.`,
      );
    }
    const previous = index > 0 ? events[index - 1] : undefined;
    if (previous && event.seq <= previous.seq) {
      add(field, `Event ${event.seq} is out of order.`, `Gebeurtenis ${event.seq} staat niet op volgorde.`);
    } else if (previous && event.seq === previous.seq + 1 && event.prevHash !== previous.hash) {
      add(
        `${field}.prevHash`,
        `Event ${event.seq} does not point at event ${previous.seq}: the chain is broken.`,
        `Gebeurtenis ${event.seq} verwijst niet naar gebeurtenis ${previous.seq}: de keten is verbroken.`,
      );
    }
    if (event.type === ACKNOWLEDGEMENT_SIGNED_EVENT && event.entityId === document.id) signedEvent = event;
  });
  if (!signedEvent) {
    add(
      'eventChain',
      `The event chain excerpt lacks the "${ACKNOWLEDGEMENT_SIGNED_EVENT}" event of this acknowledgement.`,
      `Het uittreksel van de gebeurtenisketen mist de gebeurtenis "${ACKNOWLEDGEMENT_SIGNED_EVENT}" van deze verklaring.`,
    );
    return;
  }
  const index = events.indexOf(signedEvent);
  if (signedEvent.data.documentSha256 !== canonicalSha256(document)) {
    add(
      `eventChain.${index}.data.documentSha256`,
      'The signing event records a different document hash than this acknowledgement.',
      'De ondertekeningsgebeurtenis legt een andere documenthash vast dan deze verklaring.',
    );
  }
  if (signedEvent.data.signature !== signature) {
    add(
      `eventChain.${index}.data.signature`,
      'The signing event records a different signature than this bundle.',
      'De ondertekeningsgebeurtenis legt een andere handtekening vast dan deze bundel.',
    );
  }
}

function firstDifference(expected: string, actual: string): { line: number; column: number } {
  let offset = 0;
  while (offset < expected.length && offset < actual.length && expected[offset] === actual[offset])
    offset += 1;
  const before = actual.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

function fail(keyPinned: boolean, field: string, text: LocalizedText): BundleVerification {
  return { valid: false, keyPinned, problems: [{ field, text }] };
}
