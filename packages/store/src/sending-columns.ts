/**
 * The columns migration 0300 adds to tables of the core schema, merged into their kysely types here so
 * the core `<table>.table.ts` files stay as the store's owner wrote them.
 */
import type { ConsentMethod, Lang } from '@consent-mailer/policy';
import type { Generated } from 'kysely';

declare module './sender-entity.table.js' {
  interface SenderEntityTable {
    vat_number: string | null;
    website: string | null;
    /** The business's https unsubscribe page; with it messages offer RFC 8058 one-click. */
    unsubscribe_url: string | null;
  }
}

declare module './smtp-profile.table.js' {
  interface SmtpProfileTable {
    connections: Generated<number>;
    dkim_domain: string | null;
    dkim_selector: string | null;
    /** The owner states SPF is set up for the From domain (rule M7); 0/1. */
    spf_declared: Generated<0 | 1>;
    dmarc_declared: Generated<0 | 1>;
  }
}

declare module './mailing.table.js' {
  interface MailingTable {
    lang: Generated<Lang>;
    worker_id: string | null;
    worker_pid: number | null;
    worker_host: string | null;
    worker_heartbeat_at: string | null;
    last_error_code: string | null;
    last_error: string | null;
  }
}

declare module './delivery.table.js' {
  interface DeliveryTable {
    unsubscribe_token: string | null;
    consent_method: ConsentMethod | null;
    first_mailing: Generated<0 | 1>;
    /** Set right before the message goes to the SMTP client; with state SENDING after a crash: uncertain. */
    handed_over_at: string | null;
    /** When a crash left the outcome unknown; cleared when the user decides. */
    uncertain_at: string | null;
  }
}

export {};
