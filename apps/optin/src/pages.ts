import type { FormConfig, Language } from './config.js';
import { t, type TextKey } from './texts.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A whole page: no external resources (the CSP forbids them anyway), and no scripts except the Altcha
 * widget's own files from this service when it is on.
 */
export function page(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}button{font-size:1.1rem;padding:.5rem 1rem}label{display:block;margin:.5rem 0}.hp{position:absolute;left:-10000px}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function message(language: Language, title: string, text: string): string {
  return page(language, title, `<p>${escapeHtml(text)}</p>`);
}

/**
 * A message page whose title and sentence both come from the text table, in one language.
 *
 * @example
 * textMessage('nl', 'linkInvalidTitle', 'linkInvalid');
 */
export function textMessage(language: Language, title: TextKey, text: TextKey): string {
  return message(language, t(title, language), t(text, language));
}

/**
 * The sign-up form, without JavaScript unless `widget` (the Altcha widget's markup) is given: the hosted
 * page uses it and the snippet is the same markup with an absolute action, for the business to paste into
 * its own site.
 */
export function signupForm(
  form: FormConfig,
  language: Language,
  action: string,
  { source, widget = '' }: { source?: string; widget?: string } = {},
): string {
  const consent = form.consentTexts.at(-1);
  if (!consent) throw new Error('A form has at least one consent text');
  const lists = form.lists
    .map(
      (list) =>
        `<label><input type="checkbox" name="lists" value="${escapeHtml(list.id)}" checked> ${escapeHtml(list.name[language])}</label>`,
    )
    .join('');
  return `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="form_id" value="${escapeHtml(form.id)}">
<input type="hidden" name="form_version" value="${escapeHtml(form.version)}">
<input type="hidden" name="consent_text_version" value="${escapeHtml(consent.version)}">
<input type="hidden" name="language" value="${language}">
${source ? `<input type="hidden" name="source" value="${escapeHtml(source)}">\n` : ''}<label>${escapeHtml(t('emailLabel', language))} <input type="email" name="email" required autocomplete="email"></label>
${lists}
<p>${escapeHtml(consent.text[language])}</p>
<div class="hp" aria-hidden="true"><label>Website <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
${widget}<button type="submit">${escapeHtml(t('signupButton', language))}</button>
</form>`;
}

export function confirmPage(language: Language, action: string, nonce: string): string {
  return page(
    language,
    t('confirmTitle', language),
    `<p>${escapeHtml(t('confirmIntro', language))}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="nonce" value="${escapeHtml(nonce)}">
<button type="submit">${escapeHtml(t('confirmButton', language))}</button></form>`,
  );
}

export function unsubscribePage(language: Language, action: string, preferencesUrl: string): string {
  return page(
    language,
    t('unsubscribeTitle', language),
    `<p>${escapeHtml(t('unsubscribeIntro', language))}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(t('unsubscribeButton', language))}</button></form>
<p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t('preferencesLink', language))}</a></p>`,
  );
}

export function preferencesPage(
  language: Language,
  action: string,
  lists: { id: string; name: string; kept: boolean }[],
): string {
  const boxes = lists
    .map(
      (list) =>
        `<label><input type="checkbox" name="lists" value="${escapeHtml(list.id)}"${list.kept ? ' checked' : ''}> ${escapeHtml(list.name)}</label>`,
    )
    .join('');
  return page(
    language,
    t('preferencesTitle', language),
    `<p>${escapeHtml(t('preferencesIntro', language))}</p>
<form method="post" action="${escapeHtml(action)}">${boxes}<input type="hidden" name="save" value="1">
<button type="submit">${escapeHtml(t('preferencesSave', language))}</button></form>`,
  );
}
