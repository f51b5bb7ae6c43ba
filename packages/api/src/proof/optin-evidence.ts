import { optinEventsAbout, sha256Hex, type Executor, type OptinFeedEvent } from '@consent-mailer/store';

/** The bundle file with the opt-in service's signed feed events about the person. */
export const OPTIN_EVENTS_FILE = 'optin/feed-events.json';

/** One signed event of the opt-in service, exactly as pulled (the signature covers id, type, at, data). */
export type OptinEvidenceEvent = OptinFeedEvent;

/** The service whose key signed them: its address, the key pinned at pairing and its fingerprint. */
export interface OptinEvidenceService {
  url: string;
  keyFingerprint: string;
  publicKeyPem: string;
  events: OptinEvidenceEvent[];
}

/** The confirmation mail as the service sent it, from a signed `confirmed` event. */
export interface ConfirmationMailEvidence {
  eventSeq: number;
  serviceUrl: string;
  messageId: string | null;
  smtpReply: string | null;
  sentAt: string | null;
  /** The bundle file holding the raw MIME, when the event carries it. */
  file: string | null;
  sha256: string | null;
}

/**
 * The opt-in service's signed feed events about this person (by contact, or by the address hash the
 * events carry), grouped by the service whose pinned key signed them, and the confirmation mails they
 * carry (raw MIME as a file of its own, Message-ID, SMTP reply).
 */
export async function collectOptinEvidence(
  db: Executor,
  contact: { id: number; address_hash: string },
): Promise<{
  services: OptinEvidenceService[];
  mails: ConfirmationMailEvidence[];
  files: Record<string, string>;
}> {
  const rows = await optinEventsAbout(db, contact);
  const services = new Map<string, OptinEvidenceService>();
  const mails: ConfirmationMailEvidence[] = [];
  const files: Record<string, string> = {};
  for (const row of rows) {
    let service = services.get(row.service_id);
    if (service === undefined) {
      service = {
        url: row.url,
        keyFingerprint: row.key_fingerprint,
        publicKeyPem: row.public_key,
        events: [],
      };
      services.set(row.service_id, service);
    }
    const data = JSON.parse(row.data) as Record<string, unknown>;
    service.events.push({
      seq: row.seq,
      id: row.event_id,
      type: row.type,
      at: row.at,
      data,
      signature: row.signature,
    });
    if (row.type !== 'confirmed') continue;
    const raw = typeof data.confirmRawMime === 'string' ? data.confirmRawMime : null;
    const file = raw === null ? null : `optin/confirmation-mail-${row.service_id.slice(0, 8)}-${row.seq}.eml`;
    if (file !== null && raw !== null) files[file] = raw;
    mails.push({
      eventSeq: row.seq,
      serviceUrl: row.url,
      messageId: typeof data.confirmMessageId === 'string' ? data.confirmMessageId : null,
      smtpReply: typeof data.confirmSmtpReply === 'string' ? data.confirmSmtpReply : null,
      sentAt: typeof data.confirmMailSentAt === 'string' ? data.confirmMailSentAt : null,
      file,
      sha256: raw === null ? null : sha256Hex(raw),
    });
  }
  return { services: [...services.values()], mails, files };
}
