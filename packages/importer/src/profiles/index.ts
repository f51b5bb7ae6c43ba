import { activecampaign } from './activecampaign.js';
import { brevo } from './brevo.js';
import { eBoekhouden } from './e-boekhouden.js';
import { exactOnline } from './exact-online.js';
import { googleContacts } from './google-contacts.js';
import { klaviyo } from './klaviyo.js';
import { laposta } from './laposta.js';
import { lightspeed } from './lightspeed.js';
import { listmonk } from './listmonk.js';
import { mailchimp } from './mailchimp.js';
import { mailerlite } from './mailerlite.js';
import { mautic } from './mautic.js';
import { moneybird } from './moneybird.js';
import { outlook } from './outlook.js';
import { sendy } from './sendy.js';
import { shopify } from './shopify.js';
import type { SourceProfile } from './source-profile.js';
import { woocommerce } from './woocommerce.js';

export type { PartyKind, RowMethodRule, SourceProfile, StatusOutcome } from './source-profile.js';

/** Every known source tool, in detection order (earlier wins a tie). */
export const SOURCE_PROFILES: readonly SourceProfile[] = [
  mailchimp,
  klaviyo,
  brevo,
  mailerlite,
  laposta,
  listmonk,
  activecampaign,
  mautic,
  sendy,
  shopify,
  woocommerce,
  lightspeed,
  googleContacts,
  outlook,
  exactOnline,
  moneybird,
  eBoekhouden,
];

const BY_ID = new Map(SOURCE_PROFILES.map((profile) => [profile.id, profile]));

/**
 * The profile of a tool id, or undefined (for `generic` and unknown ids).
 *
 * @example
 * getSourceProfile('mailchimp')?.name; // 'Mailchimp'
 */
export function getSourceProfile(id: string | undefined): SourceProfile | undefined {
  return id === undefined ? undefined : BY_ID.get(id);
}

/**
 * The profile whose header signature the file's header keys match best, or undefined.
 *
 * @example
 * detectSourceProfile(new Set(['emailaddress', 'optintime']))?.id; // 'mailchimp'
 */
export function detectSourceProfile(keys: ReadonlySet<string>): SourceProfile | undefined {
  let best: SourceProfile | undefined;
  let bestScore = 0;
  for (const profile of SOURCE_PROFILES) {
    for (const signature of profile.signatures) {
      if (!signature.all.every((key) => keys.has(key))) continue;
      const any = (signature.any ?? []).filter((key) => keys.has(key)).length;
      if (signature.any && signature.any.length > 0 && any === 0) continue;
      const score = signature.all.length + any;
      if (score > bestScore) {
        best = profile;
        bestScore = score;
      }
    }
  }
  return best;
}
