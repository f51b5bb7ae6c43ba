import { randomUUID } from 'node:crypto';
import {
  ACKNOWLEDGEMENT_STATEMENT_IDS,
  UserError,
  computeRecipientSetHash,
  renderAcknowledgement,
  type ContactReasonCode,
  type MailingAssessment,
  type RecipientVerdict,
  type RenderedAcknowledgement,
  type Lang,
} from '@consent-mailer/policy';
import { describeMergeFields } from '@consent-mailer/mailer';
import { findMailingWithSender, insertAcknowledgement } from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import { ACKNOWLEDGEMENT_FORMAT, type AcknowledgementDocument } from './acknowledgement-document.js';
import { canonicalJson, canonicalSha256 } from './canonical-json.js';
import { checkAcknowledgementCoverage } from './coverage.js';
import { summariseCoveredRecipients, toCoveredRecipients } from './covered-recipients.js';
import { installationSigningKey } from './installation-key.js';
import { signText } from './signing-key.js';
import { verificationCode } from './verification-code.js';

/** What signing needs from the context. */
export type SigningContext = Pick<ApiContext, 'store' | 'clock' | 'secrets'>;

/** The mailing to sign for and its current assessment (computed from its recipients just now). */
export interface AcknowledgementRequest {
  mailingId: string;
  assessment: MailingAssessment;
  /** The stored assessment row this assessment was saved as, if any. */
  assessmentId?: string | null;
  signer: { name: string; role: string };
  /** Defaults to the mailing's sender entity's legal name and KvK number. */
  entity?: { legalName?: string | undefined; kvkNumber?: string | undefined };
  lang: Lang;
}

/** What the signer is shown before signing. */
export interface AcknowledgementPreview {
  mailing: { id: string; name: string; subject: string };
  entity: { id: string; legalName: string; kvkNumber: string };
  lang: Lang;
  textVersionId: string;
  text: string;
  textSha256: string;
  statements: { id: string; text: string }[];
  recipientSetHash: string;
  recipients: { count: number; byMethod: Record<string, number>; byReason: Record<string, number> };
}

export interface SignAcknowledgementRequest extends AcknowledgementRequest {
  /** Every statement id must be here: each one is confirmed on its own. */
  confirmedStatementIds: readonly string[];
  /** The recipient-set hash the signer was shown; signing is refused when the set has changed since. */
  expectedRecipientSetHash?: string | undefined;
  /** A drawn signature (PNG data URL), validated by the api's schema. */
  signatureImage?: string | null | undefined;
}

export interface SignedAcknowledgement {
  id: string;
  mailingId: string;
  signedAt: string;
  recipientSetHash: string;
  recipientCount: number;
  verificationCode: string;
  keyFingerprint: string;
  /** True when this signature made the installation's signing key (keep the key safe). */
  keyCreated: boolean;
}

/**
 * Renders what the signer will sign, in Dutch or English, for the mailing's current TRANSFER_RISK
 * recipients: the text (with its version and hash), the statements to confirm one by one, the counts and
 * the recipient-set hash. Nothing is written.
 *
 * @throws {UserError} `ACK_MAILING_NOT_FOUND`, `ACK_KVK_MISSING`, `ACK_MAILING_BLOCKED` (M10/M14 now: a
 *   signature would lapse at once), and the policy's `POLICY_ACK_NOTHING_TO_COVER` / `POLICY_INVALID_INPUT`.
 * @example
 * const preview = await prepareAcknowledgement(ctx, { mailingId, assessment, signer: { name: 'An', role: 'owner' }, lang: 'nl' });
 * console.log(preview.text);
 */
export async function prepareAcknowledgement(
  ctx: SigningContext,
  request: AcknowledgementRequest,
): Promise<AcknowledgementPreview> {
  const { preview } = await render(ctx, request, ctx.clock().toISOString());
  return preview;
}

/**
 * Signs the risk-transfer acknowledgement for a mailing's current TRANSFER_RISK recipients: checks that
 * every statement was confirmed and the recipients are still the ones shown, renders the text at the
 * signing time, builds the document (signer, entity and KvK, time, text version and hash, policy version,
 * counts per method and reason, recipient-set and list hashes, optional drawn signature), signs its
 * canonical JSON with the installation's Ed25519 key (made on first use and kept in the secret store),
 * and writes it with its covered recipients and an `acknowledgement.signed` event in one transaction.
 *
 * @throws {UserError} `ACK_STATEMENT_NOT_CONFIRMED`, `ACK_RECIPIENTS_CHANGED`, `ACK_ALREADY_SIGNED`, and
 *   those of {@link prepareAcknowledgement}.
 * @example
 * const signed = await signAcknowledgement(ctx, {
 *   mailingId, assessment, lang: 'en', signer: { name: 'Anna de Vries', role: 'director' },
 *   confirmedStatementIds: preview.statements.map((statement) => statement.id),
 *   expectedRecipientSetHash: preview.recipientSetHash,
 * });
 * console.log(signed.verificationCode);
 */
export async function signAcknowledgement(
  ctx: SigningContext,
  request: SignAcknowledgementRequest,
): Promise<SignedAcknowledgement> {
  const missing = ACKNOWLEDGEMENT_STATEMENT_IDS.filter((id) => !request.confirmedStatementIds.includes(id));
  const unknown = request.confirmedStatementIds.filter(
    (id) => !(ACKNOWLEDGEMENT_STATEMENT_IDS as readonly string[]).includes(id),
  );
  if (missing.length > 0 || unknown.length > 0) {
    throw new UserError('ACK_STATEMENT_NOT_CONFIRMED', {
      en: `Every statement must be confirmed before signing. Not confirmed: ${missing.join(', ') || '(none)'}${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}.`,
      nl: `Elke verklaring moet worden bevestigd voordat je tekent. Niet bevestigd: ${missing.join(', ') || '(geen)'}${unknown.length > 0 ? `; onbekend: ${unknown.join(', ')}` : ''}.`,
    });
  }
  if (
    request.expectedRecipientSetHash !== undefined &&
    request.expectedRecipientSetHash !== request.assessment.recipientSetHash
  ) {
    throw new UserError('ACK_RECIPIENTS_CHANGED', {
      en: 'The recipients of this mailing changed since the acknowledgement was shown (new contacts or changed evidence). Review the new recipients and sign again.',
      nl: 'De ontvangers van deze mailing zijn gewijzigd sinds de verklaring werd getoond (nieuwe contacten of gewijzigd bewijs). Bekijk de nieuwe ontvangers en teken opnieuw.',
    });
  }
  const now = ctx.clock();
  const signedAt = now.toISOString();
  const existing = await checkAcknowledgementCoverage(ctx, {
    mailingId: request.mailingId,
    recipientSetHash: request.assessment.recipientSetHash,
    recipients: transferRiskRecipients(request.assessment),
    now,
  });
  if (existing.status === 'VALID' && existing.acknowledgement) {
    throw new UserError('ACK_ALREADY_SIGNED', {
      en: `These recipients are already covered by the acknowledgement signed by ${existing.acknowledgement.signerName} at ${existing.acknowledgement.signedAt}. No new signature is needed.`,
      nl: `Deze ontvangers vallen al onder de verklaring die ${existing.acknowledgement.signerName} op ${existing.acknowledgement.signedAt} tekende. Een nieuwe handtekening is niet nodig.`,
    });
  }

  const { preview, rendered, covered, assessment } = await render(ctx, request, signedAt);
  const { key, created } = await installationSigningKey(ctx);
  const summary = summariseCoveredRecipients(covered);
  const document: AcknowledgementDocument = {
    format: ACKNOWLEDGEMENT_FORMAT,
    id: randomUUID(),
    signedAt,
    signer: { name: request.signer.name.trim(), role: request.signer.role.trim() },
    entity: preview.entity,
    mailing: preview.mailing,
    assessmentId: request.assessmentId ?? null,
    policyVersion: assessment.policyVersion,
    language: request.lang,
    text: { versionId: rendered.textVersionId, sha256: rendered.sha256, body: rendered.text },
    statements: rendered.statements.map((statement) => ({
      id: statement.id,
      text: statement.text,
      confirmed: true as const,
    })),
    mailingReasons: [...new Set(assessment.reasons.map((reason) => reason.code))].sort(),
    recipients: { ...summary, setHash: assessment.recipientSetHash },
    signatureImage: request.signatureImage ?? null,
    signingKey: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
  };
  const payload = canonicalJson(document);
  const signature = signText(key, payload);

  await insertAcknowledgement(
    ctx.store.db,
    {
      id: document.id,
      mailing_id: document.mailing.id,
      assessment_id: document.assessmentId,
      sender_entity_id: document.entity.id,
      signer_name: document.signer.name,
      signer_role: document.signer.role,
      legal_name: document.entity.legalName,
      kvk_number: document.entity.kvkNumber,
      signed_at: signedAt,
      policy_version: document.policyVersion,
      text_version_id: document.text.versionId,
      text_hash: document.text.sha256,
      language: document.language,
      counts: JSON.stringify({
        total: summary.count,
        byMethod: summary.byMethod,
        byReason: summary.byReason,
      }),
      recipient_set_hash: document.recipients.setHash,
      recipient_count: summary.count,
      payload,
      signature,
      public_key: key.publicKeyPem,
    },
    covered.map((recipient) => ({
      address_hash: recipient.addressSha256,
      method: recipient.method,
      reasons: JSON.stringify(recipient.reasons),
    })),
    {
      documentSha256: canonicalSha256(document),
      signature,
      keyFingerprint: key.fingerprint,
      recipientSetHash: document.recipients.setHash,
      recipientListHash: document.recipients.listHash,
      recipientCount: summary.count,
      policyVersion: document.policyVersion,
      textVersionId: document.text.versionId,
      textSha256: document.text.sha256,
      assessmentId: document.assessmentId,
    },
  );

  return {
    id: document.id,
    mailingId: document.mailing.id,
    signedAt,
    recipientSetHash: document.recipients.setHash,
    recipientCount: summary.count,
    verificationCode: verificationCode(signature),
    keyFingerprint: key.fingerprint,
    keyCreated: created,
  };
}

/** The TRANSFER_RISK recipients of an assessment, whether held back or already included under a signature. */
export function transferRiskRecipients(assessment: MailingAssessment): RecipientVerdict[] {
  return [...assessment.included, ...assessment.needsAcknowledgement].filter(
    (item) => item.classification === 'TRANSFER_RISK',
  );
}

async function render(ctx: SigningContext, request: AcknowledgementRequest, signedAt: string) {
  const { assessment } = request;
  const mailing = await findMailingWithSender(ctx.store.db, request.mailingId);
  if (!mailing) {
    throw new UserError('ACK_MAILING_NOT_FOUND', {
      en: `There is no mailing "${request.mailingId}". List the mailings to find its id.`,
      nl: `Er is geen mailing "${request.mailingId}". Toon de mailings om het id te vinden.`,
    });
  }
  const blocking = assessment.reasons
    .filter((reason) => reason.code === 'M10' || reason.code === 'M14')
    .map((reason) => reason.code);
  if (blocking.length > 0) {
    throw new UserError('ACK_MAILING_BLOCKED', {
      en: `This mailing is blocked by ${blocking.join(' and ')} (complaint rate or blocklist). An acknowledgement would lapse at once; resolve that first.`,
      nl: `Deze mailing is geblokkeerd door ${blocking.join(' en ')} (klachtgraad of blocklist). Een verklaring zou meteen vervallen; los dat eerst op.`,
    });
  }
  const legalName = (request.entity?.legalName ?? mailing.legalName).trim();
  const kvkNumber = (request.entity?.kvkNumber ?? mailing.kvkNumber ?? '').replace(/[\s.]/g, '');
  if (kvkNumber === '') {
    throw new UserError('ACK_KVK_MISSING', {
      en: `The sender entity "${legalName}" has no KvK number. Add it to the sender entity, or give it when signing.`,
      nl: `De afzender "${legalName}" heeft geen KvK-nummer. Vul het in bij de afzender, of geef het op bij het tekenen.`,
    });
  }
  // The subject as the signer reads it ("Nieuws voor [voornaam]"), not its merge-field code: in the text
  // and in the signed document (its PDF and review show what was signed).
  const subject = describeMergeFields(mailing.subject, request.lang);
  const rendered: RenderedAcknowledgement = renderAcknowledgement({
    assessment,
    signer: request.signer,
    entity: { legalName, kvkNumber },
    mailing: { id: mailing.id, subject },
    signedAt,
    lang: request.lang,
  });
  const risky = transferRiskRecipients(assessment);
  // The policy hashes exactly these addresses; recomputing guards against a hand-built assessment.
  if (computeRecipientSetHash(risky.map((item) => item.email)) !== assessment.recipientSetHash) {
    throw new UserError('ACK_ASSESSMENT_INCONSISTENT', {
      en: 'The assessment does not match its own recipient-set hash. Assess the mailing again.',
      nl: 'De beoordeling past niet bij haar eigen ontvangerslijst-hash. Beoordeel de mailing opnieuw.',
    });
  }
  const covered = toCoveredRecipients(
    risky.map((item) => ({
      email: item.email,
      method: item.method,
      reasons: item.reasons.map((reason): ContactReasonCode => reason.code),
    })),
  );
  const summary = summariseCoveredRecipients(covered);
  const preview: AcknowledgementPreview = {
    mailing: { id: mailing.id, name: mailing.name, subject },
    entity: { id: mailing.entityId, legalName, kvkNumber },
    lang: request.lang,
    textVersionId: rendered.textVersionId,
    text: rendered.text,
    textSha256: rendered.sha256,
    statements: rendered.statements.map((statement) => ({ id: statement.id, text: statement.text })),
    recipientSetHash: assessment.recipientSetHash,
    recipients: { count: summary.count, byMethod: summary.byMethod, byReason: summary.byReason },
  };
  return { preview, rendered, covered, assessment };
}
