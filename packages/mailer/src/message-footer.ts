import type { ConsentMethod, Lang } from '@consent-mailer/policy';
import { consentReason, rightToObjectSentence } from './consent-reason.js';
import { escapeHtml } from './merge-fields.js';
import type { SenderIdentity } from './sender-identity.js';
import type { UnsubscribeLinks } from './unsubscribe-link.js';

export interface FooterInput {
  sender: SenderIdentity;
  method: ConsentMethod;
  /** The contact's first mailing from this sender: it must state the right to object (GDPR 21(4)). */
  firstMailing: boolean;
  links: UnsubscribeLinks;
  lang: Lang;
}

/**
 * The footer every message carries (docs/policy-rules.md section 5): identity (legal name, postal address,
 * contact e-mail, KvK number), why the recipient gets this mail, a visible unsubscribe link, and in the
 * first mailing the right-to-object sentence. Returned as HTML and as plain text.
 *
 * @example
 * const footer = buildFooter({ sender, method: 'WEB_DOI', firstMailing: true, links, lang: 'nl' });
 * footer.text.includes('KvK'); // true
 */
export function buildFooter(input: FooterInput): { html: string; text: string } {
  const { sender, lang, links } = input;
  const label = LABELS[lang];
  const name =
    sender.tradeName && sender.tradeName !== sender.legalName
      ? `${sender.tradeName} (${sender.legalName})`
      : sender.legalName;
  const identity = [
    name,
    sender.postalAddress,
    `${label.email}: ${sender.contactEmail}`,
    `${label.kvk}: ${sender.kvkNumber}`,
    ...(sender.vatNumber ? [`${label.vat}: ${sender.vatNumber}`] : []),
    ...(sender.website ? [sender.website] : []),
  ];
  const reason = consentReason(input.method, lang);
  const object = input.firstMailing ? rightToObjectSentence(lang) : undefined;
  const unsubscribeHref = links.https ?? links.mailto;

  const text = [
    '-- ',
    reason,
    ...(object ? [object] : []),
    `${label.unsubscribe}: ${unsubscribeHref}`,
    '',
    ...identity,
  ].join('\n');

  const html = [
    '<div class="consent-mailer-footer" style="margin-top:24px;padding-top:12px;border-top:1px solid #ccc;font-size:12px;color:#555">',
    `<p>${escapeHtml(reason)}</p>`,
    ...(object ? [`<p>${escapeHtml(object)}</p>`] : []),
    `<p><a href="${escapeHtml(unsubscribeHref)}">${escapeHtml(label.unsubscribe)}</a></p>`,
    `<p>${identity.map(escapeHtml).join('<br>')}</p>`,
    '</div>',
  ].join('\n');
  return { html, text };
}

const LABELS: Record<Lang, { email: string; kvk: string; vat: string; unsubscribe: string }> = {
  en: { email: 'E-mail', kvk: 'KvK (Chamber of Commerce)', vat: 'VAT', unsubscribe: 'Unsubscribe' },
  nl: { email: 'E-mail', kvk: 'KvK', vat: 'Btw', unsubscribe: 'Afmelden' },
};
