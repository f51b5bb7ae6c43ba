import type { ReturnedMessage } from '@consent-mailer/mailer';
import {
  findDeliveryFor,
  type DeliveryRow,
  type Executor,
  type IntakeAttribution,
} from '@consent-mailer/store';

/** What identifies the delivery a returned message came from, strongest first. */
export interface AttributionKeys {
  verpToken?: string | undefined;
  returned?: ReturnedMessage | undefined;
  /** Message-IDs a reply refers to (In-Reply-To, References). */
  messageIds?: readonly string[];
  email?: string | undefined;
}

/** The delivery found and the tier that found it (recorded with the message). */
export interface Attribution {
  tier: IntakeAttribution;
  delivery?: DeliveryRow | undefined;
}

/**
 * Ties a returned message to one of our deliveries, in tiers: the per-message token (VERP envelope,
 * then our X-Consent-Mailer-Delivery header, then the List-Unsubscribe token), then the Message-ID of
 * the returned part, then the address alone (weak: the latest delivery to that address, which never
 * makes a hard suppression without a 5.1.x status; see `hardSuppressionAllowed`).
 *
 * @example
 * const { tier, delivery } = await attribute(db, { returned: report.returned, email });
 */
export async function attribute(db: Executor, keys: AttributionKeys): Promise<Attribution> {
  const tokens: [IntakeAttribution, string | undefined][] = [
    ['VERP_TOKEN', keys.verpToken],
    ['HEADER_TOKEN', keys.returned?.deliveryToken],
    ['LIST_UNSUBSCRIBE_TOKEN', keys.returned?.unsubscribeToken],
  ];
  for (const [tier, token] of tokens) {
    if (!token) continue;
    const delivery = await findDeliveryFor(db, { token });
    if (delivery) return { tier, delivery };
  }
  for (const messageId of [keys.returned?.messageId, ...(keys.messageIds ?? [])]) {
    if (!messageId) continue;
    const delivery = await findDeliveryFor(db, { messageId });
    if (delivery) return { tier: 'MESSAGE_ID', delivery };
  }
  if (keys.email) {
    const delivery = await findDeliveryFor(db, { email: keys.email });
    return { tier: 'ADDRESS', delivery };
  }
  return { tier: 'NONE' };
}
