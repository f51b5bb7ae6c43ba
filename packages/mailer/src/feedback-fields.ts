/**
 * Reading the header-like fields of `message/delivery-status` and `message/feedback-report` parts
 * (RFC 3464 section 2, RFC 5965 section 3), tolerant of what real servers send.
 */

/**
 * Parses the field groups of a delivery-status or feedback-report part: groups separated by blank lines,
 * continuation lines unfolded, names lower-cased; the value after "type;" is kept whole.
 *
 * @example
 * parseFieldBlocks('Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@b.nl\nAction: failed')[1]?.get('action'); // ['failed']
 */
export function parseFieldBlocks(text: string): Map<string, string[]>[] {
  const blocks: Map<string, string[]>[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const block = new Map<string, string[]>();
    for (const [name, value] of fieldLines(chunk)) block.set(name, [...(block.get(name) ?? []), value]);
    if (block.size > 0) blocks.push(block);
  }
  return blocks;
}

/** RFC 3464 section 2.3: the fields that describe one recipient (its identity fields apart). */
const PER_RECIPIENT_FIELDS = new Set([
  'action',
  'status',
  'remote-mta',
  'diagnostic-code',
  'last-attempt-date',
  'final-log-id',
  'will-retry-until',
]);

/**
 * The per-recipient field groups of a delivery-status part. A new recipient starts at every
 * Final-Recipient (or an Original-Recipient that opens a group), not only at a blank line: AOL and some
 * Exchange versions write the message fields and every recipient's fields without blank lines between.
 *
 * @example
 * dsnRecipientGroups('Reporting-MTA: dns; a\nFinal-Recipient: rfc822; x@y.nl\nAction: failed')[0]?.get('action'); // ['failed']
 */
export function dsnRecipientGroups(text: string): Map<string, string[]>[] {
  const groups: Map<string, string[]>[] = [];
  let current: Map<string, string[]> | undefined;
  // Groups whose recipient already got its Action or Status: the next recipient field starts another.
  const answered = new WeakSet<Map<string, string[]>>();
  const hasRecipient = (group: Map<string, string[]>) =>
    group.has('final-recipient') || group.has('original-recipient');
  for (const [name, value] of fieldLines(text.replace(/\r\n?/g, '\n'))) {
    if (name === 'final-recipient' || name === 'original-recipient') {
      // A recipient field opens a new group unless it completes the current one: Postfix writes Final then
      // Original, RFC 3464's example Original then Final, and Facebook, MessageLabs and Amazon SES write a
      // recipient's Action, Status or Diagnostic-Code before its Final-Recipient.
      if (current === undefined || current.has(name) || answered.has(current)) {
        current = new Map();
        groups.push(current);
      }
    } else if (
      PER_RECIPIENT_FIELDS.has(name) &&
      (current === undefined || (current.has(name) && hasRecipient(current)))
    ) {
      // A recipient's field before its Final-Recipient: kept for the recipient that follows.
      current = new Map();
      groups.push(current);
    }
    if (current === undefined) continue; // per-message fields (Reporting-MTA, Arrival-Date …)
    if ((name === 'action' || name === 'status') && hasRecipient(current)) answered.add(current);
    current.set(name, [...(current.get(name) ?? []), value]);
  }
  return groups.filter((group) => group.has('final-recipient') || group.has('original-recipient'));
}

/** name/value pairs of a header-like text, unfolded, names lower-cased, in order. */
function fieldLines(text: string): [string, string][] {
  const unfolded = text.replace(/\n[ \t]+/g, ' ');
  const fields: [string, string][] = [];
  for (const line of unfolded.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    fields.push([match[1].toLowerCase(), match[2].trim()]);
  }
  return fields;
}

/**
 * An address from a report field, or undefined when it is not one: "rfc822; <a@b.nl>" -> "a@b.nl", source
 * routes ("<@relay.example:a@b.nl>") and quotes stripped.
 *
 * @example
 * addressFromField('rfc822; <@mx.example.net:jan@example.nl>'); // 'jan@example.nl'
 */
export function addressFromField(value: string): string | undefined {
  let address = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  address = address.trim();
  const bracketed = /<([^<>]*)>/.exec(address);
  if (bracketed?.[1] !== undefined) address = bracketed[1];
  // RFC 5321 source route: "@a.example,@b.example:user@c.example".
  address = address.replace(/^(?:@[^,:]+,?)+:/, '');
  address = address.replace(/^["']|["']$/g, '').trim();
  return isPlausibleAddress(address) ? address : undefined;
}

/**
 * A deliberately plain check (one @, a dot in the domain, no spaces or brackets): good enough to skip a
 * broken record; the address is normalised by the store before any match.
 */
export function isPlausibleAddress(address: string): boolean {
  return /^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
    address,
  );
}

/** "smtp; 550 5.1.1 …" -> "550 5.1.1 …". */
export function diagnosticText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(/^\s*(smtp|x-[a-z-]+|unix)\s*;\s*/i, '').trim();
  return text.length > 0 ? text : undefined;
}
