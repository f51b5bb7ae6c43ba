import { randomTokenText } from './confirm-clauses.js';
import { eventsFor, readFeed, type FeedEvent } from './feed.js';
import { describeAnswer, http, postForms, type HttpAnswer } from './http.js';
import {
  NEEDS_FEED,
  NEEDS_IMAP,
  result,
  type Bilingual,
  type CheckContext,
  type ClauseResult,
} from './types.js';

const T = {
  urlencoded: {
    en: 'RFC 8058 one-click POST (urlencoded) answers 200 without a redirect',
    nl: 'RFC 8058 one-click POST (urlencoded) antwoordt 200 zonder doorverwijzing',
  },
  multipart: {
    en: 'RFC 8058 one-click POST (multipart/form-data) answers 200 without a redirect',
    nl: 'RFC 8058 one-click POST (multipart/form-data) antwoordt 200 zonder doorverwijzing',
  },
  noCookie: {
    en: 'one-click needs no cookie and checks no Origin',
    nl: 'one-click vraagt geen cookie en controleert geen Origin',
  },
  idempotent: {
    en: 'a repeated one-click answers the same and writes nothing more',
    nl: 'een herhaalde one-click antwoordt hetzelfde en schrijft niets meer',
  },
  unknown: {
    en: 'an unknown unsubscribe token gets the same answer as a known one',
    nl: 'een onbekend afmeldtoken krijgt hetzelfde antwoord als een bekend',
  },
  getPage: {
    en: 'GET of the unsubscribe link shows a page with a button',
    nl: 'GET van de afmeldlink toont een pagina met een knop',
  },
  getNoChange: {
    en: 'GET of the unsubscribe link does not unsubscribe',
    nl: 'GET van de afmeldlink meldt niet af',
  },
};

type Encoding = 'urlencoded' | 'multipart';

/** The one-click POST a mail client sends (RFC 8058 section 3.2): no cookie, no Origin unless given. */
export function oneClick(
  url: string,
  encoding: Encoding,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  if (encoding === 'multipart') {
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    return http(url, { method: 'POST', headers, body });
  }
  return http(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'List-Unsubscribe=One-Click',
  });
}

function plainOk(answer: HttpAnswer, title: Bilingual, id: string): ClauseResult {
  const ok = answer.status === 200 && !answer.headers.get('location');
  return result(
    id,
    title,
    ok ? 'pass' : 'fail',
    ok
      ? { en: '200', nl: '200' }
      : { en: `answered ${describeAnswer(answer)}`, nl: `antwoordde ${describeAnswer(answer)}` },
  );
}

/** How many feed events record an unsubscribe for this target (a probe address, or a token the service relays). */
function unsubscribeCount(events: FeedEvent[], target: Target): number {
  if (target.address) return eventsFor(events, 'unsubscribed', target.address).length;
  return events.filter((event) => event.type === 'unsubscribed' && event.data.token === target.token).length;
}

interface Target {
  url: string;
  token: string;
  /** The probe address the token belongs to (from its receipt mail); absent for a made-up token. */
  address?: string;
}

function unknownTarget(context: CheckContext, sample?: string): Target {
  const token = randomTokenText();
  const url = sample ? new URL(sample) : new URL('unsubscribe', context.base);
  url.searchParams.set('token', token);
  return { url: url.href, token };
}

/** Unsubscribe links from the receipt mails of the confirmed probe addresses. */
async function receiptTargets(context: CheckContext, confirmed: string[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const address of confirmed) {
    const mail = await context.mailbox?.waitFor(
      address,
      (m) => m.links.some((link) => /[?&]token=/.test(link) && /unsubscribe/.test(link)),
      context.waitMs,
    );
    const link = mail?.links.find((l) => /[?&]token=/.test(l) && /unsubscribe/.test(l));
    if (link) targets.push({ url: link, token: new URL(link).searchParams.get('token') ?? '', address });
  }
  return targets;
}

/** Every RFC 8058 clause, against the receipts' real tokens when there is a mailbox, else made-up ones. */
export async function unsubscribeClauses(
  context: CheckContext,
  confirmed: string[],
): Promise<ClauseResult[]> {
  const results: ClauseResult[] = [];
  const known = await receiptTargets(context, confirmed);
  const sample = known[0]?.url;
  const first = known[0] ?? unknownTarget(context);
  const second = known[1] ?? unknownTarget(context, sample);

  const urlencoded = await oneClick(first.url, 'urlencoded');
  results.push(plainOk(urlencoded, T.urlencoded, 'rfc8058.urlencoded'));
  results.push(plainOk(await oneClick(second.url, 'multipart'), T.multipart, 'rfc8058.multipart'));

  const foreign = await oneClick(unknownTarget(context, sample).url, 'urlencoded', {
    origin: 'https://elsewhere.example',
    referer: 'https://elsewhere.example/inbox',
  });
  const noCookie = plainOk(foreign, T.noCookie, 'rfc8058.no-cookie-origin');
  results.push(
    noCookie.status === 'pass'
      ? {
          ...noCookie,
          detail: {
            en: '200 with a foreign Origin and no cookie',
            nl: '200 met een vreemde Origin en zonder cookie',
          },
        }
      : noCookie,
  );

  const repeat = await oneClick(first.url, 'urlencoded');
  const sameAnswer = repeat.status === urlencoded.status && repeat.body === urlencoded.body;
  const events = context.feedToken ? (await readFeed(context)).events : undefined;
  if (!sameAnswer)
    results.push(
      result('rfc8058.idempotent', T.idempotent, 'fail', {
        en: `the repeat answered ${describeAnswer(repeat)} with a different page`,
        nl: `de herhaling antwoordde ${describeAnswer(repeat)} met een andere pagina`,
      }),
    );
  else if (!events) results.push(result('rfc8058.idempotent', T.idempotent, 'skipped', NEEDS_FEED));
  else {
    const count = unsubscribeCount(events, first);
    results.push(
      result(
        'rfc8058.idempotent',
        T.idempotent,
        count === 1 ? 'pass' : 'fail',
        count === 1
          ? {
              en: 'the same answer, one unsubscribe in the feed',
              nl: 'hetzelfde antwoord, één afmelding in de feed',
            }
          : {
              en: `${count} unsubscribes in the feed for one token`,
              nl: `${count} afmeldingen in de feed voor één token`,
            },
      ),
    );
  }

  if (!known[0])
    results.push(
      result(
        'rfc8058.unknown-token',
        T.unknown,
        context.mailbox ? 'fail' : 'skipped',
        context.mailbox
          ? {
              en: 'no receipt mail with an unsubscribe link arrived, so there is no known token to compare with',
              nl: 'er kwam geen ontvangstbevestiging met afmeldlink, dus geen bekend token om mee te vergelijken',
            }
          : NEEDS_IMAP,
      ),
    );
  else {
    const unknown = await oneClick(unknownTarget(context, sample).url, 'urlencoded');
    const same = unknown.status === urlencoded.status && unknown.body === urlencoded.body;
    results.push(
      result(
        'rfc8058.unknown-token',
        T.unknown,
        same ? 'pass' : 'fail',
        same
          ? { en: `both ${unknown.status}, the same page`, nl: `allebei ${unknown.status}, dezelfde pagina` }
          : {
              en: `known ${urlencoded.status}, unknown ${unknown.status}: the answer tells tokens apart`,
              nl: `bekend ${urlencoded.status}, onbekend ${unknown.status}: het antwoord onderscheidt tokens`,
            },
      ),
    );
  }

  const viewed = unknownTarget(context, sample);
  const page = await http(viewed.url);
  const button = postForms(page.body, viewed.url).some((form) => form.hasButton);
  results.push(
    result(
      'rfc8058.get-page',
      T.getPage,
      page.status === 200 && button ? 'pass' : 'fail',
      page.status === 200 && button
        ? { en: '200 with a button', nl: '200 met een knop' }
        : {
            en: `GET answered ${describeAnswer(page)}${button ? '' : ' without a button that posts'}`,
            nl: `GET antwoordde ${describeAnswer(page)}${button ? '' : ' zonder knop die post'}`,
          },
    ),
  );
  if (!context.feedToken) results.push(result('rfc8058.get-no-change', T.getNoChange, 'skipped', NEEDS_FEED));
  else {
    await http(viewed.url, { method: 'HEAD' });
    const count = unsubscribeCount((await readFeed(context)).events, viewed);
    results.push(
      result(
        'rfc8058.get-no-change',
        T.getNoChange,
        count === 0 ? 'pass' : 'fail',
        count === 0
          ? {
              en: 'no unsubscribe in the feed after GET and HEAD',
              nl: 'geen afmelding in de feed na GET en HEAD',
            }
          : { en: 'the GET unsubscribed (the feed has it)', nl: 'de GET meldde af (de feed heeft het)' },
      ),
    );
  }
  return results;
}
