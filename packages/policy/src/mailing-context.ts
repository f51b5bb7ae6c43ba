import { z } from 'zod';
import { MailingContent } from './enum-schemas.js';

/**
 * Whether a mailing measures recipients one by one (K1). Both default to off: the product adds neither
 * today, and if it ever does, only for contacts with `trackingConsentAt`.
 */
export const MailingTracking = z.object({
  /** An open pixel (a per-recipient image that reports when the mail was opened). */
  openPixel: z.boolean(),
  /** Links rewritten to a per-recipient redirect that reports each click. */
  clickRedirect: z.boolean(),
});
export type MailingTracking = z.infer<typeof MailingTracking>;

/** The mailing a contact is judged against (docs/policy-rules.md section 3). */
export const MailingContext = z.object({
  id: z.string().min(1),
  senderEntityId: z.string().min(1),
  listId: z.string().min(1),
  content: MailingContent,
  productCategories: z.array(z.string().min(1)).optional(),
  promotesThirdParty: z.boolean().optional(),
  /** Per-recipient open or click tracking; absent means off. */
  tracking: MailingTracking.optional(),
});
export type MailingContext = z.infer<typeof MailingContext>;
