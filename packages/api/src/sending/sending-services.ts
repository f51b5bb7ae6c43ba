import { promises as dns } from 'node:dns';
import {
  createDnsResolver,
  createSmtpPool,
  testSmtpConnection,
  type ConnectionTestResult,
  type DNSResolver,
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
  /**
   * Where SPF, DKIM and DMARC are read from (mailauth's resolver): the system's DNS servers by default;
   * tests point it at their own DNS server.
   */
  resolver?: DNSResolver;
}

/**
 * The real thing: a nodemailer pool per send and nodemailer's verify for "Test connection".
 *
 * @example
 * const ctx = createApiContext({ store, secrets, dataDir, sending: createSendingServices({ outbox: { retryDelaysMs: [100] } }) });
 */
export function createSendingServices(
  options: { timeouts?: SmtpTimeouts; outbox?: OutboxTuning; resolver?: DNSResolver } = {},
): SendingServices {
  return {
    // Short timeouts: an offline computer must not hold an assessment for long (it then falls back to the
    // last check or the declarations).
    resolver: options.resolver ?? createDnsResolver(dns.getServers(), 2500),
    openTransport: (settings, password) => createSmtpPool(settings, password, options.timeouts),
    testConnection: (settings, password) =>
      options.timeouts
        ? testSmtpConnection(settings, password, options.timeouts)
        : testSmtpConnection(settings, password),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  };
}
