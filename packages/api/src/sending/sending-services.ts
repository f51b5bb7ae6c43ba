import {
  createSmtpPool,
  testSmtpConnection,
  type ConnectionTestResult,
  type MailTransport,
  type SmtpSettings,
  type SmtpTimeouts,
} from '@consent-mailer/mailer';

/** An open SMTP pool the outbox sends through. */
export interface OpenTransport extends MailTransport {
  close(): void;
}

/** Outbox tuning; the defaults suit real servers, tests shorten them. */
export interface OutboxTuning {
  batchSize?: number;
  retryDelaysMs?: readonly number[];
  maxWaitMs?: number;
}

/**
 * How the api reaches SMTP servers: the transport factory of the api context. The host (desktop, CLI)
 * uses the default; tests pass one with short timeouts and retry delays against their own server.
 */
export interface SendingServices {
  openTransport(settings: SmtpSettings, password: string | undefined): OpenTransport;
  testConnection(settings: SmtpSettings, password: string | undefined): Promise<ConnectionTestResult>;
  outbox?: OutboxTuning;
}

/**
 * The real thing: a nodemailer pool per send and nodemailer's verify for "Test connection".
 *
 * @example
 * const ctx = createApiContext({ store, secrets, dataDir, sending: createSendingServices({ outbox: { retryDelaysMs: [100] } }) });
 */
export function createSendingServices(
  options: { timeouts?: SmtpTimeouts; outbox?: OutboxTuning } = {},
): SendingServices {
  return {
    openTransport: (settings, password) => createSmtpPool(settings, password, options.timeouts),
    testConnection: (settings, password) =>
      options.timeouts
        ? testSmtpConnection(settings, password, options.timeouts)
        : testSmtpConnection(settings, password),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  };
}
