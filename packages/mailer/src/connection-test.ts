import { UserError } from '@consent-mailer/policy';
import nodemailer from 'nodemailer';
import { transportOptions, type SmtpTimeouts } from './smtp-transport.js';
import type { SmtpSettings } from './smtp-settings.js';

/** The result of a successful connection test. */
export interface ConnectionTestResult {
  ok: true;
  host: string;
  port: number;
  security: SmtpSettings['security'];
  authenticated: boolean;
}

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

/**
 * Connects, negotiates TLS as configured, logs in and says QUIT: "Test connection". Every failure becomes
 * a UserError that names the likely cause and the fix: wrong password, TLS mismatch, bad certificate,
 * unreachable host, timeout.
 *
 * @example
 * await testSmtpConnection({ host: 'smtp.example.nl', port: 587, security: 'STARTTLS', user: 'me', connections: 2 }, 'secret');
 */
export async function testSmtpConnection(
  settings: SmtpSettings,
  password: string | undefined,
  timeouts: SmtpTimeouts = {
    connectionTimeoutMs: 10_000,
    greetingTimeoutMs: 10_000,
    socketTimeoutMs: 20_000,
  },
): Promise<ConnectionTestResult> {
  if (settings.user && !password) {
    throw new UserError('SMTP_PASSWORD_MISSING', {
      en: `No password is stored for ${settings.user} on ${settings.host}. Enter it again for this SMTP profile.`,
      nl: `Er is geen wachtwoord bewaard voor ${settings.user} op ${settings.host}. Voer het opnieuw in bij dit SMTP-profiel.`,
    });
  }
  const transport = nodemailer.createTransport(transportOptions(settings, password, timeouts));
  try {
    await transport.verify();
    return {
      ok: true,
      host: settings.host,
      port: settings.port,
      security: settings.security,
      authenticated: Boolean(settings.user),
    };
  } catch (error) {
    throw describeConnectionError(error, settings);
  } finally {
    transport.close();
  }
}

/**
 * Turns a nodemailer connection or login error into a UserError a business owner can act on.
 *
 * @example
 * describeConnectionError({ code: 'EAUTH', responseCode: 535 }, settings).code; // 'SMTP_AUTH_FAILED'
 */
export function describeConnectionError(error: unknown, settings: SmtpSettings): UserError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    originalCode?: unknown;
    responseCode?: unknown;
    message?: unknown;
    command?: unknown;
    timeoutType?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : '';
  const original = typeof e.originalCode === 'string' ? e.originalCode : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const where = `${settings.host}:${settings.port}`;

  if (code === 'EAUTH' || e.responseCode === 535) {
    return new UserError('SMTP_AUTH_FAILED', {
      en: `The server ${where} refused the user name or password (${message}). Check both and enter the password again.`,
      nl: `De server ${where} weigerde de gebruikersnaam of het wachtwoord (${message}). Controleer beide en voer het wachtwoord opnieuw in.`,
    });
  }
  if (CERTIFICATE_CODES.has(original) || CERTIFICATE_CODES.has(code) || /certificate/i.test(message)) {
    return new UserError('SMTP_BAD_CERTIFICATE', {
      en: `The TLS certificate of ${where} is not valid for this host or not trusted (${original || message}). Use the host name printed on the certificate (ask your provider), or have the certificate fixed.`,
      nl: `Het TLS-certificaat van ${where} is niet geldig voor deze host of wordt niet vertrouwd (${original || message}). Gebruik de hostnaam die op het certificaat staat (vraag het uw provider), of laat het certificaat herstellen.`,
    });
  }
  const tlsMismatch =
    code === 'ETLS' ||
    /wrong version number|packet length too long|unknown protocol|STARTTLS/i.test(message) ||
    original === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    // Plain text against an implicit-TLS port: the server waits for a TLS hello and never greets.
    (code === 'ETIMEDOUT' && e.timeoutType === 'GREETING_TIMEOUT' && settings.security !== 'TLS') ||
    (code === 'ESOCKET' && settings.security === 'TLS' && !original.startsWith('ECONN'));
  if (tlsMismatch) {
    return new UserError('SMTP_TLS_MISMATCH', {
      en: `The security setting does not match the server ${where} (${message}). Port 465 usually needs TLS, port 587 STARTTLS.`,
      nl: `De beveiligingsinstelling past niet bij de server ${where} (${message}). Poort 465 wil meestal TLS, poort 587 STARTTLS.`,
    });
  }
  if (
    original === 'ECONNREFUSED' ||
    original === 'ENOTFOUND' ||
    original === 'EAI_AGAIN' ||
    original === 'EHOSTUNREACH' ||
    original === 'ENETUNREACH' ||
    code === 'EDNS' ||
    (code === 'ETIMEDOUT' && e.timeoutType === 'CONNECT_TIMEOUT')
  ) {
    return new UserError('SMTP_UNREACHABLE', {
      en: `Cannot reach ${where} (${original || code}). Check the host name and port, and that this computer may connect to it.`,
      nl: `Kan ${where} niet bereiken (${original || code}). Controleer de hostnaam en poort, en of deze computer ermee mag verbinden.`,
    });
  }
  if (code === 'ETIMEDOUT') {
    return new UserError('SMTP_TIMEOUT', {
      en: `The server ${where} did not answer in time. Try again later or check the port.`,
      nl: `De server ${where} antwoordde niet op tijd. Probeer het later opnieuw of controleer de poort.`,
    });
  }
  return new UserError('SMTP_CONNECTION_FAILED', {
    en: `The connection to ${where} failed: ${message}`,
    nl: `De verbinding met ${where} mislukte: ${message}`,
  });
}
