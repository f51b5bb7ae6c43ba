import { promises as dns } from 'node:dns';
// Types only: this module is in every command's start-up path, and any value imported from the mailer
// package loads all of it (mailauth, nodemailer: ~0.15 s), which only sending and DNS checks need.
import type {
  ConnectionTestResult,
  DNSResolver,
  MailTransport,
  SmtpSettings,
  SmtpTimeouts,
} from '@consent-mailer/mailer';
import type * as Mailer from '@consent-mailer/mailer';

/**
 * A mailauth resolver that asks the given DNS servers ("127.0.0.5:5353") instead of the system's (the same
 * as the mailer package's, here so that making one does not load the mail stack).
 *
 * @example
 * const resolver = createDnsResolver(['127.0.0.53:5300']);
 */
export function createDnsResolver(servers: readonly string[], timeoutMs = 3000): DNSResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  resolver.setServers([...servers]);
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}

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
    openTransport: (settings, password) =>
      lazyTransport(async () => {
        const { createSmtpPool } = await loadSmtp();
        return createSmtpPool(settings, password, options.timeouts);
      }),
    testConnection: async (settings, password) => {
      const { testSmtpConnection } = await loadSmtp();
      return options.timeouts
        ? testSmtpConnection(settings, password, options.timeouts)
        : testSmtpConnection(settings, password);
    },
    ...(options.outbox ? { outbox: options.outbox } : {}),
  };
}

/**
 * nodemailer (through the mailer package) is loaded when something is sent or tested, not when a context
 * is made: every CLI command makes one, and loading the mail stack first cost a status ~0.15 s (issue 19).
 */
function loadSmtp(): Promise<typeof Mailer> {
  return import('@consent-mailer/mailer');
}

/** A transport whose pool is made on first use; closing it before then closes the pool once it exists. */
function lazyTransport(open: () => Promise<OpenTransport>): OpenTransport {
  let pool: Promise<OpenTransport> | undefined;
  const get = () => (pool ??= open());
  return {
    sendMail: async (message) => (await get()).sendMail(message),
    close: () => {
      // Nothing was opened: nothing to close.
      if (pool === undefined) return;
      // A pool that failed to open has nothing to close; its error reached the sendMail that opened it.
      pool.then(
        (transport) => transport.close(),
        () => undefined,
      );
    },
  };
}
