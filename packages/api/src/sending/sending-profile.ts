import { UserError } from '@consent-mailer/policy';
import type { MailSenderSettings, SenderIdentity, SmtpSettings } from '@consent-mailer/mailer';
import type { SenderEntityRow, SmtpProfileRow } from '@consent-mailer/store';
import type { SecretStore } from '../secrets/secret-store.js';
import { dkimKeyKey, smtpPasswordKey } from './secret-keys.js';

/**
 * The mailer's connection settings of a stored profile.
 *
 * @example
 * const settings = toSmtpSettings(await getSmtpProfile(db, 'main'));
 */
export function toSmtpSettings(profile: SmtpProfileRow): SmtpSettings {
  return {
    host: profile.host,
    port: profile.port,
    security: profile.security,
    ...(profile.username ? { user: profile.username } : {}),
    ...(profile.max_per_minute ? { perMinute: profile.max_per_minute } : {}),
    ...(profile.max_per_hour ? { perHour: profile.max_per_hour } : {}),
    ...(profile.max_per_day ? { perDay: profile.max_per_day } : {}),
    connections: profile.connections,
  };
}

/**
 * The footer identity of a stored sender entity; refuses one that lacks what every message must show.
 *
 * @example
 * const identity = toSenderIdentity(await getSenderEntity(db, 'bakkerij'));
 */
export function toSenderIdentity(entity: SenderEntityRow): SenderIdentity {
  if (!entity.contact_email) {
    throw new UserError('ENTITY_CONTACT_EMAIL_MISSING', {
      en: `Sender entity "${entity.id}" has no contact e-mail; every message needs one for unsubscribing.`,
      nl: `Afzender "${entity.id}" heeft geen contact-e-mailadres; elk bericht heeft er een nodig om af te melden.`,
    });
  }
  return {
    legalName: entity.legal_name,
    tradeName: entity.trade_name ?? undefined,
    postalAddress: entity.postal_address ?? '',
    contactEmail: entity.contact_email,
    kvkNumber: entity.kvk_number ?? '',
    vatNumber: entity.vat_number ?? undefined,
    website: entity.website ?? undefined,
    unsubscribeUrl: entity.unsubscribe_url ?? undefined,
  };
}

/**
 * The From/Reply-To/DKIM settings of a profile, with the DKIM key read from the secret store.
 *
 * @throws {UserError} SMTP_DKIM_KEY_MISSING when DKIM is configured but its key is not in the store.
 * @example
 * const from = await senderSettings(profile, ctx.secrets);
 */
export async function senderSettings(
  profile: SmtpProfileRow,
  secrets: SecretStore,
): Promise<MailSenderSettings> {
  let dkim: MailSenderSettings['dkim'];
  if (profile.dkim_domain && profile.dkim_selector) {
    const privateKey = await secrets.get(dkimKeyKey(profile.name));
    if (!privateKey) {
      throw new UserError('SMTP_DKIM_KEY_MISSING', {
        en: `SMTP profile "${profile.name}" signs with DKIM but its private key is not available. Store it again (CLI: set CONSENT_MAILER_SECRET_DKIM_${envSuffix(profile.name)}).`,
        nl: `SMTP-profiel "${profile.name}" ondertekent met DKIM maar de privésleutel is niet beschikbaar. Sla hem opnieuw op (CLI: zet CONSENT_MAILER_SECRET_DKIM_${envSuffix(profile.name)}).`,
      });
    }
    dkim = { domainName: profile.dkim_domain, keySelector: profile.dkim_selector, privateKey };
  }
  return {
    fromName: profile.from_name ?? undefined,
    fromAddress: profile.from_address,
    replyTo: profile.reply_to ?? undefined,
    dkim,
  };
}

/**
 * The SMTP password of a profile, or a UserError that says where to put it.
 *
 * @example
 * const password = await smtpPassword(profile, ctx.secrets);
 */
export async function smtpPassword(
  profile: SmtpProfileRow,
  secrets: SecretStore,
): Promise<string | undefined> {
  if (!profile.username) return undefined;
  const password = await secrets.get(smtpPasswordKey(profile.name));
  if (!password) {
    throw new UserError('SMTP_PASSWORD_MISSING', {
      en: `No password is available for SMTP profile "${profile.name}". In the app, enter it again; on the command line, set CONSENT_MAILER_SECRET_SMTP_${envSuffix(profile.name)}.`,
      nl: `Er is geen wachtwoord beschikbaar voor SMTP-profiel "${profile.name}". Voer het in de app opnieuw in; zet op de opdrachtregel CONSENT_MAILER_SECRET_SMTP_${envSuffix(profile.name)}.`,
    });
  }
  return password;
}

function envSuffix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
