import {
  ACKNOWLEDGEMENT_TEXT_VERSIONS,
  ContactRecord,
  DEFAULT_POLICY_CONFIG,
  IsoDateTime,
  MailingContext,
  POLICY_VERSION,
  classifyContact,
  describeVerdict,
  reasonTitle,
  type Classification,
  type ContactReasonCode,
  type Lang,
  type ReasonParams,
} from '@consent-mailer/policy';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { LangInput } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

/** Input of `policy.explain`: one contact, one mailing, optionally the moment to judge at and the language. */
export const PolicyExplainInput = z.object({
  contact: ContactRecord,
  mailing: MailingContext,
  /** Judge as of this moment; the context's clock when absent. */
  now: IsoDateTime.optional(),
  lang: LangInput.default('en'),
});
export type PolicyExplainInput = z.input<typeof PolicyExplainInput>;

export interface PolicyExplanation {
  policyVersion: string;
  now: string;
  lang: Lang;
  classification: Classification;
  title: string;
  summary: string;
  reasons: {
    code: ContactReasonCode;
    classification: Classification;
    params: ReasonParams;
    title: string;
    text: string;
  }[];
}

/**
 * The verdict on one contact for one mailing, with its texts. Pure: no store, no clock (the caller passes
 * `clock`); used by the `policy.explain` procedure and by the CLI, which needs no database for it.
 *
 * @example
 * const explanation = explainPolicy(PolicyExplainInput.parse({ contact, mailing, lang: 'nl' }), () => new Date());
 * explanation.reasons.map((reason) => reason.text);
 */
export function explainPolicy(
  input: z.output<typeof PolicyExplainInput>,
  clock: () => Date,
): PolicyExplanation {
  const now = input.now ?? clock().toISOString();
  const verdict = classifyContact(input.contact, input.mailing, { now });
  const text = describeVerdict(verdict, input.lang);
  return {
    policyVersion: POLICY_VERSION,
    now,
    lang: input.lang,
    classification: verdict.classification,
    title: text.title,
    summary: text.summary,
    reasons: verdict.reasons.map((reason, i) => ({
      code: reason.code,
      classification: reason.classification,
      params: reason.params,
      title: reasonTitle(reason.code, input.lang),
      text: text.reasons[i]?.text ?? '',
    })),
  };
}

export const policyRouter = {
  /** The rules' version, the acknowledgement text versions and the default thresholds. */
  version: publicProcedure.query(() => ({
    policyVersion: POLICY_VERSION,
    acknowledgementTextVersions: ACKNOWLEDGEMENT_TEXT_VERSIONS,
    defaults: DEFAULT_POLICY_CONFIG,
  })),
  /** Why a contact may or may not get a mailing, in Dutch or English. */
  explain: publicProcedure
    .input(PolicyExplainInput)
    .query(({ ctx, input }) => explainPolicy(input, ctx.clock)),
} satisfies TRPCRouterRecord;
