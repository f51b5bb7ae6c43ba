import { attribute, type Attribution } from '@consent-mailer/intake';
import {
  parseMail,
  readFeedback,
  readMessageCopy,
  returnedMessage,
  type ReturnedMessage,
} from '@consent-mailer/mailer';
import { UserError, type ComplaintSource } from '@consent-mailer/policy';
import { findContactId, mailingComplaintRate, recordComplaint } from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import { answerLetters } from './answer-letter.js';
import { buildProofBundle, type ProofBundle } from './proof-bundle.js';

/** What the dossier found and recorded, for the caller to show. */
export interface ComplaintDossier {
  bundle: ProofBundle;
  email: string;
  /** How the complained message was tied to a delivery (token, Message-ID, address). */
  tier: Attribution['tier'];
  mailingId: string | null;
  deliveryId: number | null;
  complaintId: number;
  /** The mailing's complaints per accepted message after this one was recorded (0 without a mailing). */
  complaintRate: number;
}

/**
 * The complaint dossier: reads the complained message (our message as saved by the complainant, or a
 * report or forward with the original attached or pasted inline), ties it to the delivery by its token or
 * Message-ID, else by the address, records the complaint with its source (chained; the address is
 * suppressed), and builds the contact's proof bundle with a short answer letter in Dutch and English
 * (`letter-nl.txt`/`.pdf`, `letter-en.txt`/`.pdf`) and the complained message itself (`complaint/complained-message.eml`).
 *
 * @throws {UserError} `DOSSIER_NO_RECIPIENT` when neither a delivery nor an address can be found,
 *   `PROOF_CONTACT_UNKNOWN` when the address is not a contact.
 * @example
 * const dossier = await buildComplaintDossier(ctx, { eml, source: 'SPAMKLACHT' });
 */
export async function buildComplaintDossier(
  ctx: ApiContext,
  input: { eml: Buffer; source: ComplaintSource; reference?: string | undefined },
): Promise<ComplaintDossier> {
  const at = ctx.clock().toISOString();
  const mail = await parseMail(input.eml);
  const report = await readFeedback(mail, input.eml).catch(() => undefined);
  const copies: ReturnedMessage[] = [
    report?.returned ?? (await returnedMessage(mail, input.eml)),
    // The complainant's saved copy of our message itself (spamklacht.nl asks for exactly that).
    await readMessageCopy(input.eml),
  ].filter((copy): copy is ReturnedMessage => copy !== undefined);
  const complainants = report?.kind === 'ARF' ? report.recipients : [];

  let found: Attribution = { tier: 'NONE' };
  for (const copy of copies) {
    found = await attribute(ctx.store.db, { returned: copy });
    if (found.delivery) break;
  }
  const address =
    found.delivery?.email ??
    complainants[0] ??
    copies.flatMap((copy) => [copy.originalRecipient, ...copy.to]).find((to) => to !== undefined);
  if (!found.delivery && address !== undefined) {
    found = await attribute(ctx.store.db, { email: address });
  }
  const email = found.delivery?.email ?? address;
  if (email === undefined || email === null) {
    throw new UserError('DOSSIER_NO_RECIPIENT', {
      en: 'The message names no delivery of ours and no recipient address. Save the complained message with all its headers (as .eml, or forwarded as attachment) and try again, or record the complaint by address.',
      nl: 'Het bericht noemt geen verzending van ons en geen adres van een ontvanger. Bewaar het gemelde bericht met alle headers (als .eml, of doorgestuurd als bijlage) en probeer het opnieuw, of leg de klacht vast met het adres.',
    });
  }
  const delivery = found.delivery;
  const receivedAt = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : at;
  const reference = input.reference ?? mail.messageId ?? null;
  // Before recording: an unknown address must not leave a complaint row behind without its dossier.
  if ((await findContactId(ctx.store.db, email)) === undefined) {
    throw new UserError('PROOF_CONTACT_UNKNOWN', {
      en: `The complained message went to ${email}, which is not a contact here. Nothing was recorded; record the complaint by address if you want it suppressed.`,
      nl: `Het gemelde bericht ging naar ${email}; dat is hier geen contact. Er is niets vastgelegd; leg de klacht vast met het adres als je het wilt blokkeren.`,
    });
  }
  const complaint = await recordComplaint(
    ctx.store.db,
    {
      email,
      source: input.source,
      receivedAt,
      mailingId: delivery?.mailing_id ?? null,
      deliveryId: delivery?.id ?? null,
      reference,
      detail: null,
    },
    at,
  );
  const complaintRate = delivery
    ? (await mailingComplaintRate(ctx.store.db, delivery.mailing_id)).complaintRate
    : 0;

  const letters = await answerLetters(ctx, {
    email,
    source: input.source,
    delivery,
    receivedAt,
    reference,
    at,
  });
  const bundle = await buildProofBundle(ctx, email, {
    purpose: 'COMPLAINT_DOSSIER',
    extra: {
      ...letters,
      'complaint/complained-message.eml': new Uint8Array(input.eml),
      'complaint/attribution.json': `${JSON.stringify(
        {
          tier: found.tier,
          source: input.source,
          complaintId: complaint.id,
          mailingId: delivery?.mailing_id ?? null,
          deliveryId: delivery?.id ?? null,
          reference,
          receivedAt,
          recordedAt: at,
        },
        null,
        2,
      )}\n`,
    },
  });
  return {
    bundle,
    email,
    tier: found.tier,
    mailingId: delivery?.mailing_id ?? null,
    deliveryId: delivery?.id ?? null,
    complaintId: complaint.id,
    complaintRate,
  };
}
