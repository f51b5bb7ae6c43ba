import { z } from 'zod';
import {
  AddressKind,
  ComplaintSource,
  ConsentMethod,
  CustomerRelationship,
  OptOutAtCollection,
  RecipientKind,
} from './enum-schemas.js';

/** An ISO-8601 timestamp with a time zone offset, e.g. `2026-03-01T09:30:00Z`. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** A soft bounce of one message, remembered to apply rule G4. */
export const SoftBounce = z.object({
  at: IsoDateTime,
  mailingId: z.string().min(1),
});
export type SoftBounce = z.infer<typeof SoftBounce>;

/**
 * Everything the rules know about one contact's consent for one sender entity.
 * Field names are those of docs/policy-rules.md section 3; all evidence is optional.
 */
export const ContactRecord = z.object({
  email: z.string().min(3).max(254),
  recipientKind: RecipientKind,
  addressKind: AddressKind.optional(),
  method: ConsentMethod,
  /** The legal entity the consent or sale belongs to. */
  senderEntityId: z.string().min(1),
  /** List ids this consent covers, or "ALL" for all marketing from that entity. */
  scopeLists: z.union([z.literal('ALL'), z.array(z.string().min(1))]),

  // sign-up
  signupAt: IsoDateTime.optional(),
  signupIp: z.string().min(1).optional(),
  signupUserAgent: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  consentTextVersionId: z.string().min(1).optional(),

  // double opt-in
  confirmMailSentAt: IsoDateTime.optional(),
  confirmTokenId: z.string().min(1).optional(),
  confirmedAt: IsoDateTime.optional(),
  confirmIp: z.string().min(1).optional(),
  confirmUserAgent: z.string().min(1).optional(),

  // phone / paper
  phoneAgent: z.string().min(1).optional(),
  phoneRecordingRef: z.string().min(1).optional(),
  paperScanRef: z.string().min(1).optional(),

  // customer (soft opt-in)
  orderRef: z.string().min(1).optional(),
  orderPaid: z.boolean().optional(),
  /**
   * The customer relationship behind the address (C1, C5, C11). Absent: derived from `orderPaid` (true is a
   * paid order, false is free only), so records written before this field keep their verdicts.
   */
  customerRelationship: CustomerRelationship.optional(),
  orderAt: IsoDateTime.optional(),
  lastPurchaseAt: IsoDateTime.optional(),
  purchaseCategories: z.array(z.string().min(1)).optional(),
  optOutOfferedAtCollection: OptOutAtCollection.optional(),
  collectionTextVersionId: z.string().min(1).optional(),

  // published B2B address
  publishedUrl: z.string().min(1).optional(),
  publishedCapturedAt: IsoDateTime.optional(),
  publishedPurpose: z.string().min(1).optional(),

  // import
  attestationId: z.string().min(1).optional(),

  // status
  unsubscribedAt: IsoDateTime.optional(),
  objectedAt: IsoDateTime.optional(),
  complaintAt: IsoDateTime.optional(),
  complaintSource: ComplaintSource.optional(),
  hardBounceAt: IsoDateTime.optional(),
  hardBounceStatus: z.string().min(1).optional(),
  softBounces: z.array(SoftBounce).optional(),
  lastDeliveredAt: IsoDateTime.optional(),
  /** Click, reply, purchase, re-confirmation; opens do not count. */
  lastEngagedAt: IsoDateTime.optional(),
  reconfirmedAt: IsoDateTime.optional(),

  // tracking (K1)
  /**
   * When the person consented to their opens and clicks being measured (a tracking pixel, per-recipient
   * click redirects): ePrivacy art. 5(3) as read in EDPB Guidelines 2/2023. Absent: no such consent.
   */
  trackingConsentAt: IsoDateTime.optional(),
});
export type ContactRecord = z.infer<typeof ContactRecord>;
