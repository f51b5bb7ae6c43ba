/**
 * The version of the rules in this package. Stored with every assessment and acknowledgement so a verdict
 * can later be traced to the exact rules that produced it. Bump it whenever a rule, threshold default or
 * reason code changes meaning.
 */
export const POLICY_VERSION = '2026.11.1';
