// The composer's layouts: the owner writes only the text (in the editor) and picks a layout; the layout
// wraps it in mail-client-proof HTML. Tables and inline styles, because Outlook and Gmail ignore most CSS;
// a viewport meta and a 600 px column that shrinks, so it reads on a phone.

/** The layouts the composer offers. */
export const TEMPLATE_IDS = ['plain', 'newsletter', 'announcement'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** What a layout needs besides the text: the sender's name for the header band. */
export interface TemplateOptions {
  senderName: string;
}

// The markers let an edit of a saved draft find the text again (they travel as HTML comments: invisible in
// every mail client). HTML without them was not made by the editor and opens as HTML.
const TEMPLATE_MARK = /<!-- consent-mailer:template=([a-z]+) -->/;
const BODY_START = '<!-- consent-mailer:body -->';
const BODY_END = '<!-- /consent-mailer:body -->';

const FONT = 'font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a';

const LAYOUTS: Record<TemplateId, { page: string; header: (name: string) => string; card: string }> = {
  plain: { page: '#ffffff', header: () => '', card: 'padding:16px 8px' },
  newsletter: {
    page: '#f1f3f5',
    header: (name) =>
      `<tr><td style="background:#0b5c56;padding:20px 24px;${FONT};font-size:20px;font-weight:bold;color:#ffffff">${escapeText(name)}</td></tr>`,
    card: 'background:#ffffff;padding:24px',
  },
  announcement: {
    page: '#fff8e6',
    header: (name) =>
      `<tr><td style="padding:24px 24px 0;${FONT};font-size:14px;letter-spacing:1px;text-transform:uppercase;color:#7a4b00;text-align:center">${escapeText(name)}</td></tr>`,
    card: 'background:#ffffff;padding:24px;border-top:6px solid #b86e00',
  },
};

/**
 * The whole mail for a layout and the editor's text.
 *
 * @example
 * wrapInTemplate('newsletter', '<p>Hallo {{firstName}}</p>', { senderName: 'Bakkerij Jansen' });
 */
export function wrapInTemplate(id: TemplateId, body: string, options: TemplateOptions): string {
  const layout = LAYOUTS[id];
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<!-- consent-mailer:template=${id} -->`,
    '</head>',
    `<body style="margin:0;padding:0;background:${layout.page}">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${layout.page}"><tr><td align="center" style="padding:16px 8px">`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px">',
    layout.header(options.senderName),
    `<tr><td style="${layout.card};${FONT}">${BODY_START}${body}${BODY_END}</td></tr>`,
    '</table>',
    '</td></tr></table>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * The layout and text of HTML that `wrapInTemplate` made, or null for HTML from elsewhere (written by hand,
 * pasted from another tool): that stays HTML, so nothing the owner made is rewritten by the editor.
 */
export function splitTemplate(html: string): { id: TemplateId; body: string } | null {
  const id = TEMPLATE_MARK.exec(html)?.[1];
  const known = TEMPLATE_IDS.find((candidate) => candidate === id);
  const start = html.indexOf(BODY_START);
  const end = html.lastIndexOf(BODY_END);
  if (!known || start === -1 || end < start) return null;
  return { id: known, body: html.slice(start + BODY_START.length, end) };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
