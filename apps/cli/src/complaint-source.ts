import type { ComplaintSource } from '@consent-mailer/policy';
import { InvalidArgumentError } from 'commander';

/** `--source` of `complaint` and `complaint dossier`: the words an owner uses, and the stored source. */
const SOURCE_WORDS: Record<string, ComplaintSource> = {
  spamklacht: 'SPAMKLACHT',
  acm: 'SPAMKLACHT',
  hoster: 'HOSTER',
  datacenter: 'DATACENTER',
  'feedback-loop': 'ARF',
  arf: 'ARF',
  recipient: 'MANUAL',
  manual: 'MANUAL',
};

/** What `--help` lists. */
export const COMPLAINT_SOURCE_HELP = 'spamklacht (or acm), hoster, datacenter, feedback-loop, recipient';

/**
 * Reads `--source` (any case; the stored names SPAMKLACHT, HOSTER, DATACENTER, ARF, MANUAL work too).
 *
 * @example
 * parseComplaintSource('feedback-loop'); // 'ARF'
 */
export function parseComplaintSource(value: string): ComplaintSource {
  const source = SOURCE_WORDS[value.trim().toLowerCase()];
  if (source === undefined) {
    throw new InvalidArgumentError(`Allowed: ${COMPLAINT_SOURCE_HELP}.`);
  }
  return source;
}
