/** What one HTTP exchange gave back; redirects are never followed, so a 3xx is seen as such. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData | URLSearchParams;
}

/** A typical link scanner (Microsoft Defender Safe Links style) that opens every link in a mail. */
export const SCANNER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0 (compatible; BingPreview/1.0b; +http://www.bing.com/bingbot.htm)';

/** The user agent of the person pressing the button. */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 consent-mailer-optin-check';

export async function http(url: string | URL, request: HttpRequest = {}): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: request.method ?? 'GET',
    headers: { 'user-agent': BROWSER_USER_AGENT, ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  const body = request.method === 'HEAD' ? '' : await response.text();
  return { status: response.status, headers: response.headers, body };
}

/** A `<form method="post">` of a page: where it posts and its hidden fields. */
export interface PostForm {
  action: string;
  hidden: Record<string, string>;
  hasButton: boolean;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The POST forms on a page, with relative actions resolved against the page's URL. */
export function postForms(html: string, pageUrl: string | URL): PostForm[] {
  const forms: PostForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = match[1] ?? '';
    const inner = match[2] ?? '';
    if ((attribute(open, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const hidden: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const tag = input[0];
      if ((attribute(tag, 'type') ?? '').toLowerCase() !== 'hidden') continue;
      const name = attribute(tag, 'name');
      if (name) hidden[name] = attribute(tag, 'value') ?? '';
    }
    const hasButton = /<button\b/i.test(inner) || /<input\b[^>]*type\s*=\s*["']?submit/i.test(inner);
    forms.push({ action: new URL(attribute(open, 'action') ?? '', pageUrl).href, hidden, hasButton });
  }
  return forms;
}

/** The values of the checked (or all) checkboxes named `name`. */
export function checkboxValues(html: string, name: string): string[] {
  const values: string[] = [];
  for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
    const tag = input[0];
    if ((attribute(tag, 'type') ?? '').toLowerCase() !== 'checkbox') continue;
    if (attribute(tag, 'name') !== name) continue;
    const value = attribute(tag, 'value');
    if (value !== undefined) values.push(value);
  }
  return values;
}

/** Where the page's Altcha widget fetches its challenge (resolved against the page), if it has one. */
export function altchaChallengeUrl(html: string, pageUrl: string | URL): URL | undefined {
  const tag = /<altcha-widget\b[^>]*>/i.exec(html)?.[0];
  const challenge = tag === undefined ? undefined : attribute(tag, 'challenge');
  return challenge === undefined ? undefined : new URL(challenge, pageUrl);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Short description of an answer for a failing clause: status and, for a redirect, where to. */
export function describeAnswer(answer: HttpAnswer): string {
  const location = answer.headers.get('location');
  return location ? `${answer.status} → ${location}` : String(answer.status);
}
