import nodemailer from 'nodemailer';
import type { SMTPPoolOptions, Transporter } from 'nodemailer';
import { assertSecureSettings, type SmtpSettings } from './smtp-settings.js';

/** Socket timeouts; tests shorten them to provoke a slow server. */
export interface SmtpTimeouts {
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** The transport options for these settings (shared by the pool and the connection test). */
export function transportOptions(
  settings: SmtpSettings,
  password: string | undefined,
  timeouts: SmtpTimeouts = {},
): SMTPPoolOptions {
  assertSecureSettings(settings);
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'TLS',
    // STARTTLS must succeed or the connection is refused: no silent fallback to plain text.
    requireTLS: settings.security === 'STARTTLS',
    ignoreTLS: settings.security === 'NONE',
    ...(settings.user ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
    connectionTimeout: timeouts.connectionTimeoutMs ?? 30_000,
    greetingTimeout: timeouts.greetingTimeoutMs ?? 30_000,
    socketTimeout: timeouts.socketTimeoutMs ?? 120_000,
    // Never write message contents or credentials to a log.
    logger: false,
    debug: false,
  };
}

/**
 * A nodemailer connection pool for the business's SMTP server, with as many connections as the profile
 * allows. Rate limits are applied by the outbox, which knows the per-hour and per-day counts.
 *
 * @example
 * const transport = createSmtpPool(settings, await secrets.get('smtp:main'));
 * await transport.sendMail(message.options);
 * transport.close();
 */
export function createSmtpPool(
  settings: SmtpSettings,
  password: string | undefined,
  timeouts: SmtpTimeouts = {},
): Transporter {
  return nodemailer.createTransport({
    ...transportOptions(settings, password, timeouts),
    pool: true,
    maxConnections: settings.connections,
    maxMessages: 1000,
  });
}
