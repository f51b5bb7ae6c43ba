import { isLoopbackHost, UserError } from '@consent-mailer/policy';
import { z } from 'zod';

/** TLS = implicit TLS from the first byte (usually port 465); STARTTLS = upgrade required (587); NONE = plain, loopback only. */
export const SMTP_SECURITY = ['TLS', 'STARTTLS', 'NONE'] as const;
export const SmtpSecurity = z.enum(SMTP_SECURITY);
export type SmtpSecurity = z.infer<typeof SmtpSecurity>;

const headerSafe = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n]*$/, 'must not contain a line break');

/** The connection and limits of the business's own SMTP server. The password is not here: it is a secret. */
export const SmtpSettings = z.object({
  host: headerSafe(253).min(1),
  port: z.number().int().min(1).max(65535),
  security: SmtpSecurity,
  user: headerSafe(320).min(1).optional(),
  /** Messages per minute / hour / day the provider allows; absent = no limit of that kind. */
  perMinute: z.number().int().positive().optional(),
  perHour: z.number().int().positive().optional(),
  perDay: z.number().int().positive().optional(),
  /** Parallel connections the provider allows. */
  connections: z.number().int().min(1).max(20).default(2),
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;

/**
 * Refuses settings that would send a password or mail in the clear over a network: NONE (no TLS) is for a
 * relay on this machine only.
 *
 * @example
 * assertSecureSettings({ host: 'smtp.example.nl', port: 25, security: 'NONE', connections: 1 }); // throws
 */
export function assertSecureSettings(settings: Pick<SmtpSettings, 'host' | 'security'>): void {
  if (settings.security === 'NONE' && !isLoopbackHost(settings.host)) {
    throw new UserError('SMTP_PLAIN_NOT_LOOPBACK', {
      en: `A connection without TLS is only allowed to this computer (127.0.0.1), not to ${settings.host}. Choose TLS (port 465) or STARTTLS (port 587).`,
      nl: `Een verbinding zonder TLS mag alleen naar deze computer (127.0.0.1), niet naar ${settings.host}. Kies TLS (poort 465) of STARTTLS (poort 587).`,
    });
  }
}

export { isLoopbackHost };
