import {
  hardSuppressionAllowed,
  parseFeedbackMessage,
  parseUnsubscribeSubject,
} from '@consent-mailer/mailer';
import { ComplaintSource, IsoDateTime, UserError, normalizeEmailAddress } from '@consent-mailer/policy';
import {
  addSuppression,
  browseSuppressions,
  findDeliveryFor,
  listSuppressions,
  recordBounce,
  recordComplaint,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc.js';

/** How an unsubscribe reached the business. */
export const UnsubscribeChannel = z.enum([
  'REPLY',
  'PHONE',
  'LETTER',
  'IN_PERSON',
  'UNSUBSCRIBE_LINK',
  'OTHER',
]);

const noteText = z.string().trim().min(1).max(1000).optional();

export const suppressionsRouter = {
  /**
   * Records an unsubscribe (a reply, a phone call …) by address or by the token of a message's unsubscribe
   * link. The address is suppressed at once: a send in progress skips it from its next batch on.
   */
  unsubscribe: publicProcedure
    .input(
      z
        .object({
          email: z.string().min(3).max(254).optional(),
          token: z.string().min(8).max(200).optional(),
          channel: UnsubscribeChannel.default('OTHER'),
          objection: z.boolean().default(false),
          note: noteText,
        })
        .refine((v) => v.email || v.token, 'give an e-mail address or a token'),
    )
    .mutation(async ({ ctx, input }) => {
      const at = ctx.clock().toISOString();
      const token = input.token ? (parseUnsubscribeSubject(input.token) ?? input.token) : undefined;
      let email = input.email ? normalizeEmailAddress(input.email) : undefined;
      let mailingId: string | null = null;
      if (!email && token) {
        const delivery = await findDeliveryFor(ctx.store.db, { token });
        if (!delivery?.email) {
          throw new UserError('UNSUBSCRIBE_TOKEN_UNKNOWN', {
            en: 'No message with this unsubscribe token was sent from here. Record the unsubscribe by e-mail address instead.',
            nl: 'Er is hier geen bericht met dit afmeldtoken verstuurd. Leg de afmelding vast met het e-mailadres.',
          });
        }
        email = delivery.email;
        mailingId = delivery.mailing_id;
      }
      if (!email) throw new Error('unreachable: refine guarantees an email or a token');
      const addressHash = await addSuppression(ctx.store.db, {
        email,
        reason: input.objection ? 'OBJECTED' : 'UNSUBSCRIBED',
        source: input.channel,
        note: input.note ?? null,
        at,
      });
      return { email, addressHash, reason: input.objection ? 'OBJECTED' : 'UNSUBSCRIBED', mailingId, at };
    }),

  /** Records a complaint (spamklacht.nl, hoster, datacenter, ARF, by hand): the address is suppressed. */
  complaint: publicProcedure
    .input(
      z.object({
        email: z.string().min(3).max(254),
        source: ComplaintSource,
        receivedAt: IsoDateTime.optional(),
        mailingId: z.string().min(1).max(64).optional(),
        reference: z.string().trim().min(1).max(300).optional(),
        note: noteText,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const at = ctx.clock().toISOString();
      const delivery = input.mailingId
        ? undefined
        : await findDeliveryFor(ctx.store.db, { email: input.email });
      const result = await recordComplaint(
        ctx.store.db,
        {
          email: input.email,
          source: input.source,
          receivedAt: input.receivedAt ?? at,
          mailingId: input.mailingId ?? delivery?.mailing_id ?? null,
          deliveryId: delivery?.id ?? null,
          reference: input.reference ?? null,
          detail: input.note ?? null,
        },
        at,
      );
      return {
        complaintId: result.id,
        email: normalizeEmailAddress(input.email),
        source: input.source,
        mailingId: input.mailingId ?? delivery?.mailing_id ?? null,
      };
    }),

  /**
   * Imports a bounce (RFC 3464 DSN) or complaint (RFC 5965 ARF) message saved as .eml: bounces and
   * complaints recorded, hard bounces and complainers suppressed.
   */
  importFeedback: publicProcedure
    .input(
      z.object({
        eml: z.string().min(1).max(30_000_000),
        encoding: z.enum(['utf8', 'base64']).default('utf8'),
        fileName: z.string().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const at = ctx.clock().toISOString();
      const report = await parseFeedbackMessage(
        input.encoding === 'base64' ? Buffer.from(input.eml, 'base64') : input.eml,
      );
      if (report.kind === 'ARF') {
        const recorded = [];
        // A redacted report names nobody: the returned message's own headers identify the delivery.
        const byHeaders = await findDeliveryFor(ctx.store.db, {
          token: report.returned?.deliveryToken ?? report.unsubscribeToken,
          messageId: report.originalMessageId,
        });
        const complainers =
          report.recipients.length > 0 ? report.recipients : byHeaders?.email ? [byHeaders.email] : [];
        for (const email of complainers) {
          const delivery = await findDeliveryFor(ctx.store.db, {
            messageId: report.originalMessageId,
            token: report.unsubscribeToken,
            email,
          });
          const result = await recordComplaint(
            ctx.store.db,
            {
              email,
              source: 'ARF',
              receivedAt: report.receivedAt ?? at,
              mailingId: delivery?.mailing_id ?? null,
              deliveryId: delivery?.id ?? null,
              reference: report.originalMessageId ?? null,
              detail: `feedback-type ${report.feedbackType}${report.reportingMta ? ` from ${report.reportingMta}` : ''}`,
            },
            at,
          );
          recorded.push({ email, complaintId: result.id, mailingId: delivery?.mailing_id ?? null });
        }
        return { kind: 'ARF' as const, feedbackType: report.feedbackType, complaints: recorded, bounces: [] };
      }
      const bounces = [];
      for (const recipient of report.recipients) {
        // Delays are not bounces; a refusal of the sender (5.7.26, blocklists) is not the recipient's fault.
        if (recipient.action !== 'failed') continue;
        if (recipient.classification.verdict === 'SENDER_REFUSED') continue;
        const strong = await findDeliveryFor(ctx.store.db, {
          token: report.returned?.deliveryToken ?? report.verpToken,
          messageId: report.originalMessageId,
        });
        const delivery = strong ?? (await findDeliveryFor(ctx.store.db, { email: recipient.email }));
        // By the address alone, only a 5.1.x status may suppress (issue 16, attribution tiers).
        const kind = hardSuppressionAllowed(
          recipient.classification,
          recipient.status,
          strong ? 'HEADER_TOKEN' : 'ADDRESS',
        )
          ? ('HARD' as const)
          : ('SOFT' as const);
        const result = await recordBounce(
          ctx.store.db,
          {
            email: recipient.email,
            kind,
            status: recipient.status ?? null,
            diagnostic: recipient.diagnostic ?? null,
            receivedAt: report.receivedAt ?? at,
            mailingId: delivery?.mailing_id ?? null,
            deliveryId: delivery?.id ?? null,
          },
          at,
        );
        bounces.push({
          email: recipient.email,
          kind,
          status: recipient.status ?? null,
          bounceId: result.id,
          suppressed: kind === 'HARD',
          mailingId: delivery?.mailing_id ?? null,
        });
      }
      return { kind: 'DSN' as const, feedbackType: null, complaints: [], bounces };
    }),

  /**
   * The suppression screen: newest first, with the contact's address where a contact holds it. `search`
   * is a whole address (found even when no contact has it) or a part of a contact's address.
   */
  browse: publicProcedure
    .input(
      z.object({
        search: z.string().trim().max(254).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    )
    .query(async ({ ctx, input }) =>
      browseSuppressions(ctx.store.db, { search: input.search ?? null, limit: input.limit }),
    ),

  /** Puts an address on the suppression list by hand (the owner's own "never mail this address"). */
  add: publicProcedure
    .input(z.object({ email: z.string().trim().min(3).max(254), note: noteText }))
    .mutation(async ({ ctx, input }) => {
      const at = ctx.clock().toISOString();
      const email = normalizeEmailAddress(input.email);
      const addressHash = await addSuppression(ctx.store.db, {
        email,
        reason: 'MANUAL',
        source: 'APP',
        note: input.note ?? null,
        at,
      });
      return { email, addressHash, at };
    }),

  /** The suppression list (address hashes only), oldest first. */
  list: publicProcedure
    .input(
      z.object({ limit: z.number().int().min(1).max(1000).default(100), after: z.number().int().optional() }),
    )
    .query(async ({ ctx, input }) =>
      listSuppressions(ctx.store.db, { limit: input.limit, after: input.after ?? null }),
    ),
} satisfies TRPCRouterRecord;
