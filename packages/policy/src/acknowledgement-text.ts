import { createHash } from 'node:crypto';
import { z } from 'zod';
import { IsoDateTime } from './contact-record.js';
import { CONSENT_METHODS } from './enums.js';
import { describeMethod, reasonTitle } from './labels.js';
import type { MailingAssessment } from './mailing-assessment.js';
import { parseWith } from './parse-with.js';
import { CONTACT_REASON_CODES } from './reason.js';
import { LANGS, type Lang } from './lang.js';
import { explainReason } from './reason-texts.js';
import { UserError } from './user-error.js';

/** The ids of the sender's statements (docs/policy-rules.md section 6); the UI and CLI confirm each one. */
export const ACKNOWLEDGEMENT_STATEMENT_IDS = [
  'SENDER_AND_CONTROLLER',
  'CONSENT_EVIDENCE_ON_REQUEST',
  'ACM_FINES_CHARGED_TO_SENDER',
  'BLOCKLIST_AND_TAKEDOWN_COSTS',
  'COMPLAINT_CHANNELS',
] as const;
export type AcknowledgementStatementId = (typeof ACKNOWLEDGEMENT_STATEMENT_IDS)[number];

/**
 * The version of the acknowledgement text per language. It changes whenever the wording changes, so a
 * signed text can always be matched with the template it came from.
 */
export const ACKNOWLEDGEMENT_TEXT_VERSIONS: Readonly<Record<Lang, string>> = {
  en: 'ack-en-2026.11.1',
  nl: 'ack-nl-2026.11.1',
};

/** The part of an assessment the acknowledgement covers (a stored assessment summary is enough). */
export type AcknowledgementAssessment = Pick<
  MailingAssessment,
  'policyVersion' | 'mailingId' | 'recipientSetHash' | 'transferRisk' | 'reasons'
>;

const AcknowledgementDetails = z.object({
  signer: z.object({ name: z.string().trim().min(1), role: z.string().trim().min(1) }),
  entity: z.object({
    legalName: z.string().trim().min(1),
    // A KvK number has 8 digits; spaces and dots people type are tolerated.
    kvkNumber: z.string().regex(/^\d{8}$/, 'a KvK number has 8 digits'),
  }),
  mailing: z.object({ id: z.string().min(1), subject: z.string().min(1).optional() }),
  signedAt: IsoDateTime,
  lang: z.enum(LANGS),
});

export interface RenderAcknowledgementInput {
  assessment: AcknowledgementAssessment;
  signer: { name: string; role: string };
  entity: { legalName: string; kvkNumber: string };
  mailing: { id: string; subject?: string };
  /** ISO-8601 moment of signing (passed in: the package reads no clock). */
  signedAt: string;
  lang: Lang;
}

/** One statement the signer confirms separately. */
export interface AcknowledgementStatement {
  id: AcknowledgementStatementId;
  text: string;
}

export interface RenderedAcknowledgement {
  textVersionId: string;
  /** The exact text that is signed (and shown, printed and exported). */
  text: string;
  /** sha256 (hex) of `text` as UTF-8. */
  sha256: string;
  /** The sender's statements, also contained in `text`, for confirmation one by one. */
  statements: AcknowledgementStatement[];
}

const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }),
  nl: new Intl.DateTimeFormat('nl-NL', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }),
};

function statementTexts(lang: Lang, legalName: string): Record<AcknowledgementStatementId, string> {
  if (lang === 'nl') {
    return {
      SENDER_AND_CONTROLLER: `${legalName} is de afzender van deze mailing (Telecommunicatiewet artikel 11.7) en de verwerkingsverantwoordelijke voor de persoonsgegevens van de ontvangers (AVG).`,
      CONSENT_EVIDENCE_ON_REQUEST: `${legalName} kan op verzoek voor elke ontvanger bewijs van toestemming of van een klantrelatie overleggen, ook aan de toezichthouder.`,
      ACM_FINES_CHARGED_TO_SENDER: `${legalName} weet dat de Autoriteit Consument & Markt (ACM) een boete kan opleggen tot EUR 900.000 per overtreding, en dat zo'n boete rechtstreeks voor rekening van ${legalName} komt.`,
      BLOCKLIST_AND_TAKEDOWN_COSTS: `Kosten van blacklisting en van het offline halen van servers door het datacenter die door deze mailing ontstaan, worden aan ${legalName} doorberekend.`,
      COMPLAINT_CHANNELS: `${legalName} weet dat ontvangers over deze mailing kunnen klagen bij de ACM via spamklacht.nl, bij de hoster en bij het datacenter.`,
    };
  }
  return {
    SENDER_AND_CONTROLLER: `${legalName} is the sender of this mailing (Dutch Telecommunications Act, article 11.7) and the controller of the recipients' personal data (GDPR).`,
    CONSENT_EVIDENCE_ON_REQUEST: `${legalName} can produce evidence of consent or of a customer relationship for every recipient on request, including to the regulator.`,
    ACM_FINES_CHARGED_TO_SENDER: `${legalName} knows that the Netherlands Authority for Consumers and Markets (ACM) can impose a fine of up to EUR 900,000 per violation, and that such a fine is charged to ${legalName} directly.`,
    BLOCKLIST_AND_TAKEDOWN_COSTS: `Costs of blocklisting and of datacenter takedowns caused by this mailing are charged to ${legalName}.`,
    COMPLAINT_CHANNELS: `${legalName} knows that recipients can complain about this mailing to the ACM via spamklacht.nl, to the hoster and to the datacenter.`,
  };
}

/**
 * Renders the risk-transfer acknowledgement of docs/policy-rules.md section 6 in Dutch or English: signer,
 * legal entity and KvK number, date and time, the mailing, the exact recipient set it covers (counts per
 * consent method and per reason code, and the recipient-set hash), the policy version, the text version,
 * and the sender's statements. Returns the text, its sha256 and the statements one by one, so they can be
 * confirmed separately before signing. The same input always gives the same text and hash.
 *
 * @throws {UserError} `POLICY_INVALID_INPUT` for a missing signer name or role, an invalid KvK number or
 *   date; `POLICY_ACK_MAILING_MISMATCH` when the assessment belongs to another mailing;
 *   `POLICY_ACK_NOTHING_TO_COVER` when the assessment has no TRANSFER_RISK recipients and no recent abuse
 *   notice (M13).
 * @example
 * const { text, sha256, statements } = renderAcknowledgement({
 *   assessment, // from assessMailing
 *   signer: { name: 'Anna de Vries', role: 'directeur' },
 *   entity: { legalName: 'Bakkerij Jansen B.V.', kvkNumber: '12345678' },
 *   mailing: { id: assessment.mailingId, subject: 'Kerstbrood' },
 *   signedAt: '2026-11-28T12:00:00Z',
 *   lang: 'nl',
 * });
 */
export function renderAcknowledgement(input: RenderAcknowledgementInput): RenderedAcknowledgement {
  const details = parseWith(
    AcknowledgementDetails,
    {
      signer: input.signer,
      entity: { ...input.entity, kvkNumber: input.entity.kvkNumber.replace(/[\s.]/g, '') },
      mailing: input.mailing,
      signedAt: input.signedAt,
      lang: input.lang,
    },
    'acknowledgement',
  );
  const { assessment } = input;
  const lang = details.lang;
  if (assessment.mailingId !== details.mailing.id) {
    throw new UserError('POLICY_ACK_MAILING_MISMATCH', {
      en: `This assessment is for mailing "${assessment.mailingId}", not "${details.mailing.id}". Assess the mailing you want to sign for again.`,
      nl: `Deze beoordeling hoort bij mailing "${assessment.mailingId}", niet bij "${details.mailing.id}". Beoordeel de mailing waarvoor je wilt tekenen opnieuw.`,
    });
  }
  const abuseNotice = assessment.reasons.find((item) => item.code === 'M13');
  if (assessment.transferRisk.total === 0 && abuseNotice === undefined) {
    throw new UserError('POLICY_ACK_NOTHING_TO_COVER', {
      en: 'This mailing has no recipients that can only be mailed at your own risk, so there is nothing to sign.',
      nl: 'Deze mailing heeft geen ontvangers die alleen op eigen risico gemaild kunnen worden, dus er valt niets te tekenen.',
    });
  }

  const legalName = details.entity.legalName;
  const texts = statementTexts(lang, legalName);
  const statements = ACKNOWLEDGEMENT_STATEMENT_IDS.map((id) => ({ id, text: texts[id] }));
  const textVersionId = ACKNOWLEDGEMENT_TEXT_VERSIONS[lang];
  const number = (value: number): string => value.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');
  const counts = assessment.transferRisk;
  const methodLines = CONSENT_METHODS.filter((method) => counts.byMethod[method] > 0).map(
    (method) => `  - ${describeMethod(method, lang)} (${method}): ${number(counts.byMethod[method])}`,
  );
  const reasonLines = CONTACT_REASON_CODES.filter((code) => (counts.byReason[code] ?? 0) > 0).map(
    (code) => `  - ${code} ${reasonTitle(code, lang)}: ${number(counts.byReason[code] ?? 0)}`,
  );
  const signedAt = `${DATE_TIME[lang].format(Date.parse(details.signedAt))} (${details.signedAt})`;
  const subject = details.mailing.subject === undefined ? '' : ` "${details.mailing.subject}"`;
  const noticeLines =
    abuseNotice === undefined
      ? []
      : ['', `${reasonTitle('M13', lang)} (M13): ${explainReason(abuseNotice, lang)}`];
  const statementLines = statements.map((statement, i) => `${i + 1}. [${statement.id}] ${statement.text}`);

  const lines =
    lang === 'nl'
      ? [
          'VERKLARING RISICO-OVERDRACHT',
          `Tekstversie: ${textVersionId} · Beleidsversie: ${assessment.policyVersion}`,
          '',
          `Afzender: ${legalName}, KvK-nummer ${details.entity.kvkNumber}`,
          `Ondertekend door: ${details.signer.name} (${details.signer.role})`,
          `Datum en tijd: ${signedAt}`,
          `Mailing: ${details.mailing.id}${subject}`,
          '',
          `Deze verklaring geldt voor precies deze ${number(counts.total)} ontvangers, van wie de toestemming niet volledig te bewijzen is:`,
          'Per manier van toestemming:',
          ...methodLines,
          'Per reden:',
          ...reasonLines,
          `Vingerafdruk van de ontvangerslijst (sha256): ${assessment.recipientSetHash}`,
          ...noticeLines,
          '',
          'De afzender verklaart:',
          ...statementLines,
          '',
          'Geldigheid: alleen voor deze mailing en precies deze ontvangers. De verklaring vervalt zodra de klachtgraad van de vorige mailing de grens bereikt (M10), er een misbruikmelding binnenkomt (M13) of de verzendserver of het domein op een blocklist komt (M14).',
        ]
      : [
          'RISK-TRANSFER ACKNOWLEDGEMENT',
          `Text version: ${textVersionId} · Policy version: ${assessment.policyVersion}`,
          '',
          `Sender: ${legalName}, KvK number ${details.entity.kvkNumber}`,
          `Signed by: ${details.signer.name} (${details.signer.role})`,
          `Date and time: ${signedAt}`,
          `Mailing: ${details.mailing.id}${subject}`,
          '',
          `This acknowledgement covers exactly these ${number(counts.total)} recipients, whose consent cannot be fully proven:`,
          'By consent method:',
          ...methodLines,
          'By reason:',
          ...reasonLines,
          `Fingerprint of the recipient list (sha256): ${assessment.recipientSetHash}`,
          ...noticeLines,
          '',
          'The sender states:',
          ...statementLines,
          '',
          'Validity: only for this mailing and exactly these recipients. It lapses as soon as the complaint rate of the previous mailing reaches the limit (M10), an abuse notice arrives (M13) or the sending server or domain is blocklisted (M14).',
        ];
  const text = `${lines.join('\n')}\n`;
  return { textVersionId, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), statements };
}
