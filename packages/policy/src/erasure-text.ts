import type { LocalizedText } from './user-error.js';

/**
 * What an erasure receipt says about the one thing it keeps: the suppression entry (sha256 of the
 * normalised address, date, reason, source). That is still personal data, pseudonymised, and it is kept on
 * purpose: without it the person could be imported and mailed again, so the objection or withdrawal would
 * not be honoured. GDPR art. 17(3)(b) and (e) allow keeping what a legal obligation and legal claims need;
 * art. 21(3) says the data "shall no longer be processed for such purposes", which only a remembered
 * objection can ensure (docs/policy-rules.md section 7).
 *
 * @example
 * erasureReceiptText({ addressHash: 'ab12…' }).nl;
 */
export function erasureReceiptText(input: { addressHash: string }): LocalizedText {
  return {
    en: `Kept: one suppression entry (${input.addressHash}, the sha256 of the address, with the date, reason and source). It is pseudonymous personal data, kept only to honour the objection: without it this person could be imported and mailed again. The GDPR allows keeping it (art. 17(3)(b) and (e): a legal obligation and legal claims; art. 21(3): after an objection the data may no longer be used for direct marketing, which only a remembered objection can ensure). It is never used for anything else.`,
    nl: `Bewaard: één regel op de blokkeerlijst (${input.addressHash}, de sha256 van het adres, met datum, reden en bron). Dat is gepseudonimiseerd persoonsgegeven, alleen bewaard om het bezwaar te respecteren: zonder deze regel kan deze persoon opnieuw worden geïmporteerd en gemaild. De AVG staat dat toe (art. 17(3)(b) en (e): een wettelijke plicht en rechtsvorderingen; art. 21(3): na bezwaar mogen de gegevens niet meer voor direct marketing worden gebruikt, en dat lukt alleen als het bezwaar onthouden wordt). De regel wordt nergens anders voor gebruikt.`,
  };
}
