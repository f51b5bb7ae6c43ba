import { z } from 'zod';
import { MailingContent } from './enums.js';

/** The mailing a contact is judged against (docs/policy-rules.md section 3). */
export const MailingContext = z.object({
  id: z.string().min(1),
  senderEntityId: z.string().min(1),
  listId: z.string().min(1),
  content: MailingContent,
  productCategories: z.array(z.string().min(1)).optional(),
  promotesThirdParty: z.boolean().optional(),
});
export type MailingContext = z.infer<typeof MailingContext>;
