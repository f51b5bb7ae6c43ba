/**
 * The version of the rules in this package. Stored with every assessment and acknowledgement so a verdict
 * can later be traced to the exact rules that produced it. Bump it whenever a rule, threshold default or
 * reason code changes meaning.
 */
// 2026.12.1: C11 (free tier of a paid service, CJEU C-654/23), C5 for a free-only relationship, K1 (tracking
// needs the contact's consent, EDPB Guidelines 2/2023).
export const POLICY_VERSION = '2026.12.1';
