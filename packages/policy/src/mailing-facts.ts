import { z } from 'zod';
import { IsoDateTime } from './contact-record.js';

/** Who sent an abuse notice about earlier mail (M13). */
export const ABUSE_NOTICE_SOURCES = ['SPAMKLACHT', 'ACM', 'HOSTER', 'DATACENTER'] as const;
export const AbuseNoticeSource = z.enum(ABUSE_NOTICE_SOURCES);
export type AbuseNoticeSource = z.infer<typeof AbuseNoticeSource>;

/**
 * What is known about a mailing's message and sending set-up, the input of the mailing rules M1–M14
 * (docs/policy-rules.md section 5). The mailer fills this in from the composed message and the SMTP profile.
 */
export const MailingFacts = z.object({
  /** M1: the sender's legal or trade name is in the From name or the footer. */
  senderIdentityPresent: z.boolean(),
  /** M2: the body has a working opt-out link or address (free, no login, no reasons asked). */
  optOutLinkPresent: z.boolean(),
  /** M3: the body has the separate right-to-object statement (GDPR art. 21(4)). */
  rightToObjectStatementPresent: z.boolean(),
  /** M5: what the footer shows. */
  footer: z.object({
    postalAddress: z.boolean(),
    contactEmail: z.boolean(),
    kvkNumber: z.boolean(),
  }),
  /** M6: the `List-Unsubscribe` header variants and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. */
  listUnsubscribe: z.object({
    mailto: z.boolean(),
    https: z.boolean(),
    oneClick: z.boolean(),
  }),
  /** M7: SPF and DKIM results for the sending domain, a DMARC record, and alignment with the From domain. */
  authentication: z.object({
    spfPass: z.boolean(),
    dkimPass: z.boolean(),
    dmarcPresent: z.boolean(),
    aligned: z.boolean(),
    /**
     * Where the results come from: read from DNS now, the last DNS check (DNS could not be reached), or
     * only the owner's declarations (offline use, "declared, not checked"). Absent = not said.
     */
    source: z.enum(['DNS', 'CACHED', 'DECLARED']).optional(),
    /** For DNS and CACHED: when DNS was read. */
    checkedAt: IsoDateTime.optional(),
  }),
  /** M6/M7: expected messages per day to the largest single mailbox provider (Gmail, Yahoo, Microsoft). */
  expectedDailyVolumeToBigProvider: z.number().int().nonnegative(),
  /** M10–M12: the previous marketing mailing's rates as fractions (0.003 = 0.3%); absent for a first mailing. */
  previousMailing: z
    .object({
      complaintRate: z.number().min(0).max(1),
      hardBounceRate: z.number().min(0).max(1),
    })
    .optional(),
  /** M13: the most recent abuse notice (spamklacht.nl / ACM, hoster or datacenter), if any. */
  lastAbuseNotice: z.object({ at: IsoDateTime, source: AbuseNoticeSource }).optional(),
  /** M14: whether the sending IP or domain is on a major blocklist; absent when not checked. */
  blocklisted: z.boolean().optional(),
});
export type MailingFacts = z.infer<typeof MailingFacts>;
