/**
 * The one classification of delivery failures, used by both the live SMTP replies (`classifySendError`)
 * and the mailbox intake (bounce messages): by the RFC 3463 enhanced status code and the diagnostic text.
 *
 * Why the text counts as much as the code: real servers put the wrong class on their replies (a full
 * mailbox as 550 5.1.1 "over quota", a blocklist as 550 5.1.1 "rejected, see spamhaus"), and many reports
 * carry no enhanced code at all (qmail, Exim's "Unrouteable address"). The text rules are looked at first
 * and are specific; the status code decides when the text says nothing we recognise.
 */

/**
 * What a failure means for the recipient's address:
 * - HARD: the mailbox or domain does not exist: suppress (rule G3).
 * - SOFT: temporary or recipient-side but curable (full mailbox, greylisting, rate limits): retried;
 *   suppressed only by rule G4 (three soft bounces in distinct mailings over seven days).
 * - SENDER_REFUSED: the receiving side refuses *the sender* (its SPF/DKIM/DMARC, its IP on a blocklist, a
 *   spam or policy block): not the recipient's fault, never a suppression; an alert for the owner, and a
 *   reason to pause the mailing when they pile up.
 */
export type DeliveryVerdict = 'HARD' | 'SOFT' | 'SENDER_REFUSED';

/** Why, in more detail (stable names, shown to the owner and recorded with the bounce or alert). */
export type DeliveryFailureCategory =
  | 'MAILBOX_UNKNOWN'
  | 'DOMAIN_UNKNOWN'
  | 'MAILBOX_MOVED'
  | 'MAILBOX_FULL'
  | 'MAILBOX_DISABLED'
  | 'GREYLISTED'
  | 'RATE_LIMITED'
  | 'MESSAGE_TOO_LARGE'
  | 'TEMPORARY'
  | 'EXPIRED'
  | 'AUTHENTICATION'
  | 'BLOCKLISTED'
  | 'POLICY_BLOCK'
  | 'OTHER_PERMANENT';

export interface DeliveryStatusClass {
  verdict: DeliveryVerdict;
  category: DeliveryFailureCategory;
  /** HARD only: put the address on the suppression list. */
  suppress: boolean;
  /** Worth trying again later (SOFT). */
  retry: boolean;
  /** The owner must act (SENDER_REFUSED): their DKIM/SPF/DMARC or IP is being refused. */
  alertOwner: boolean;
  /** The table row that decided, for tests and for the owner's "why". */
  rule: string;
}

/** What is known about one failed delivery. */
export interface DeliveryStatusInput {
  /** RFC 3463 enhanced status (5.1.1); taken from the diagnostic when absent. */
  status?: string | undefined;
  /** The SMTP reply code (550), when known. */
  smtpCode?: number | undefined;
  /** The server's text: Diagnostic-Code, the SMTP reply, or the sentence of a plain-text bounce. */
  diagnostic?: string | undefined;
  /** RFC 3464 Action (failed, delayed): a delay is never permanent. */
  action?: string | undefined;
}

interface TextRule {
  rule: string;
  pattern: RegExp;
  verdict: DeliveryVerdict;
  category: DeliveryFailureCategory;
}

/**
 * Text rules, first match wins. Order matters: sender-side blocks before "user unknown" (a blocklist
 * reply often also says "rejected"), full mailbox before "does not exist".
 */
const TEXT_RULES: readonly TextRule[] = [
  {
    rule: 'text:authentication',
    pattern:
      /\b5\.7\.2[3-9]\b|\b(spf|dkim|dmarc)\b.{0,60}\b(fail|reject|policy|check|align|not|invalid|missing|required)|\b(unauthenticated|not authenticated) (e-?mail|message|sender)|sender policy framework|domain'?s dmarc policy|authentication (check )?(failed|failure|required)|turn on (smtp )?auth(entication)?|(relay|send)\b.{0,40}\bwithout (smtp )?authentication|5\.7\.515|5\.7\.509|access denied, (sending domain|the sending)|sender verify failed|verification failed for <|sender address rejected|unrout(e)?able sender|\bsender rejected\b|send mail as|does not advertise auth|\bfrom:?\s+domain is invalid|provide a valid from\b|(e-?mail )?address is not verified|identities failed the check|sender (domain|address) (must exist|not found|unknown)|reverse dns|\bptr record|ip name lookup failed|mismatches (the )?client ip|does not match (the )?(client|connecting) ip/i,
    verdict: 'SENDER_REFUSED',
    category: 'AUTHENTICATION',
  },
  {
    rule: 'text:blocklist',
    pattern:
      /spamhaus|block ?list|black ?list|\bdnsbl\b|\brbl\b|barracuda|\bsorbs\b|spamcop|uceprotect|(ip|address|host|server)\b.{0,40}\b(is )?(listed|blocked|banned)\b|(?<!not )listed (on|in|at|by)\b|(poor|bad|low) (ip )?reputation|reputation\b.{0,20}\b(block|reject)|\bS3150\b|5\.7\.606|5\.7\.511|banned sending ip|network not allowed|\b\d{1,3}(\.\d{1,3}){3}\b.{0,20}\bblocked\b|blocked for abuse|client host .{0,60}blocked|client host rejected(?!.{0,80}gr[ae]y ?list)|\bTSS0[0-9]\b|\[RBL\]|mail from .{0,40} refused, (see|listed)/i,
    verdict: 'SENDER_REFUSED',
    category: 'BLOCKLISTED',
  },
  {
    rule: 'text:mailbox-full',
    pattern:
      /mailbox (is )?full|over ?quota|over (the )?(allowed )?quota|quota (exceeded|exceed)|exceeded (the |his |her |its )?(storage|quota)|insufficient (system )?storage|mailbox size limit|out of storage|disk quota|(user|recipient|account|mailbox) is over|mail ?box (has )?exceeded|not enough (disk )?space|mailbox vol|postvak (is )?vol|storage (space|allocation)|full mailbox/i,
    verdict: 'SOFT',
    category: 'MAILBOX_FULL',
  },
  {
    rule: 'text:greylisted',
    pattern:
      /gr[ae]y ?list|greylisted|try again (later|in)|please retry|temporarily (deferred|rejected|unavailable)|defer(red)? for/i,
    verdict: 'SOFT',
    category: 'GREYLISTED',
  },
  {
    rule: 'text:rate-limited',
    pattern:
      /too many (connections|messages|recipients|concurrent|mails)|rate (limit|exceeded)|rate that prevents|receiving mail (too quickly|at a rate)|throttl|sending rate|(hourly|daily) (sending )?(quota|limit)|\bRL0[0-9]\b|4\.7\.28|exceeded .{0,20}(limit|rate)|unusual rate/i,
    verdict: 'SOFT',
    category: 'RATE_LIMITED',
  },
  {
    rule: 'text:spam-policy',
    pattern:
      /\bspam\b|\bunsolicited\b|policy reasons|not accepted for policy|content (rejected|filter)|(message|e-?mail|mail) (was |has been )?(rejected|blocked|refused) (as|due|because|by (the )?(content|spam))|suspicious|junk ?mail|bulk mail|\bphish|virus|malware|5\.7\.9\b|\bmessage content\b.{0,30}rejected|high probability|rejected by (the )?(recipient'?s? )?(filter|policy)|relay quota|\bno relaying\b|(policy|protocol) violation|remote protocol error|\b(denied|refused|prohibited|blocked) (by|due to|for) (local |site |our |security |sender )?polic(y|ies)\b|delivery not authori[sz]ed|relay(ing)? (access )?(denied|not permitted)|media error|duplicate header|headers? (are |is )?too (large|long|many)|too many headers|8-?bit data|(not|non)[- ]?compliant with rfc|malformed (message|header)|invalid (message )?header/i,
    verdict: 'SENDER_REFUSED',
    category: 'POLICY_BLOCK',
  },
  {
    // RFC 5321 3.1: a server that answers the connection with 554 ("not accepting connections", "no SMTP
    // service") refuses the connecting host, before any recipient was named.
    rule: 'text:greeting-refused',
    pattern: /not accepting (connections|e-?mail|mail|messages)|no smtp service/i,
    verdict: 'SENDER_REFUSED',
    category: 'POLICY_BLOCK',
  },
  {
    rule: 'text:mailbox-disabled',
    pattern:
      /account (has been |is )?(disabled|deactivated|suspended|inactive|locked)|(mailbox|account|user) (is )?(disabled|suspended|inactive)|disabled (account|mailbox|user|recipient)|(recipient|address) (is )?disabled|is disabled/i,
    verdict: 'SOFT',
    category: 'MAILBOX_DISABLED',
  },
  {
    rule: 'text:domain-unknown',
    pattern:
      /host (or domain name )?not found|domain (name )?(not found|does not exist|doesn't exist|unknown)|unknown domain|no mx (record|for)|name service error|\bnxdomain\b|unrouteable (mail )?domain|host unknown|(host|domain)\b.{0,40}does not accept (e-?)?mail|no such domain|null mx|couldn'?t find any host|dns (lookup|error).{0,40}(fail|not found)|all relevant mx records point to non-existent hosts|\bdomain (is )?(not reachable|unreachable)\b|system not accepting network messages/i,
    verdict: 'HARD',
    category: 'DOMAIN_UNKNOWN',
  },
  {
    rule: 'text:mailbox-unknown',
    pattern:
      /user ?unknown|unknown user|no such (user|mailbox|recipient|account|address|local user)|(user|mailbox|recipient|address|account|e-?mail account)( name)? (does|do) ?(n'?o?t| not) exist|does not exist|doesn'?t exist|not exist|invalid (recipient|mailbox|address|user)|unknown (or illegal )?(recipient|alias|mailbox|address)|mailbox (unavailable|not found|not available|unknown)|unrouteable address|no mailbox|not our customer|user not found|recipient not found|recipientnotfound|undeliverable address|no longer (active|available|valid|in use)|not a valid (mailbox|recipient|user)|bad destination mailbox|no valid recipients|mailbox does not|account .{0,20}(not found|unknown)|user .{0,40}not (known|found|listed)|addressee unknown|not listed in|could not be found|couldn't be found|has no account|not a registered (gateway )?user|doesn'?t have an? .{0,40}account|is unknown|address not found|rejected: user|(recipient\s+)?address\s+rejected:\s+access\s+denied|mailbox name not allowed|bestaat niet|onbekende (ontvanger|gebruiker)/i,
    verdict: 'HARD',
    category: 'MAILBOX_UNKNOWN',
  },
  {
    rule: 'text:too-large',
    pattern: /message (size |is )?(too (large|big)|exceeds)|size limit|message length exceeds|too large/i,
    verdict: 'SOFT',
    category: 'MESSAGE_TOO_LARGE',
  },
  {
    rule: 'text:expired',
    pattern:
      /retry (timeout|time) (exceeded|not reached)|delivery time expired|message expired|could not be delivered for \d+|giving up|too long in the queue|in the queue too long|has been delayed|delay(ed)? (in|for) delivery/i,
    verdict: 'SOFT',
    category: 'EXPIRED',
  },
  {
    // Postfix writes "Recipient address rejected:" before *every* RCPT refusal (too large, no relaying,
    // policy …): only when no rule above names the reason does it mean the mailbox is refused.
    rule: 'text:recipient-rejected',
    pattern: /recipient (address )?rejected|address rejected|rcpt ?to.{0,60}(denied|rejected)/i,
    verdict: 'HARD',
    category: 'MAILBOX_UNKNOWN',
  },
];

/** A "Recipient address rejected:" followed by a reason of its own, under a status other than 5.1.x. */
function unexplainedRejection(diagnostic: string, status: string | undefined): boolean {
  if (status?.startsWith('5.1.') === true) return false;
  return /\b(recipient\s+(address\s+)?|address\s+)rejected:\s*\w/i.test(diagnostic);
}

/** Status-code rules (RFC 3463 subject.detail), used when no text rule matched. */
function byStatus(
  status: string,
): Omit<DeliveryStatusClass, 'suppress' | 'retry' | 'alertOwner'> | undefined {
  const [klass, subject, detail] = status.split('.');
  const code = `${subject ?? ''}.${detail ?? ''}`;
  if (klass === '4') {
    if (code === '2.2') return { verdict: 'SOFT', category: 'MAILBOX_FULL', rule: 'status:4.2.2' };
    if (code === '7.28' || code === '7.0')
      return { verdict: 'SOFT', category: 'RATE_LIMITED', rule: `status:4.${code}` };
    return { verdict: 'SOFT', category: 'TEMPORARY', rule: 'status:4.x.x' };
  }
  if (klass !== '5') return undefined;
  switch (code) {
    case '1.0':
    case '1.1':
    case '1.3':
    case '1.4':
      return { verdict: 'HARD', category: 'MAILBOX_UNKNOWN', rule: `status:5.${code}` };
    case '1.2':
    case '1.10':
    case '4.4':
      return { verdict: 'HARD', category: 'DOMAIN_UNKNOWN', rule: `status:5.${code}` };
    case '1.6':
      return { verdict: 'HARD', category: 'MAILBOX_MOVED', rule: 'status:5.1.6' };
    case '1.7':
    case '1.8':
      // Bad *sender* address: our From or envelope is refused, not the recipient.
      return { verdict: 'SENDER_REFUSED', category: 'POLICY_BLOCK', rule: `status:5.${code}` };
    case '2.1':
      // RFC 3463: "the mailbox exists, but is not accepting messages"; may be temporary.
      return { verdict: 'SOFT', category: 'MAILBOX_DISABLED', rule: 'status:5.2.1' };
    case '2.2':
      return { verdict: 'SOFT', category: 'MAILBOX_FULL', rule: 'status:5.2.2' };
    case '2.3':
    case '3.4':
      return { verdict: 'SOFT', category: 'MESSAGE_TOO_LARGE', rule: `status:5.${code}` };
    case '4.7':
      return { verdict: 'SOFT', category: 'EXPIRED', rule: 'status:5.4.7' };
  }
  if (subject === '7') {
    const detailNumber = Number(detail);
    // RFC 7372: X.7.13 "User Account Disabled": the mailbox exists but is switched off, maybe for now.
    if (detailNumber === 13) return { verdict: 'SOFT', category: 'MAILBOX_DISABLED', rule: 'status:5.7.13' };
    if (detailNumber >= 23 && detailNumber <= 29)
      return { verdict: 'SENDER_REFUSED', category: 'AUTHENTICATION', rule: `status:5.7.${detail ?? ''}` };
    // 5.7.1 and friends: delivery not authorised / refused for policy. Without recognisable text it is
    // refused *because of the sender or the message* far more often than for a missing mailbox.
    return { verdict: 'SENDER_REFUSED', category: 'POLICY_BLOCK', rule: 'status:5.7.x' };
  }
  // RFC 3463 X.6.x "message content or media status": this message was refused (its headers, its
  // encoding), not the address; the same message would fail for any recipient.
  if (subject === '6') return { verdict: 'SENDER_REFUSED', category: 'POLICY_BLOCK', rule: 'status:5.6.x' };
  if (subject === '4' || subject === '3')
    return { verdict: 'SOFT', category: 'TEMPORARY', rule: `status:5.${subject}.x` };
  return { verdict: 'SOFT', category: 'OTHER_PERMANENT', rule: 'status:5.x.x' };
}

/**
 * The RFC 3463 enhanced status code in an SMTP reply or a diagnostic, if any (also qmail's "(#5.1.1)").
 *
 * @example
 * findEnhancedStatus('550 5.1.1 <x@y.nl>: Recipient address rejected'); // '5.1.1'
 */
export function findEnhancedStatus(text: string): string | undefined {
  return /(?:^|[\s(#[;:-])([245]\.\d{1,3}\.\d{1,3})(?![\d.]*\d)/.exec(text)?.[1];
}

/** The SMTP stages a refusal can come at, as far as they change what it means. */
export type SmtpStage = 'CONNECT' | 'MAIL' | 'RCPT' | 'DATA';

const STAGE_NAMES: readonly [RegExp, SmtpStage][] = [
  [/^(initial connection|EHLO|HELO|connect)/i, 'CONNECT'],
  [/^MAIL FROM/i, 'MAIL'],
  [/^RCPT TO/i, 'RCPT'],
  [/^(end of data|DATA)/i, 'DATA'],
];

function stageNamed(name: string): SmtpStage | undefined {
  return STAGE_NAMES.find(([pattern]) => pattern.test(name))?.[1];
}

/**
 * At which SMTP stage the server refused, when the text says so: Exim's "after MAIL FROM:<…>", Postfix's
 * "(in reply to end of DATA command)", or a Sendmail-style transcript, where the refusal (`<<< 550 …`)
 * answers the last command sent before it (`>>> DATA`). Later lines of a transcript (a `>>> DATA` after
 * the recipient was already refused) are about the aftermath, not the refusal.
 *
 * @example
 * smtpStage('>>> MAIL FROM:<a@b.example>\n<<< 550 Your IP is not welcome'); // 'MAIL'
 */
export function smtpStage(diagnostic: string): SmtpStage | undefined {
  const phrase =
    /\b(?:after|in reply to) (MAIL FROM|EHLO|HELO|initial connection|RCPT TO|end of data|DATA)\b/i.exec(
      diagnostic,
    );
  if (phrase?.[1]) return stageNamed(phrase[1]);
  // Postfix's words for a server that refused the connection itself, in its greeting.
  if (/\brefused to talk to me\b/i.test(diagnostic)) return 'CONNECT';
  const reply = /<<<\s*[45]\d\d\b/.exec(diagnostic);
  if (!reply) return undefined;
  const before = diagnostic.slice(0, reply.index);
  const commands = [...before.matchAll(/>>>\s*(MAIL FROM|RCPT TO|DATA|EHLO|HELO|QUIT)\b/gi)];
  const last = commands.at(-1)?.[1];
  // A reply before any command of its session ("... while talking to mx.example:" then "<<< 554 …") is
  // the server's greeting.
  if (!last) return /while talking to\b/i.test(before) ? 'CONNECT' : undefined;
  return stageNamed(last);
}

/**
 * A relay that quotes the remote server's reply inside its own words (Amazon SES: "Unknown address error
 * 550-'5.7.1 <…>... Access denied'") guesses with those words; the quoted reply, with its own status code,
 * is what the receiving server actually said.
 */
function quotedRemoteReply(diagnostic: string): { text: string; status: string | undefined } | undefined {
  const quoted = /\b[45]\d\d[ -]'([^']{6,})'/.exec(diagnostic)?.[1];
  if (!quoted) return undefined;
  const status = findEnhancedStatus(quoted);
  return status ? { text: quoted, status } : undefined;
}

/**
 * Classifies one failed delivery by the table above: text rules first (specific wording), then the
 * enhanced status, then the bare SMTP code. A delay (`Action: delayed` or a 4xx) is never HARD: a
 * "user unknown" text under a 4xx code is a server still unsure, and retrying is what it asks for.
 *
 * @example
 * classifyDeliveryStatus({ status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' }).verdict; // 'SOFT'
 * classifyDeliveryStatus({ status: '5.7.26', diagnostic: 'Unauthenticated email' }).alertOwner; // true
 */
export function classifyDeliveryStatus(input: DeliveryStatusInput): DeliveryStatusClass {
  const fullDiagnostic = input.diagnostic ?? '';
  const inner = quotedRemoteReply(fullDiagnostic);
  const diagnostic = inner?.text ?? fullDiagnostic;
  const status = inner?.status ?? input.status ?? findEnhancedStatus(diagnostic);
  const temporary =
    input.action?.toLowerCase() === 'delayed' ||
    status?.startsWith('4.') === true ||
    (status === undefined && input.smtpCode !== undefined && input.smtpCode >= 400 && input.smtpCode < 500);

  let decided: Omit<DeliveryStatusClass, 'suppress' | 'retry' | 'alertOwner'> | undefined;
  const byText = TEXT_RULES.find((candidate) => candidate.pattern.test(diagnostic));
  // A 5.1.x status with text that only says "rejected" is a missing mailbox: the code is specific, the
  // generic "recipient rejected"/"spam"-ish wording around it is not (Gmail: "5.1.1 ... see spam policy").
  if (byText && status?.startsWith('5.1.') && byText.category === 'POLICY_BLOCK') decided = undefined;
  // Postfix's "Recipient address rejected: <reason>" with a reason no rule above knows ("Internal system
  // error"): the prefix alone does not say the mailbox is missing, so the status decides, and without a
  // 5.1.x status it is never a hard bounce.
  else if (byText?.rule === 'text:recipient-rejected' && unexplainedRejection(diagnostic, status))
    decided = undefined;
  // RFC 3463 X.1.7/X.1.8 name the *sender's* address or domain as bad, so "does not exist" next to them
  // ("Domain of sender address … does not exist") is about us, never a reason to suppress the recipient.
  else if (byText?.verdict === 'HARD' && status !== undefined && /^[45]\.1\.[78]$/.test(status))
    decided = undefined;
  else if (byText) decided = { verdict: byText.verdict, category: byText.category, rule: byText.rule };
  decided ??= status ? byStatus(status) : undefined;
  if (decided === undefined && input.smtpCode !== undefined) {
    decided =
      input.smtpCode >= 500
        ? { verdict: 'SOFT', category: 'OTHER_PERMANENT', rule: 'smtp:5xx' }
        : { verdict: 'SOFT', category: 'TEMPORARY', rule: 'smtp:4xx' };
  }
  decided ??= { verdict: 'SOFT', category: temporary ? 'TEMPORARY' : 'OTHER_PERMANENT', rule: 'default' };
  const stage = smtpStage(fullDiagnostic);
  // A refusal before any recipient was named (at the greeting, EHLO or MAIL FROM: Exim's "after MAIL
  // FROM:<…>", Postfix's "in reply to MAIL FROM command", a transcript's reply to ">>> MAIL FROM") is about
  // the sending host or envelope: "No such domain" there means *our* domain, and an unexplained 550 our
  // IP. Only specific text (a rate limit, greylisting) keeps its own verdict.
  if ((stage === 'CONNECT' || stage === 'MAIL') && (decided.verdict === 'HARD' || !byText)) {
    decided = { verdict: 'SENDER_REFUSED', category: 'POLICY_BLOCK', rule: `${decided.rule}+before-rcpt` };
  }
  // A refusal at DATA comes after the server accepted the recipient at RCPT TO, so it is about this
  // message or its sender (NTT docomo answers its users' sender filters with "550 Unknown user" there).
  // Only a 5.1.x status still says the mailbox is missing; without one it must not suppress anybody.
  if (stage === 'DATA' && decided.verdict === 'HARD' && status?.startsWith('5.1.') !== true) {
    decided = { verdict: 'SENDER_REFUSED', category: 'POLICY_BLOCK', rule: `${decided.rule}+at-data` };
  }
  if (temporary && decided.verdict === 'HARD') {
    decided = { verdict: 'SOFT', category: 'TEMPORARY', rule: `${decided.rule}+delayed` };
  }
  return {
    ...decided,
    suppress: decided.verdict === 'HARD',
    retry: decided.verdict === 'SOFT',
    alertOwner: decided.verdict === 'SENDER_REFUSED',
  };
}

/**
 * Whether a hard verdict may suppress an address that was attributed by the address alone (the weakest
 * tier): only with a 5.1.x-class status, because a report we cannot tie to one of our messages could be
 * about anything (a forged bounce, another sender's mail).
 *
 * @example
 * hardSuppressionAllowed({ verdict: 'HARD' }, '5.1.1', 'ADDRESS'); // true
 * hardSuppressionAllowed({ verdict: 'HARD' }, undefined, 'ADDRESS'); // false
 */
export function hardSuppressionAllowed(
  classification: Pick<DeliveryStatusClass, 'verdict'>,
  status: string | undefined,
  attribution: 'VERP_TOKEN' | 'HEADER_TOKEN' | 'LIST_UNSUBSCRIBE_TOKEN' | 'MESSAGE_ID' | 'ADDRESS' | 'NONE',
): boolean {
  if (classification.verdict !== 'HARD') return false;
  if (attribution === 'ADDRESS' || attribution === 'NONE') return status?.startsWith('5.1.') === true;
  return true;
}
