import { UserError, type Lang } from '@consent-mailer/policy';

/** The merge fields a mailing may use, filled per recipient. */
export const MERGE_FIELD_NAMES = ['firstName', 'lastName', 'fullName', 'email', 'organisation'] as const;
export type MergeFieldName = (typeof MERGE_FIELD_NAMES)[number];
export type MergeValues = Partial<Record<MergeFieldName, string | undefined>>;

/** What each merge field stands for, in the owner's words: how a template is described to a person. */
export const MERGE_FIELD_LABELS: Readonly<Record<MergeFieldName, { nl: string; en: string }>> = {
  firstName: { nl: 'voornaam', en: 'first name' },
  lastName: { nl: 'achternaam', en: 'last name' },
  fullName: { nl: 'volledige naam', en: 'full name' },
  email: { nl: 'e-mailadres', en: 'email address' },
  organisation: { nl: 'organisatie', en: 'organisation' },
};

// {{ name }} or {{ name | fallback }}; the fallback may not contain braces.
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * escapeHtml('<b>Jan & Piet</b>'); // '&lt;b&gt;Jan &amp; Piet&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Lists the merge fields a template uses and refuses unknown ones, so a typo is caught when the mailing is
 * written rather than sent to thousands of people as an empty gap.
 *
 * @example
 * checkMergeFields('Dear {{firstName|customer}}'); // ['firstName']
 */
export function checkMergeFields(template: string): MergeFieldName[] {
  const used = new Set<MergeFieldName>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!isMergeFieldName(name)) {
      throw new UserError('MAILING_UNKNOWN_MERGE_FIELD', {
        en: `The merge field {{${name}}} does not exist. Use one of: ${MERGE_FIELD_NAMES.join(', ')}.`,
        nl: `Het invoegveld {{${name}}} bestaat niet. Gebruik een van: ${MERGE_FIELD_NAMES.join(', ')}.`,
      });
    }
    used.add(name);
  }
  return [...used];
}

/**
 * Fills `{{field}}` and `{{field|fallback}}` placeholders. A missing or blank value becomes the fallback
 * (or nothing). In HTML mode values and fallbacks are escaped, so a contact named `<script>` stays text.
 *
 * @example
 * renderMergeFields('Dear {{firstName|customer}},', { firstName: '' }, 'text'); // 'Dear customer,'
 * renderMergeFields('<p>{{firstName}}</p>', { firstName: '<b>' }, 'html'); // '<p>&lt;b&gt;</p>'
 */
export function renderMergeFields(template: string, values: MergeValues, mode: 'html' | 'text'): string {
  checkMergeFields(template);
  return template.replace(PLACEHOLDER, (_whole, name: string, fallback: string | undefined) => {
    const raw = values[name as MergeFieldName]?.trim();
    const chosen = raw === undefined || raw === '' ? (fallback ?? '') : raw;
    return mode === 'html' ? escapeHtml(chosen) : chosen;
  });
}

function isMergeFieldName(name: string): name is MergeFieldName {
  return (MERGE_FIELD_NAMES as readonly string[]).includes(name);
}

/**
 * A template as a person reads it: every merge field as its name in brackets, so a subject such as
 * `Nieuws voor {{firstName|u}}` is named `Nieuws voor [voornaam]` where the mailing is described rather than
 * sent (the signed acknowledgement). An unknown field stays as written.
 *
 * @example
 * describeMergeFields('Nieuws voor {{firstName|u}}', 'nl'); // 'Nieuws voor [voornaam]'
 */
export function describeMergeFields(template: string, lang: Lang): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    isMergeFieldName(name) ? `[${MERGE_FIELD_LABELS[name][lang]}]` : whole,
  );
}
