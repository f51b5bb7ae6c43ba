import { describeMethod, type ComplaintSource, type Lang } from '@consent-mailer/policy';
import { getContactByEmail, getMailing, getSenderEntity, type DeliveryRow } from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import { openPdf } from '../pdf-document.js';

/** The facts of one complaint the answer is about. */
export interface ComplaintFacts {
  email: string;
  source: ComplaintSource;
  /** The delivery complained about, when the message named one. */
  delivery: DeliveryRow | undefined;
  receivedAt: string;
  reference: string | null;
  /** When the complaint was recorded (and the address blocked). */
  at: string;
}

/**
 * One answer letter, as parts, so the text file and the PDF say the same: the owner may paste the text into
 * a web form (ACM's, a hoster's ticket) or send the PDF on letter paper.
 */
interface AnswerLetter {
  /** Who sends it: legal name, address, e-mail, KvK; the lines of the letterhead. */
  letterhead: string[];
  to: string;
  subject: string;
  paragraphs: string[];
  /** The command that checks the bundle, printed apart (monospace in the PDF). */
  command: string;
  after: string;
  closing: string;
  signature: string;
}

const ADDRESSEE: Record<ComplaintSource, Record<Lang, string>> = {
  SPAMKLACHT: { en: 'ACM (spamklacht.nl)', nl: 'ACM (spamklacht.nl)' },
  HOSTER: { en: 'the hosting provider', nl: 'de hostingprovider' },
  DATACENTER: { en: 'the datacenter', nl: 'het datacenter' },
  ARF: { en: 'the feedback loop', nl: 'de feedbackloop' },
  MANUAL: { en: 'the recipient', nl: 'de ontvanger' },
};

/**
 * A time as a reader of a letter reads it, in the Netherlands' zone: "28 november 2026 11:00:00 CET".
 * The exact instants stay in the bundle's JSON files.
 */
function when(iso: string | null, lang: Lang): string {
  if (iso === null) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: 'Europe/Amsterdam',
    timeZoneName: 'short',
  });
}

/** The four files of the answer: `letter-nl.txt`, `letter-en.txt`, `letter-nl.pdf`, `letter-en.pdf`. */
export type AnswerLetterFiles = Record<`letter-${Lang}.${'txt' | 'pdf'}`, string | Uint8Array>;

/**
 * The short answer to the hoster, ACM or whoever passed the complaint on, in Dutch and English, as text and
 * as PDF: what was received, that the address is blocked, the basis on which it was mailed, and how the
 * enclosed bundle is checked.
 *
 * @example
 * const files = await answerLetters(ctx, { email, source: 'SPAMKLACHT', delivery, receivedAt, reference, at });
 * files['letter-nl.pdf']; // the PDF bytes
 */
export async function answerLetters(ctx: ApiContext, facts: ComplaintFacts): Promise<AnswerLetterFiles> {
  const letters = await composeLetters(ctx, facts);
  return {
    'letter-nl.txt': letterText(letters.nl),
    'letter-en.txt': letterText(letters.en),
    'letter-nl.pdf': await letterPdf(letters.nl, facts.at, 'nl'),
    'letter-en.pdf': await letterPdf(letters.en, facts.at, 'en'),
  };
}

async function composeLetters(ctx: ApiContext, facts: ComplaintFacts): Promise<Record<Lang, AnswerLetter>> {
  const db = ctx.store.db;
  const found = facts.delivery;
  const mailing = found === undefined ? undefined : await getMailing(db, found.mailing_id);
  // The consent the mailing relied on (its sender's), else the person's first.
  const consents = (await getContactByEmail(db, facts.email))?.consents ?? [];
  const relied =
    mailing === undefined
      ? consents[0]
      : consents.find((candidate) => candidate.sender_entity_id === mailing.sender_entity_id);
  const entity = relied === undefined ? undefined : await getSenderEntity(db, relied.sender_entity_id);
  const ref = facts.reference ?? '-';
  const letterhead = entity
    ? [
        entity.legal_name,
        ...(entity.postal_address ?? '').split(/,\s*|\n/).filter((line) => line.trim() !== ''),
        ...(entity.contact_email ? [entity.contact_email] : []),
        ...(entity.kvk_number ? [`KvK ${entity.kvk_number}`] : []),
      ]
    : [];
  const signature = entity
    ? `${entity.legal_name}${entity.kvk_number ? ` (KvK ${entity.kvk_number})` : ''}`
    : '';

  const en: AnswerLetter = {
    letterhead,
    to: `To ${ADDRESSEE[facts.source].en}`,
    subject: `Re: complaint ${ref} of ${when(facts.receivedAt, 'en')}`,
    paragraphs: [
      `We received the complaint about ${
        found && mailing
          ? `"${mailing.subject}", sent ${found.sent_at === null ? '(not sent)' : when(found.sent_at, 'en')} (Message-ID ${found.message_id ?? '-'})`
          : 'a message from us (no delivery could be matched by token or Message-ID)'
      } to ${facts.email}. We recorded it on ${when(facts.at, 'en')} and blocked the address at once: it will not be mailed again.`,
      relied
        ? `Our basis: ${describeMethod(relied.method, 'en')}; signed up ${when(relied.signup_at, 'en')}${relied.confirmed_at ? `, confirmed ${when(relied.confirmed_at, 'en')}` : ''}${relied.source ? ` via ${relied.source}` : ''}${relied.consent_text_version_id ? `; consent text sha256 ${relied.consent_text_version_id}` : ''}.`
        : 'No consent of ours is recorded for this address.',
      "The enclosed proof bundle holds the consent record (ISO/IEC TS 27560, W3C DPV JSON-LD), the texts the person saw, every event about the person with its place in our signed event chain, and the mailings with the legal basis of each. Check it without our software's database:",
    ],
    command: 'consent-mailer verify BUNDLE.zip --key FINGERPRINT',
    after: "We will read the key's fingerprint out to you by phone on request.",
    closing: 'Kind regards,',
    signature,
  };
  const nl: AnswerLetter = {
    letterhead,
    to: `Aan ${ADDRESSEE[facts.source].nl}`,
    subject: `Betreft: melding ${ref} van ${when(facts.receivedAt, 'nl')}`,
    paragraphs: [
      `Wij hebben de melding ontvangen over ${
        found && mailing
          ? `"${mailing.subject}", verstuurd ${found.sent_at === null ? '(niet verstuurd)' : when(found.sent_at, 'nl')} (Message-ID ${found.message_id ?? '-'})`
          : 'een bericht van ons (er kon geen verzending op token of Message-ID worden gevonden)'
      } aan ${facts.email}. Wij hebben haar op ${when(facts.at, 'nl')} vastgelegd en het adres direct geblokkeerd: het wordt niet meer gemaild.`,
      relied
        ? `Onze grondslag: ${describeMethod(relied.method, 'nl')}; aangemeld ${when(relied.signup_at, 'nl')}${relied.confirmed_at ? `, bevestigd ${when(relied.confirmed_at, 'nl')}` : ''}${relied.source ? ` via ${relied.source}` : ''}${relied.consent_text_version_id ? `; toestemmingstekst sha256 ${relied.consent_text_version_id}` : ''}.`
        : 'Voor dit adres is geen toestemming bij ons vastgelegd.',
      'De bijgevoegde bewijsbundel bevat het toestemmingsrecord (ISO/IEC TS 27560, W3C DPV JSON-LD), de teksten die de persoon zag, elke gebeurtenis over de persoon met haar plaats in onze ondertekende gebeurtenisketen, en de mailings met de grondslag van elk. Controleer haar zonder de database van onze software:',
    ],
    command: 'consent-mailer verify BUNDEL.zip --key VINGERAFDRUK',
    after: 'Op verzoek lezen wij de vingerafdruk van de sleutel telefonisch aan u voor.',
    closing: 'Met vriendelijke groet,',
    signature,
  };
  return { nl, en };
}

/** Plain text, wrapped at 100 columns so it pastes into a web form or an e-mail as it is. */
function letterText(letter: AnswerLetter): string {
  const wrap = (text: string) => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > 100) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    return [...lines, line].join('\n');
  };
  return `${[
    letter.to,
    letter.subject,
    '',
    ...letter.paragraphs.flatMap((paragraph) => [wrap(paragraph), '']).slice(0, -1),
    `  ${letter.command}`,
    wrap(letter.after),
    '',
    letter.closing,
    letter.signature,
  ].join('\n')}\n`;
}

/** The same letter on A4: letterhead, date, addressee, subject in bold, the command in monospace. */
async function letterPdf(letter: AnswerLetter, at: string, lang: Lang): Promise<Uint8Array> {
  const date = new Date(at);
  const { pdf, done } = openPdf({
    margin: 60,
    info: { Title: letter.subject, CreationDate: date, ModDate: date },
  });
  const [name, ...rest] = letter.letterhead;
  if (name !== undefined) pdf.font('bold').fontSize(13).text(name);
  pdf.font('regular').fontSize(9);
  for (const line of rest) pdf.text(line);
  pdf.moveDown(2);
  pdf.fontSize(10.5).text(
    date.toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Amsterdam',
    }),
  );
  pdf.moveDown();
  pdf.text(letter.to);
  pdf.moveDown();
  pdf.font('bold').text(letter.subject);
  pdf.font('regular').moveDown();
  for (const paragraph of letter.paragraphs) pdf.text(paragraph, { align: 'left' }).moveDown(0.7);
  pdf.font('mono').fontSize(9.5).text(letter.command, { indent: 16 }).moveDown(0.7);
  pdf.font('regular').fontSize(10.5).text(letter.after).moveDown(1.5);
  pdf.text(letter.closing).moveDown(2);
  pdf.text(letter.signature);
  return new Uint8Array(await done());
}
