import {
  composeMessage,
  composeSignedMessage,
  createUnsubscribeToken,
  type ComposeRecipient,
  type MailingContentInput,
} from '@consent-mailer/mailer';
import { UserError } from '@consent-mailer/policy';
import {
  addressIdentity,
  appendEvent,
  getContactByEmail,
  getMailing,
  getSenderEntity,
  getSmtpProfile,
  mergeFields,
  type MailingRow,
} from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import { withOptinUnsubscribe } from '../optin/optin-sync.js';
import { senderSettings, smtpPassword, toSenderIdentity, toSmtpSettings } from './sending-profile.js';

/** A mailing as one recipient receives it: merge fields filled, the real footer and headers. */
export interface RenderedMailing {
  subject: string;
  html: string;
  text: string;
  from: string;
  /** Who the merge fields were filled for: a contact's address, or null for the example person. */
  recipient: string | null;
  listUnsubscribe: string;
}

// The example person of a preview when no contact is chosen: shows where the merge fields land.
const EXAMPLE_PERSON = { firstName: 'Anna', lastName: 'de Vries', email: 'anna@example.invalid' };

function content(mailing: MailingRow): MailingContentInput {
  return {
    subject: mailing.subject,
    html: mailing.body_html ?? '',
    text: mailing.body_text ?? undefined,
    lang: mailing.lang,
    content: mailing.content,
  };
}

async function senderOf(ctx: ApiContext, mailing: MailingRow) {
  if (!mailing.smtp_profile_id) {
    throw new UserError('MAILING_NO_SMTP_PROFILE', {
      en: 'This mailing has no SMTP server yet. Choose one for the mailing, then try again.',
      nl: 'Deze mailing heeft nog geen SMTP-server. Kies er een voor de mailing en probeer het opnieuw.',
    });
  }
  const profile = await getSmtpProfile(ctx.store.db, mailing.smtp_profile_id);
  const [entity, settings] = await Promise.all([
    getSenderEntity(ctx.store.db, mailing.sender_entity_id),
    senderSettings(profile, ctx.secrets),
  ]);
  // As the send does: when paired, the opt-in service answers the unsubscribe links.
  const sender = await withOptinUnsubscribe(ctx, toSenderIdentity(entity));
  return { profile, entity, settings, sender };
}

async function recipientFor(ctx: ApiContext, email: string | undefined): Promise<ComposeRecipient> {
  const base = { firstMailing: true, unsubscribeToken: 'PREVIEWtoken000' };
  if (email === undefined) {
    return {
      ...base,
      email: EXAMPLE_PERSON.email,
      method: 'WEB_DOI',
      merge: { ...EXAMPLE_PERSON, fullName: `${EXAMPLE_PERSON.firstName} ${EXAMPLE_PERSON.lastName}` },
    };
  }
  const detail = await getContactByEmail(ctx.store.db, email);
  if (detail === null) {
    throw new UserError('CONTACT_NOT_FOUND', {
      en: `There is no contact ${email}. Choose one of your contacts, or leave it empty for the example person.`,
      nl: `Er is geen contact ${email}. Kies een van je contacten, of laat het leeg voor de voorbeeldpersoon.`,
    });
  }
  const { contact, consents } = detail;
  return {
    ...base,
    email: contact.email,
    method: consents[0]?.method ?? 'WEB_DOI',
    merge: mergeFields({
      email: contact.email,
      firstName: contact.first_name,
      lastName: contact.last_name,
      organisation: contact.organisation,
    }),
  };
}

/**
 * The mailing as `email` (or an example person) will receive it: merge fields filled, the footer with the
 * sender's identity, the reason they get it and the unsubscribe links, composed by the same code as the send.
 *
 * @example
 * const shown = await renderMailing(ctx, 'm1', 'jan@example.nl');
 */
export async function renderMailing(
  ctx: ApiContext,
  mailingId: string,
  email?: string,
): Promise<RenderedMailing> {
  const mailing = await getMailing(ctx.store.db, mailingId);
  const { settings, sender } = await senderOf(ctx, mailing);
  const { dkim: _signedAtSend, ...unsigned } = settings;
  const recipient = await recipientFor(ctx, email);
  const composed = composeMessage({ sender, settings: unsigned, mailing: content(mailing), recipient });
  const headers = (composed.options.headers ?? {}) as Record<string, string>;
  return {
    subject: String(composed.options.subject ?? ''),
    html: typeof composed.options.html === 'string' ? composed.options.html : '',
    text: typeof composed.options.text === 'string' ? composed.options.text : '',
    from: settings.fromName ? `${settings.fromName} <${settings.fromAddress}>` : settings.fromAddress,
    recipient: email === undefined ? null : recipient.email,
    listUnsubscribe: headers['List-Unsubscribe'] ?? '',
  };
}

/**
 * Sends one test copy of the mailing to the business itself, signed as the real send signs, with
 * "[TEST]" before the subject. Only to the sender's own addresses (its contact address, the profile's
 * From or Reply-To): a test send never reaches a contact, so it needs no consent and counts nowhere.
 *
 * @throws {UserError} MAILING_TEST_ADDRESS_NOT_OWN for any other address.
 * @example
 * await sendTestMailing(ctx, 'm1', 'info@bakkerij.nl');
 */
export async function sendTestMailing(
  ctx: ApiContext,
  mailingId: string,
  to: string,
): Promise<{ to: string; messageId: string; response: string | null }> {
  const mailing = await getMailing(ctx.store.db, mailingId);
  const { profile, entity, settings, sender } = await senderOf(ctx, mailing);
  const own = [entity.contact_email, settings.fromAddress, settings.replyTo]
    .filter((address): address is string => Boolean(address))
    .map((address) => addressIdentity(address).hash);
  const target = addressIdentity(to);
  if (!own.includes(target.hash)) {
    throw new UserError('MAILING_TEST_ADDRESS_NOT_OWN', {
      en: `A test goes only to your own addresses (${[entity.contact_email, settings.fromAddress].filter(Boolean).join(', ')}), never to a contact. Choose one of those.`,
      nl: `Een test gaat alleen naar je eigen adressen (${[entity.contact_email, settings.fromAddress].filter(Boolean).join(', ')}), nooit naar een contact. Kies een daarvan.`,
    });
  }
  const password = await smtpPassword(profile, ctx.secrets);
  const body = content(mailing);
  const message = await composeSignedMessage({
    sender,
    settings,
    mailing: { ...body, subject: `[TEST] ${body.subject}` },
    recipient: {
      email: target.email,
      merge: { email: target.email },
      method: 'WEB_DOI',
      firstMailing: true,
      unsubscribeToken: createUnsubscribeToken(),
    },
  });
  const transport = ctx.sending.openTransport(toSmtpSettings(profile), password);
  try {
    const reply = await transport.sendMail(message.options);
    await appendEvent(ctx.store.db, {
      type: 'mailing.test_sent',
      entity: 'mailing',
      entityId: mailingId,
      at: ctx.clock().toISOString(),
      data: { messageId: message.messageId, signed: message.signed },
    });
    return { to: target.email, messageId: message.messageId, response: reply.response ?? null };
  } finally {
    transport.close();
  }
}
