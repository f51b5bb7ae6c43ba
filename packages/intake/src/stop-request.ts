/**
 * Reading a human reply for a request to stop (an objection under GDPR art. 21(3), rule G1), in Dutch and
 * English. Only the writer's own words count: quoted text and the quoted newsletter (which itself contains
 * "unsubscribe") are cut off first.
 */

const STOP_PHRASES: readonly RegExp[] = [
  // English
  /\bunsubscribe\b/i,
  /\bremove (me|my (e-?mail|address|name))\b/i,
  /\btake me off\b/i,
  /\bopt(ing)? me out\b|\bopt[- ]?out\b/i,
  /\bstop (sending|e-?mailing|mailing|contacting)\b/i,
  /\bno (more|further) (e-?mails?|newsletters?|mail|messages)\b/i,
  /\b(don'?t|do not|never) (send|e-?mail|mail|contact) me\b/i,
  /\bnot (interested|want (to receive|these|this))\b/i,
  // Dutch
  /\b(afmelden|uitschrijven|uit te schrijven|af te melden)\b/i,
  /\b(schrijf|meld) (me|mij) (uit|af)\b/i,
  /\bverwijder (me|mij|mijn (e-?mail)?(adres|gegevens))\b/i,
  /\bgeen (e-?mails?|mail|nieuwsbrie(f|ven)|berichten|reclame|post) meer\b/i,
  /\bstop (met )?(mailen|e-?mailen|sturen|toesturen)\b/i,
  /\bniet meer (mailen|e-?mailen|ontvangen|sturen|toesturen|benaderen)\b/i,
  /\b(wil|wens) (dit|deze|de nieuwsbrief|uw|jullie)( \w+)? niet (meer )?(ontvangen|hebben)\b/i,
  /\bgeen interesse\b/i,
];

/** Words that make a matching reply a question or something else the owner should read first. */
const UNSURE =
  /\?|\bhow\b|\bhoe\b|\bwaarom\b|\bwhy\b|\bnot (yet )?unsubscribe|\bniet afmelden|\bniet uitschrijven|\bbut\b|\bmaar\b|\border\b|\bbestelling\b|\bfactuur\b|\binvoice\b/i;

/** Where the quoted part of a reply starts. */
const QUOTE_START: readonly RegExp[] = [
  /^On .{5,200} wrote:\s*$/m,
  /^Op .{5,200} schreef .{0,200}:\s*$/m,
  /^-{2,} ?(Original Message|Oorspronkelijk bericht|Origineel bericht|Forwarded message|Doorgestuurd bericht) ?-{2,}/im,
  /^(From|Van|Verzonden|Sent): .+$/m,
  /^_{8,}$/m,
  /^-- $/m,
];

export interface StopRequest {
  /** A phrase asking to stop was found in the writer's own words. */
  matched: boolean;
  /** Short and unambiguous: recorded as an objection at once; otherwise the owner confirms. */
  confident: boolean;
  phrase?: string;
}

/**
 * Whether a reply asks to stop receiving mail.
 *
 * @example
 * readStopRequest('Graag afmelden, dank u.'); // { matched: true, confident: true, phrase: 'afmelden' }
 * readStopRequest('Hoe kan ik me afmelden?'); // { matched: true, confident: false, … }
 */
export function readStopRequest(text: string): StopRequest {
  const own = ownWords(text);
  for (const pattern of STOP_PHRASES) {
    const match = pattern.exec(own);
    if (!match) continue;
    const confident = own.replace(/\s+/g, ' ').trim().length <= 240 && !UNSURE.test(own);
    return { matched: true, confident, phrase: match[0] };
  }
  return { matched: false, confident: false };
}

/** The writer's own lines: before the first quote marker, without "> " lines. */
export function ownWords(text: string): string {
  let own = text.replace(/\r\n?/g, '\n');
  const cut = QUOTE_START.map((pattern) => pattern.exec(own)?.index ?? -1)
    .filter((index) => index >= 0)
    .reduce((first, index) => Math.min(first, index), own.length);
  own = own.slice(0, cut);
  return own
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n')
    .trim();
}
