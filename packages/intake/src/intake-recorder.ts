import { hardSuppressionAllowed, isPlausibleAddress, isRedacted } from '@consent-mailer/mailer';
import { normalizeEmailAddress } from '@consent-mailer/policy';
import {
  addSuppression,
  addressHash,
  getMailing,
  inTransaction,
  recordBounce,
  recordComplaint,
  recordIntakeMessage,
  recordSenderAlert,
  setMailingStatus,
  type Executor,
  type IntakeAttribution,
  type IntakeMessageKind,
  type IntakeMessageRow,
} from '@consent-mailer/store';
import { attribute, type Attribution } from './attribution.js';
import type { IncomingMessage } from './incoming-message.js';

/** Where the message is, and what the mailbox's folders are. */
export interface MessagePlace {
  mailboxId: string;
  folder: string;
  uidValidity: number;
  uid: number;
  sourceSha256: string;
  receivedAt?: string | null;
  processedFolder: string;
  unrecognisedFolder: string;
}

/** A mailing pauses once this many refusals of the sender came back for it (an owner must look first). */
export const SENDER_ALERTS_TO_PAUSE = 5;

/** One line of what was done, per recipient (hashes, never addresses: the row outlives erasure). */
type OutcomeLine = {
  addressHash: string | null;
  action: string;
  status?: string | null;
  category?: string;
  tier: IntakeAttribution;
  /** The matched stop wording of a reply awaiting the owner (the pattern's match, not the whole mail). */
  phrase?: string | null;
};

/**
 * Writes what one message means to the ledger, in one transaction with the message's own row and the
 * folder's checkpoint: bounces (hard ones suppressed only when the attribution allows), complaints
 * (suppressed, counted apart), sender refusals (alerts, and a pause of the mailing when they pile up),
 * mailto unsubscribes, and objections from replies (the unsure ones wait for the owner).
 *
 * @example
 * const row = await recordIncoming(db, place, incoming, at);
 * row.move_to; // 'Processed', 'Unrecognised' or null (left in the folder)
 */
export async function recordIncoming(
  db: Executor,
  place: MessagePlace,
  incoming: IncomingMessage,
  at: string,
): Promise<IntakeMessageRow> {
  return inTransaction(db, async (trx) => {
    const lines: OutcomeLine[] = [];
    let kind: IntakeMessageKind;
    let main: Attribution = { tier: 'NONE' };
    let moveTo: string | null = place.processedFolder;
    let needsReview = false;
    let mainHash: string | null = null;

    if (incoming.kind === 'DSN') {
      kind = 'DSN';
      const { report } = incoming;
      const byToken = await attribute(trx, { verpToken: report.verpToken, returned: report.returned });
      main = byToken;
      for (const recipient of report.recipients) {
        // Our messages go to one recipient each: a token-attributed single-recipient bounce is about the
        // address we mailed, whatever alias the receiving side expanded it to.
        const tokenDelivery =
          byToken.delivery?.email &&
          (report.recipients.length === 1 || sameAddress(byToken.delivery.email, recipient.email))
            ? byToken
            : undefined;
        const found = tokenDelivery ?? (await attribute(trx, { email: recipient.email }));
        const email = found.delivery?.email ?? recipient.email;
        const hash = hashOf(email);
        mainHash ??= hash;
        if (main.tier === 'NONE' || main.tier === 'ADDRESS') main = found.delivery ? found : main;
        const verdict = recipient.classification.verdict;
        const base = {
          addressHash: hash,
          status: recipient.status ?? null,
          category: recipient.classification.category,
          tier: found.tier,
        };
        if (recipient.action === 'delayed' && verdict !== 'SENDER_REFUSED') {
          // A delay notice is not a bounce: the server is still trying.
          lines.push({ ...base, action: 'DELAY_NOTICE' });
          continue;
        }
        if (verdict === 'SENDER_REFUSED') {
          const alert = await recordSenderAlert(
            trx,
            {
              mailingId: found.delivery?.mailing_id ?? null,
              deliveryId: found.delivery?.id ?? null,
              source: 'INTAKE',
              category: recipient.classification.category,
              status: recipient.status ?? null,
              diagnostic: recipient.diagnostic ?? null,
              recipientDomain: email.split('@')[1] ?? null,
              receivedAt: report.receivedAt ?? at,
            },
            at,
          );
          lines.push({ ...base, action: 'SENDER_ALERT' });
          await pauseWhenPiledUp(trx, found.delivery?.mailing_id, alert.alertsForMailing, at);
          continue;
        }
        const hard = hardSuppressionAllowed(recipient.classification, recipient.status, found.tier);
        await recordBounce(
          trx,
          {
            email,
            kind: hard ? 'HARD' : 'SOFT',
            status: recipient.status ?? null,
            diagnostic: recipient.diagnostic ?? null,
            receivedAt: report.receivedAt ?? at,
            mailingId: found.delivery?.mailing_id ?? null,
            deliveryId: found.delivery?.id ?? null,
          },
          at,
        );
        lines.push({
          ...base,
          action: hard ? 'HARD_BOUNCE' : verdict === 'HARD' ? 'SOFT_BOUNCE_WEAK_ATTRIBUTION' : 'SOFT_BOUNCE',
        });
      }
      for (const skipped of report.skipped)
        lines.push({ addressHash: null, action: `SKIPPED ${skipped.slice(0, 100)}`, tier: 'NONE' });
      if (report.recipients.length === 0) {
        kind = 'UNRECOGNISED';
        moveTo = place.unrecognisedFolder;
      }
    } else if (incoming.kind === 'COMPLAINT') {
      kind = 'COMPLAINT';
      const { report } = incoming;
      main = await attribute(trx, {
        verpToken: report.verpToken,
        returned: report.returned,
        email: report.recipients[0],
      });
      // A redacted report names no one: only the returned message's own headers can (issue 16).
      const strong = main.tier !== 'ADDRESS' && main.tier !== 'NONE' && main.delivery?.email;
      const complainers = strong
        ? [main.delivery?.email ?? '']
        : report.recipients.filter((email) => !isRedacted(email) && isPlausibleAddress(email));
      for (const email of complainers) {
        const found = strong ? main : await attribute(trx, { email });
        const recorded = await recordComplaint(
          trx,
          {
            email,
            source: report.source,
            receivedAt: report.receivedAt ?? at,
            mailingId: found.delivery?.mailing_id ?? null,
            deliveryId: found.delivery?.id ?? null,
            reference: report.originalMessageId ?? null,
            detail: `feedback-type ${report.feedbackType}${report.reportingMta ? ` from ${report.reportingMta}` : ''}`,
          },
          at,
        );
        mainHash ??= recorded.addressHash;
        lines.push({ addressHash: recorded.addressHash, action: 'COMPLAINT', tier: found.tier });
      }
      if (complainers.length === 0) {
        kind = 'UNRECOGNISED';
        moveTo = place.unrecognisedFolder;
        lines.push({
          addressHash: null,
          action: report.redacted ? 'REDACTED_UNMATCHED' : 'NO_RECIPIENT',
          tier: 'NONE',
        });
      }
    } else if (incoming.kind === 'AUTH_REPORT') {
      kind = 'DSN';
      main = await attribute(trx, { returned: incoming.report.returned });
      const alert = await recordSenderAlert(
        trx,
        {
          mailingId: main.delivery?.mailing_id ?? null,
          deliveryId: main.delivery?.id ?? null,
          source: 'INTAKE',
          category: 'AUTHENTICATION',
          diagnostic: `authentication failure report (${incoming.report.reportingMta ?? 'unknown reporter'})`,
          receivedAt: incoming.report.receivedAt ?? at,
        },
        at,
      );
      await pauseWhenPiledUp(trx, main.delivery?.mailing_id, alert.alertsForMailing, at);
      lines.push({ addressHash: null, action: 'SENDER_ALERT', category: 'AUTHENTICATION', tier: main.tier });
    } else if (incoming.kind === 'UNSUBSCRIBE') {
      kind = 'UNSUBSCRIBE';
      main = await attribute(trx, { returned: { unsubscribeToken: incoming.token, to: [] } });
      const email = main.delivery?.email ?? incoming.from;
      if (!main.delivery) main = { tier: incoming.from ? 'ADDRESS' : 'NONE' };
      if (email && isPlausibleAddress(email)) {
        // An unknown token still came from someone asking to be unsubscribed: honour it for the sender.
        mainHash = await addSuppression(trx, {
          email,
          reason: 'UNSUBSCRIBED',
          source: 'MAILTO',
          note: main.delivery ? null : 'mailto unsubscribe with an unknown token, by the sender address',
          at,
        });
        lines.push({ addressHash: mainHash, action: 'UNSUBSCRIBED', tier: main.tier });
      } else {
        kind = 'UNRECOGNISED';
        moveTo = place.unrecognisedFolder;
      }
    } else if (incoming.kind === 'STOP_REPLY') {
      kind = 'STOP_REPLY';
      main = await attribute(trx, { messageIds: incoming.inReplyTo, email: incoming.from });
      const email = main.tier === 'MESSAGE_ID' ? (main.delivery?.email ?? incoming.from) : incoming.from;
      mainHash = email ? hashOf(email) : null;
      if (incoming.stop.confident && email) {
        await addSuppression(trx, {
          email,
          reason: 'OBJECTED',
          source: 'REPLY',
          note: `reply: "${incoming.stop.phrase ?? ''}"`,
          at,
        });
        lines.push({ addressHash: mainHash, action: 'OBJECTED', tier: main.tier });
      } else {
        // Shown to the owner to confirm; the message stays where it is, flagged.
        needsReview = true;
        moveTo = null;
        // The words that made it look like a stop request, for the owner to judge without opening the mail.
        lines.push({
          addressHash: mainHash,
          action: 'AWAITING_OWNER',
          tier: main.tier,
          phrase: incoming.stop.phrase ?? null,
        });
      }
    } else if (incoming.kind === 'AUTO_REPLY') {
      kind = 'AUTO_REPLY';
    } else if (incoming.kind === 'UNRECOGNISED') {
      kind = 'UNRECOGNISED';
      moveTo = place.unrecognisedFolder;
      lines.push({ addressHash: null, action: incoming.why, tier: 'NONE' });
    } else {
      // Ordinary mail to the business: left alone, in its folder, unread.
      kind = 'OTHER';
      moveTo = null;
    }

    return recordIntakeMessage(
      trx,
      {
        mailboxId: place.mailboxId,
        folder: place.folder,
        uidValidity: place.uidValidity,
        uid: place.uid,
        sourceSha256: place.sourceSha256,
        kind,
        attribution: main.tier,
        mailingId: main.delivery?.mailing_id ?? null,
        deliveryId: main.delivery?.id ?? null,
        contactId: main.delivery?.contact_id ?? null,
        addressHash: mainHash,
        outcome: { lines },
        needsReview,
        moveTo,
        receivedAt: place.receivedAt ?? null,
      },
      at,
    );
  });
}

async function pauseWhenPiledUp(
  trx: Executor,
  mailingId: string | null | undefined,
  alerts: number,
  at: string,
): Promise<void> {
  if (!mailingId || alerts < SENDER_ALERTS_TO_PAUSE) return;
  const mailing = await getMailing(trx, mailingId);
  if (mailing.status !== 'SENDING' && mailing.status !== 'QUEUED') return;
  await setMailingStatus(trx, mailingId, 'PAUSED', at, {
    code: 'MAILING_SENDER_REFUSED',
    message: `${alerts} receiving servers refused your sending (SPF/DKIM/DMARC or your server's IP). Check your DNS records and blocklists, then resume the mailing.`,
  });
}

function hashOf(email: string): string {
  return addressHash(normalizeEmailAddress(email));
}

function sameAddress(a: string, b: string): boolean {
  return normalizeEmailAddress(a) === normalizeEmailAddress(b);
}
