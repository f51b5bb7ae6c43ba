// The mailings router (one router file per feature): create, assess, send and its controls, status,
// drafts and previews. Over 400 lines because the feature has 18 procedures and the views they return.
import { randomUUID } from 'node:crypto';
import {
  assertHeaderValue,
  checkMergeFields,
  describeMergeFields,
  MERGE_FIELD_LABELS,
  MERGE_FIELD_NAMES,
  type OutboxRunResult,
} from '@consent-mailer/mailer';
import {
  explainReason,
  MailingContent,
  UserError,
  type Lang,
  type MailingAssessment,
  type RecipientVerdict,
} from '@consent-mailer/policy';
import {
  cancelPendingDeliveries,
  countDeliveries,
  createMailing,
  deleteDraftMailing,
  getMailing,
  getSenderEntity,
  getSmtpProfile,
  latestAssessment,
  listMailings,
  listUncertainDeliveries,
  resolveUncertainDeliveries,
  setMailingStatus,
  updateDraftMailing,
  type DeliveryCounts,
  type MailingRow,
  type UncertainDelivery,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import {
  authenticationView,
  sendEstimateView,
  type AuthenticationView,
  type SendEstimateView,
} from '../sending/deliverability.js';
import { runMailingGate, type GateResult } from '../sending/mailing-gate.js';
import { renderMailing, sendTestMailing } from '../sending/mailing-preview.js';
import { SEND_JOB_KIND, startMailingSend } from '../sending/mailing-sender.js';
import { LangInput } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

// English where a caller (the CLI without --lang) names none.
const LangOrEnglish = LangInput.default('en');
const MailingId = z.object({ id: z.string().min(1).max(64) });

/** Input of `mailings.create`. */
export const MailingCreateInput = z.object({
  name: z.string().trim().min(1).max(200),
  senderEntityId: z.string().min(1).max(64),
  listId: z.string().min(1).max(200),
  /** SMTP profile name or id. */
  smtpProfile: z.string().min(1).max(64),
  subject: z.string().trim().min(1).max(300),
  html: z.string().min(1).max(2_000_000),
  text: z.string().min(1).max(2_000_000).optional(),
  content: MailingContent.default('MARKETING'),
  productCategories: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  promotesThirdParty: z.boolean().default(false),
  lang: LangInput.default('nl'),
});

/** Input of `mailings.update`: the fields of `create` to change (not the sender: consent is per sender). */
export const MailingUpdateInput = z.object({
  id: z.string().min(1).max(64),
  name: MailingCreateInput.shape.name.optional(),
  listId: MailingCreateInput.shape.listId.optional(),
  smtpProfile: MailingCreateInput.shape.smtpProfile.optional(),
  subject: MailingCreateInput.shape.subject.optional(),
  html: MailingCreateInput.shape.html.optional(),
  text: MailingCreateInput.shape.text.unwrap().nullable().optional(),
  content: MailingContent.optional(),
  productCategories: MailingCreateInput.shape.productCategories.unwrap().nullable().optional(),
  promotesThirdParty: z.boolean().optional(),
  lang: LangInput.optional(),
});

/** A mailing with its outbox counts, for status screens. */
export interface MailingView {
  id: string;
  name: string;
  status: string;
  senderEntityId: string;
  listId: string;
  smtpProfileId: string | null;
  subject: string;
  /** The subject as a person reads it where the mailing is named, not edited: "Hallo [voornaam]". */
  subjectInWords: { nl: string; en: string };
  content: string;
  lang: string;
  createdAt: string;
  queuedAt: string | null;
  sentAt: string | null;
  lastError: { code: string; message: string } | null;
  deliveries: DeliveryCounts;
}

/** An assessment in the user's language. */
export interface AssessmentView {
  mailingId: string;
  policyVersion: string;
  classification: string;
  acknowledgementStatus: string;
  recipientSetHash: string;
  counts: {
    total: number;
    included: number;
    excluded: number;
    needsAcknowledgement: number;
    byClassification: Record<string, number>;
  };
  reasons: { code: string; classification: string; text: string }[];
  /** The first 100 of each group, with why. */
  excluded: RecipientView[];
  needsAcknowledgement: RecipientView[];
}

/** `mailings.assess`: the assessment plus where M7's facts came from and the send-time estimate. */
export interface AssessmentResultView extends AssessmentView {
  authentication: AuthenticationView;
  sendEstimate: SendEstimateView;
  /**
   * Recipients who get it at a general address (info@, sales@ …) rather than a person's: flagged before
   * sending, since several people read such a mailbox and the one who signed up may be gone (issue 14).
   */
  roleAddresses: { count: number; sample: string[] };
}

interface RecipientView {
  email: string;
  method: string;
  classification: string;
  reasons: { code: string; text: string }[];
}

function recipientView(verdict: RecipientVerdict, lang: Lang): RecipientView {
  return {
    email: verdict.email,
    method: verdict.method,
    classification: verdict.classification,
    reasons: verdict.reasons.map((reason) => ({ code: reason.code, text: explainReason(reason, lang) })),
  };
}

function assessmentResultView(gate: GateResult, lang: Lang): AssessmentResultView {
  return {
    ...assessmentView(gate.assessment, lang),
    // Deliverability (issue 18): where M7's facts came from, and how long sending will take.
    authentication: authenticationView(gate.authentication, lang),
    sendEstimate: sendEstimateView(gate.sendEstimate, lang),
    roleAddresses: roleAddresses(gate),
  };
}

/** The included recipients whose address is a role address, as the contact records say (else by its name). */
function roleAddresses(gate: GateResult): AssessmentResultView['roleAddresses'] {
  if (gate.roleAddresses.length === 0) return { count: 0, sample: [] };
  // A set of the few role addresses, not of every included address (a million of them took 0.6 s).
  const candidates = new Set(gate.roleAddresses);
  const included = new Set<string>();
  for (const verdict of gate.assessment.included)
    if (candidates.has(verdict.email)) included.add(verdict.email);
  const role = gate.roleAddresses.filter((email) => included.has(email));
  return { count: role.length, sample: role.slice(0, 10) };
}

function assessmentView(assessment: MailingAssessment, lang: Lang): AssessmentView {
  return {
    mailingId: assessment.mailingId,
    policyVersion: assessment.policyVersion,
    classification: assessment.classification,
    acknowledgementStatus: assessment.acknowledgementStatus,
    recipientSetHash: assessment.recipientSetHash,
    counts: {
      total: assessment.counts.total,
      included: assessment.counts.included,
      excluded: assessment.counts.excluded,
      needsAcknowledgement: assessment.counts.needsAcknowledgement,
      byClassification: { ...assessment.counts.byClassification },
    },
    reasons: assessment.reasons.map((reason) => ({
      code: reason.code,
      classification: reason.classification,
      text: explainReason(reason, lang),
    })),
    excluded: assessment.excluded.slice(0, 100).map((v) => recipientView(v, lang)),
    needsAcknowledgement: assessment.needsAcknowledgement.slice(0, 100).map((v) => recipientView(v, lang)),
  };
}

/** What every view of a mailing names it by: its identity, status, the choices it was made with. */
function mailingHead(row: MailingRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    senderEntityId: row.sender_entity_id,
    listId: row.list_id,
    smtpProfileId: row.smtp_profile_id,
    subject: row.subject,
    subjectInWords: {
      nl: describeMergeFields(row.subject, 'nl'),
      en: describeMergeFields(row.subject, 'en'),
    },
    content: row.content,
  };
}

/** The product categories a mailing promotes (rule for existing customers), null when none were given. */
function productCategoriesOf(row: MailingRow): string[] | null {
  const categories: unknown = row.product_categories ? JSON.parse(row.product_categories) : null;
  return Array.isArray(categories) ? categories.map(String) : null;
}

async function mailingView(db: Parameters<typeof countDeliveries>[0], row: MailingRow): Promise<MailingView> {
  return {
    ...mailingHead(row),
    lang: row.lang,
    createdAt: row.created_at,
    queuedAt: row.queued_at,
    sentAt: row.sent_at,
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error ?? '' } : null,
    deliveries: await countDeliveries(db, row.id),
  };
}

export const mailingsRouter = {
  /** Writes a mailing (DRAFT). Merge fields and the subject are checked now, not at send time. */
  create: publicProcedure.input(MailingCreateInput).mutation(async ({ ctx, input }) => {
    assertHeaderValue('subject', input.subject);
    checkMergeFields(input.subject);
    checkMergeFields(input.html);
    if (input.text) checkMergeFields(input.text);
    await getSenderEntity(ctx.store.db, input.senderEntityId);
    const profile = await getSmtpProfile(ctx.store.db, input.smtpProfile);
    const row = await createMailing(
      ctx.store.db,
      {
        id: randomUUID(),
        name: input.name,
        senderEntityId: input.senderEntityId,
        listId: input.listId,
        smtpProfileId: profile.id,
        subject: input.subject,
        html: input.html,
        text: input.text ?? null,
        content: input.content,
        productCategories: input.productCategories ?? null,
        promotesThirdParty: input.promotesThirdParty,
        lang: input.lang,
      },
      ctx.clock().toISOString(),
    );
    return mailingView(ctx.store.db, row);
  }),

  /**
   * Who will and will not get it, and why, recorded: an assessment row, each contact's class (dashboard and
   * filters) and a DRAFT mailing becomes ASSESSED. The owner's explicit "assess" and `mailing assess`.
   */
  assess: publicProcedure
    .input(MailingId.extend({ lang: LangOrEnglish }))
    .mutation(async ({ ctx, input }) => {
      const gate = await runMailingGate(ctx, input.id);
      return assessmentResultView(gate, input.lang);
    }),

  /**
   * The same verdict for a look, in both languages: writes nothing, so a screen can show it on arrival and a
   * language switch only re-renders (the texts of both languages come from one run of the rules).
   */
  assessment: publicProcedure.input(MailingId).query(async ({ ctx, input }) => {
    const gate = await runMailingGate(ctx, input.id, { record: false });
    return { nl: assessmentResultView(gate, 'nl'), en: assessmentResultView(gate, 'en') };
  }),

  /**
   * Sends: the gate on current data (a BLOCKED mailing sends nothing and says why), the outbox, the worker
   * as a job. Also continues a send a crash interrupted.
   */
  send: publicProcedure.input(MailingId).mutation(async ({ ctx, input }) => {
    const start = await startMailingSend(ctx, input.id, 'send');
    return { jobId: start.job.id, queued: start.queued, recovered: start.recovered };
  }),

  /** Goes on with a paused (or interrupted) mailing. */
  resume: publicProcedure.input(MailingId).mutation(async ({ ctx, input }) => {
    const start = await startMailingSend(ctx, input.id, 'resume');
    return { jobId: start.job.id, queued: start.queued, recovered: start.recovered };
  }),

  /** Pauses before the next hand-over to SMTP (what is already on the way finishes). */
  pause: publicProcedure.input(MailingId).mutation(async ({ ctx, input }) => {
    const row = await getMailing(ctx.store.db, input.id);
    if (row.status !== 'SENDING' && row.status !== 'QUEUED') {
      throw new UserError('MAILING_NOT_SENDING', {
        en: `This mailing is ${row.status}, not sending; there is nothing to pause.`,
        nl: `Deze mailing is ${row.status}, niet bezig met versturen; er valt niets te pauzeren.`,
      });
    }
    await setMailingStatus(ctx.store.db, input.id, 'PAUSED', ctx.clock().toISOString());
    return mailingView(ctx.store.db, await getMailing(ctx.store.db, input.id));
  }),

  /** Cancels what has not gone out yet. */
  cancel: publicProcedure.input(MailingId).mutation(async ({ ctx, input }) => {
    const row = await getMailing(ctx.store.db, input.id);
    if (row.status === 'SENT' || row.status === 'CANCELLED') {
      throw new UserError('MAILING_FINISHED', {
        en: `This mailing is ${row.status} already; there is nothing to cancel.`,
        nl: `Deze mailing is al ${row.status}; er valt niets te annuleren.`,
      });
    }
    const at = ctx.clock().toISOString();
    await setMailingStatus(ctx.store.db, input.id, 'CANCELLED', at);
    const cancelled = await cancelPendingDeliveries(ctx.store.db, input.id, at);
    return { ...(await mailingView(ctx.store.db, await getMailing(ctx.store.db, input.id))), cancelled };
  }),

  /** All mailings with their outbox counts, newest first. */
  list: publicProcedure.query(async ({ ctx }) => {
    const rows = await listMailings(ctx.store.db);
    return Promise.all(rows.map((row) => mailingView(ctx.store.db, row)));
  }),

  /** One mailing with its counts, uncertain deliveries and latest assessment. */
  status: publicProcedure.input(MailingId).query(async ({ ctx, input }) => {
    const row = await getMailing(ctx.store.db, input.id);
    const assessment = await latestAssessment(ctx.store.db, input.id);
    const uncertain: UncertainDelivery[] = await listUncertainDeliveries(ctx.store.db, input.id);
    return {
      mailing: await mailingView(ctx.store.db, row),
      uncertain,
      assessment: assessment
        ? {
            classification: assessment.classification,
            assessedAt: assessment.assessed_at,
            policyVersion: assessment.policy_version,
            included: assessment.included_count,
            excluded: assessment.excluded_count,
            needsAcknowledgement: assessment.needs_acknowledgement_count,
          }
        : null,
    };
  }),

  /** The user's decision on deliveries a crash left UNCERTAIN: resend (maybe twice) or skip. */
  resolveUncertain: publicProcedure
    .input(
      MailingId.extend({
        decision: z.enum(['RESEND', 'SKIP']),
        deliveryIds: z.array(z.number().int().positive()).max(100_000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const count = await resolveUncertainDeliveries(ctx.store.db, {
        mailingId: input.id,
        decision: input.decision,
        at: ctx.clock().toISOString(),
        ...(input.deliveryIds ? { ids: input.deliveryIds } : {}),
      });
      return { resolved: count };
    }),

  /**
   * Changes a mailing that has not been queued (an assessed one goes back to DRAFT: assess it again).
   * The same checks as `create` apply to a new subject and body.
   */
  update: publicProcedure.input(MailingUpdateInput).mutation(async ({ ctx, input }) => {
    if (input.subject !== undefined) {
      assertHeaderValue('subject', input.subject);
      checkMergeFields(input.subject);
    }
    if (input.html !== undefined) checkMergeFields(input.html);
    if (input.text) checkMergeFields(input.text);
    const profile =
      input.smtpProfile === undefined ? undefined : await getSmtpProfile(ctx.store.db, input.smtpProfile);
    const row = await updateDraftMailing(
      ctx.store.db,
      input.id,
      {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.listId === undefined ? {} : { listId: input.listId }),
        ...(profile === undefined ? {} : { smtpProfileId: profile.id }),
        ...(input.subject === undefined ? {} : { subject: input.subject }),
        ...(input.html === undefined ? {} : { html: input.html }),
        ...(input.text === undefined ? {} : { text: input.text }),
        ...(input.content === undefined ? {} : { content: input.content }),
        ...(input.productCategories === undefined ? {} : { productCategories: input.productCategories }),
        ...(input.promotesThirdParty === undefined ? {} : { promotesThirdParty: input.promotesThirdParty }),
        ...(input.lang === undefined ? {} : { lang: input.lang }),
      },
      ctx.clock().toISOString(),
    );
    return mailingView(ctx.store.db, row);
  }),

  /** The fields a draft's edit form starts from (the body too, which status screens leave out). */
  draft: publicProcedure.input(MailingId).query(async ({ ctx, input }) => {
    const row = await getMailing(ctx.store.db, input.id);
    return {
      ...mailingHead(row),
      html: row.body_html ?? '',
      text: row.body_text ?? '',
      productCategories: productCategoriesOf(row) ?? [],
      promotesThirdParty: row.promotes_third_party === 1,
      lang: row.lang === 'en' ? ('en' as const) : ('nl' as const),
    };
  }),

  /** A new DRAFT with the same sender, list, profile and content (any status may be duplicated). */
  duplicate: publicProcedure
    .input(MailingId.extend({ name: z.string().trim().min(1).max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const source = await getMailing(ctx.store.db, input.id);
      if (source.smtp_profile_id === null) {
        throw new UserError('MAILING_NO_SMTP_PROFILE', {
          en: `The mailing "${source.name}" has no SMTP profile to copy. Create a new mailing instead.`,
          nl: `De mailing "${source.name}" heeft geen SMTP-profiel om te kopiëren. Maak een nieuwe mailing.`,
        });
      }
      const row = await createMailing(
        ctx.store.db,
        {
          id: randomUUID(),
          name: input.name ?? `${source.name} (copy)`.slice(0, 200),
          senderEntityId: source.sender_entity_id,
          listId: source.list_id,
          smtpProfileId: source.smtp_profile_id,
          subject: source.subject,
          html: source.body_html ?? '',
          text: source.body_text,
          content: source.content,
          productCategories: productCategoriesOf(source),
          promotesThirdParty: source.promotes_third_party === 1,
          lang: source.lang,
        },
        ctx.clock().toISOString(),
      );
      return mailingView(ctx.store.db, row);
    }),

  /** The merge fields a mailing may use, with their names in the owner's words (for the composer's menu). */
  mergeFields: publicProcedure.query(() =>
    MERGE_FIELD_NAMES.map((name) => ({ name, label: MERGE_FIELD_LABELS[name] })),
  ),

  /** The mailing as one contact (or an example person) receives it: merge fields, footer, headers. */
  preview: publicProcedure
    .input(MailingId.extend({ email: z.email().max(254).optional() }))
    .query(({ ctx, input }) => renderMailing(ctx, input.id, input.email)),

  /** One signed test copy to the business's own address ("[TEST]" in the subject); never to a contact. */
  testSend: publicProcedure
    .input(MailingId.extend({ to: z.email().max(254) }))
    .mutation(({ ctx, input }) => sendTestMailing(ctx, input.id, input.to)),

  /** Deletes a mailing that was never queued; a queued or sent one is evidence and stays. */
  delete: publicProcedure.input(MailingId).mutation(async ({ ctx, input }) => {
    await deleteDraftMailing(ctx.store.db, input.id, ctx.clock().toISOString());
    return { deleted: input.id };
  }),

  /** A send job's progress (poll it). */
  job: publicProcedure.input(z.object({ jobId: z.string().min(1).max(64) })).query(({ ctx, input }) => {
    const job = ctx.jobs.getOfKind<OutboxRunResult>(input.jobId, SEND_JOB_KIND);
    if (!job) {
      throw new UserError('JOB_NOT_FOUND', {
        en: 'That send is not running in this program. Use "mailing status" to see the mailing.',
        nl: 'Die verzending loopt niet in dit programma. Gebruik "mailing status" om de mailing te zien.',
      });
    }
    return job;
  }),
} satisfies TRPCRouterRecord;
