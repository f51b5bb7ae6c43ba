import { confirmPage, post, randomTokenText } from './confirm-clauses.js';
import { http } from './http.js';
import { result, type CheckContext, type ClauseResult } from './types.js';

const T = {
  ttl: {
    en: 'confirmation links expire (the service states a lifetime of at most 30 days)',
    nl: 'bevestigingslinks verlopen (de service noemt een levensduur van hoogstens 30 dagen)',
  },
  link: {
    en: 'an expired confirmation link shows no button and does not confirm',
    nl: 'een verlopen bevestigingslink toont geen knop en bevestigt niet',
  },
};

/**
 * Expiry, as far as a check from outside can prove it: the lifetime the service states on `/health`,
 * and, when the hoster kept one, a link older than that lifetime.
 */
export async function expiryClauses(context: CheckContext): Promise<ClauseResult[]> {
  const results: ClauseResult[] = [];
  const health = await http(new URL('health', context.base));
  let ttl: unknown;
  try {
    ttl = (JSON.parse(health.body) as { tokenTtlDays?: unknown }).tokenTtlDays;
  } catch {
    ttl = undefined;
  }
  const ok = typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 1 && ttl <= 30;
  results.push(
    result(
      'expiry.ttl',
      T.ttl,
      ok ? 'pass' : 'fail',
      ok
        ? { en: `links live ${String(ttl)} days`, nl: `links leven ${String(ttl)} dagen` }
        : typeof ttl === 'number'
          ? { en: `links live ${ttl} days, more than 30`, nl: `links leven ${ttl} dagen, meer dan 30` }
          : {
              en: `GET /health (${health.status}) does not state tokenTtlDays`,
              nl: `GET /health (${health.status}) noemt geen tokenTtlDays`,
            },
    ),
  );

  if (!context.expiredLink) {
    results.push(
      result('expiry.link', T.link, 'skipped', {
        en: 'skipped: needs --expired-link (a confirmation link older than the lifetime)',
        nl: 'overgeslagen: vraagt --expired-link (een bevestigingslink ouder dan de levensduur)',
      }),
    );
    return results;
  }
  const page = await confirmPage(context.expiredLink);
  const forced = await post(context.expiredLink, { nonce: randomTokenText() });
  const again = await confirmPage(context.expiredLink);
  const unknown = await http(context.expiredLink.replace(/[^/]+$/, randomTokenText()));
  const refused = !page.nonceForm && !again.nonceForm && forced.status !== 200;
  const same = page.answer.status === unknown.status && page.answer.body === unknown.body;
  results.push(
    result(
      'expiry.link',
      T.link,
      refused && same ? 'pass' : 'fail',
      refused && same
        ? {
            en: `refused (GET ${page.answer.status}, POST ${forced.status}), the same answer as an unknown token`,
            nl: `geweigerd (GET ${page.answer.status}, POST ${forced.status}), hetzelfde antwoord als een onbekend token`,
          }
        : refused
          ? {
              en: 'refused, but the answer differs from an unknown token’s (it tells expired links apart)',
              nl: 'geweigerd, maar het antwoord verschilt van dat voor een onbekend token (het onderscheidt verlopen links)',
            }
          : {
              en: `the expired link still ${page.nonceForm ? 'shows a confirmation button' : `accepts a POST (${forced.status})`}`,
              nl: `de verlopen link ${page.nonceForm ? 'toont nog een bevestigingsknop' : `neemt nog een POST aan (${forced.status})`}`,
            },
    ),
  );
  return results;
}
