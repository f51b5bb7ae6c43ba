import { z } from 'zod';

/**
 * Thresholds and category groups the rules use. Every field is optional in input; missing fields take the
 * defaults of docs/policy-rules.md (see {@link DEFAULT_POLICY_CONFIG}).
 */
export const PolicyConfig = z.object({
  /**
   * Groups of product categories that count as similar for soft opt-in (C1/C8). A category is always similar
   * to itself; comparison ignores case and surrounding spaces.
   */
  similarCategories: z.array(z.array(z.string().min(1))).default([]),
  /** C2/A1: evidence or last purchase older than this many months is downgraded to ALLOWED_GREY. */
  greyAfterMonths: z.number().int().positive().default(24),
  /** C3/A2: older than this many months becomes TRANSFER_RISK. */
  transferRiskAfterMonths: z.number().int().positive().default(36),
  /** D4: a double opt-in confirmed sooner than this after the mail was sent may be a link scanner. */
  minConfirmDelaySeconds: z.number().nonnegative().default(10),
  /** G4: this many soft bounces in distinct mailings (with no delivery since the first) block the address… */
  softBounceLimit: z.number().int().positive().default(3),
  /** G4: …when they span at least this many days. */
  softBounceMinSpanDays: z.number().nonnegative().default(7),
  /** M11: a previous complaint rate at or above this is ALLOWED_GREY (0.001 = 0.1%). */
  complaintRateGrey: z.number().min(0).max(1).default(0.001),
  /** M10: a previous complaint rate at or above this blocks the mailing (0.003 = 0.3%). */
  complaintRateBlocked: z.number().min(0).max(1).default(0.003),
  /** M12: a previous hard-bounce rate at or above this is ALLOWED_GREY (0.02 = 2%). */
  hardBounceRateGrey: z.number().min(0).max(1).default(0.02),
  /** M12: a previous hard-bounce rate above this blocks the mailing (0.05 = 5%). */
  hardBounceRateBlocked: z.number().min(0).max(1).default(0.05),
  /**
   * M6/M7: from this many messages a day to one big mailbox provider (Gmail, Yahoo, Microsoft) on, their
   * bulk-sender requirements are hard requirements (BLOCKED instead of GREY).
   */
  bulkSenderDailyVolume: z.number().int().positive().default(5000),
  /** M13: an abuse notice at most this many days old makes the mailing TRANSFER_RISK. */
  abuseNoticeWindowDays: z.number().positive().default(30),
});
/** The resolved configuration (every field present). */
export type PolicyConfig = z.infer<typeof PolicyConfig>;
/** What callers may pass: any subset of {@link PolicyConfig}. */
export type PolicyConfigInput = z.input<typeof PolicyConfig>;

/**
 * The defaults of docs/policy-rules.md: 24/36 months, 10 s, 3 soft bounces over 7 days, 0.1%/0.3% complaint
 * rate, 2%/5% hard bounces, 5,000 a day to one big provider, abuse notices of the last 30 days.
 */
export const DEFAULT_POLICY_CONFIG: PolicyConfig = Object.freeze(PolicyConfig.parse({}));

const resolved = new WeakMap<object, PolicyConfig>();

/**
 * Fills in the defaults of a partial configuration and validates it. Results are cached per input object,
 * so passing the same object for many contacts costs nothing.
 *
 * @example
 * const config = resolvePolicyConfig({ similarCategories: [['coffee', 'tea']] });
 * config.greyAfterMonths; // 24
 */
export function resolvePolicyConfig(input?: PolicyConfigInput): PolicyConfig {
  if (input === undefined || input === DEFAULT_POLICY_CONFIG) return DEFAULT_POLICY_CONFIG;
  const cached = resolved.get(input);
  if (cached) return cached;
  const config = PolicyConfig.parse(input);
  resolved.set(input, config);
  return config;
}
