import { randomBytes } from 'node:crypto';
import { eventsFor, readFeed } from './feed.js';
import {
  BROWSER_USER_AGENT,
  SCANNER_USER_AGENT,
  describeAnswer,
  http,
  postForms,
  type HttpAnswer,
} from './http.js';
import type { ProbeMail } from './mailbox.js';
import { submitSignup, type SignupForm } from './signup.js';
import {
  NEEDS_FEED,
  NEEDS_IMAP,
  probeAddress,
  result,
  type CheckContext,
  type ClauseResult,
} from './types.js';

const T = {
  scanner: {
    en: 'a link scanner (HEAD, GET, scanner user agent) leaves the contact pending',
    nl: 'een linkscanner (HEAD, GET, user agent van een scanner) laat het contact onbevestigd',
  },
  human: {
    en: "a person's POST with the page's nonce confirms",
    nl: 'de POST van een mens met de nonce van de pagina bevestigt',
  },
  replay: {
    en: 'a replayed or made-up nonce is refused',
    nl: 'een hergebruikte of verzonnen nonce wordt geweigerd',
  },
  single: {
    en: 'a second confirm shows success and writes nothing',
    nl: 'een tweede bevestiging toont succes en schrijft niets',
  },
  unknown: {
    en: 'unknown confirmation tokens all get the same answer, without a button',
    nl: 'onbekende bevestigingstokens krijgen allemaal hetzelfde antwoord, zonder knop',
  },
};

/** A sign-up of the probe mailbox in progress: its address and the link its confirmation mail brought. */
export interface ProbeSignup {
  address: string;
  link: string;
}

const randomTokenText = () => randomBytes(16).toString('base64url');
const isConfirmLink = (link: string) => /\/confirm\//.test(link);

/** Signs `address` up and waits for its confirmation mail; the link, or why there is none. */
export async function signUpAndReadLink(
  context: CheckContext,
  form: SignupForm,
  address: string,
): Promise<ProbeSignup | { error: string }> {
  const answer = await submitSignup(form, address);
  if (answer.status === 429)
    return { error: 'the sign-up was refused with 429 (the per-IP limit); run the check again in an hour' };
  if (answer.status >= 300) return { error: `the sign-up answered ${describeAnswer(answer)}` };
  const mail = await context.mailbox?.waitFor(
    address,
    (m: ProbeMail) => m.links.some(isConfirmLink),
    context.waitMs,
  );
  const link = mail?.links.find(isConfirmLink);
  if (!link) return { error: `no confirmation mail reached ${address} within ${context.waitMs / 1000} s` };
  return { address, link };
}

/** What GET of a confirmation link shows: the button form (pending) or not. */
async function confirmPage(
  link: string,
): Promise<{ answer: HttpAnswer; nonceForm?: ReturnType<typeof postForms>[number] }> {
  const answer = await http(link);
  const nonceForm = postForms(answer.body, link).find((form) => form.hasButton && 'nonce' in form.hidden);
  return nonceForm ? { answer, nonceForm } : { answer };
}

async function confirmedEvents(context: CheckContext, address: string): Promise<number | undefined> {
  if (!context.feedToken) return undefined;
  return eventsFor((await readFeed(context)).events, 'confirmed', address).length;
}

function post(action: string, fields: Record<string, string>): Promise<HttpAnswer> {
  return http(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER_USER_AGENT },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The double opt-in clauses; returns the confirmed probe addresses for the unsubscribe clauses. */
export async function confirmClauses(
  context: CheckContext,
  form: SignupForm | { error: string },
): Promise<{ results: ClauseResult[]; confirmed: string[] }> {
  const results: ClauseResult[] = [];
  const confirmed: string[] = [];
  const addressA = probeAddress(context, 'a');
  const addressB = probeAddress(context, 'b');
  let sampleLink: string | undefined;

  // The four confirmation clauses, for when none of them can run: all skipped, or all failed alike.
  const CONFIRM_CLAUSES = [
    ['confirm.scanner', T.scanner],
    ['confirm.human', T.human],
    ['confirm.nonce-replay', T.replay],
    ['confirm.single-use', T.single],
  ] as const;
  if (!context.mailbox || !addressA || !addressB) {
    for (const [id, title] of CONFIRM_CLAUSES) results.push(result(id, title, 'skipped', NEEDS_IMAP));
  } else if ('error' in form) {
    const detail = { en: form.error, nl: form.error };
    for (const [id, title] of CONFIRM_CLAUSES) results.push(result(id, title, 'fail', detail));
  } else {
    const a = await signUpAndReadLink(context, form, addressA);
    if ('error' in a) {
      const detail = { en: a.error, nl: a.error };
      results.push(result('confirm.scanner', T.scanner, 'fail', detail));
      results.push(result('confirm.human', T.human, 'fail', detail));
      results.push(result('confirm.single-use', T.single, 'fail', detail));
    } else {
      sampleLink = a.link;
      // What link scanners do: HEAD, GET with their own user agent, a bare GET.
      await http(a.link, { method: 'HEAD', headers: { 'user-agent': SCANNER_USER_AGENT } });
      await http(a.link, { headers: { 'user-agent': SCANNER_USER_AGENT } });
      await http(a.link, { headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } });
      const after = await confirmPage(a.link);
      const early = await confirmedEvents(context, a.address);
      const pending = after.nonceForm !== undefined && (early ?? 0) === 0;
      results.push(
        result(
          'confirm.scanner',
          T.scanner,
          pending ? 'pass' : 'fail',
          pending
            ? { en: 'the link still shows the button', nl: 'de link toont nog steeds de knop' }
            : {
                en: `after the scanner's requests the link shows no confirmation button (GET ${after.answer.status})${early ? ', and the feed has a confirmation' : ''}: a GET confirmed`,
                nl: `na de verzoeken van de scanner toont de link geen bevestigingsknop (GET ${after.answer.status})${early ? ', en de feed heeft een bevestiging' : ''}: een GET heeft bevestigd`,
              },
        ),
      );

      if (!after.nonceForm) {
        results.push(
          result('confirm.human', T.human, 'fail', {
            en: 'the confirmation page has no button with a nonce to press',
            nl: 'de bevestigingspagina heeft geen knop met een nonce om op te drukken',
          }),
        );
        results.push(
          result('confirm.single-use', T.single, 'fail', {
            en: 'nothing to confirm a second time',
            nl: 'niets om een tweede keer te bevestigen',
          }),
        );
      } else {
        const { action, hidden } = after.nonceForm;
        const first = await post(action, hidden);
        const later = await confirmPage(a.link);
        const count = await confirmedEvents(context, a.address);
        const ok = first.status === 200 && !later.nonceForm && (count === undefined || count === 1);
        if (ok) confirmed.push(a.address);
        results.push(
          result(
            'confirm.human',
            T.human,
            ok ? 'pass' : 'fail',
            ok
              ? {
                  en: `POST answered 200${count === undefined ? '' : ', one confirmation in the feed'}`,
                  nl: `POST antwoordde 200${count === undefined ? '' : ', één bevestiging in de feed'}`,
                }
              : {
                  en: `POST answered ${describeAnswer(first)}; afterwards the link ${later.nonceForm ? 'still asks to confirm' : 'shows no button'}; confirmations in the feed: ${count ?? 'not read'}`,
                  nl: `POST antwoordde ${describeAnswer(first)}; daarna ${later.nonceForm ? 'vraagt de link nog steeds om bevestiging' : 'toont de link geen knop'}; bevestigingen in de feed: ${count ?? 'niet gelezen'}`,
                },
          ),
        );

        // The same POST again (the person presses twice, or a back button): success, nothing written.
        const second = await post(action, hidden);
        const countAfter = await confirmedEvents(context, a.address);
        if (second.status !== 200)
          results.push(
            result('confirm.single-use', T.single, 'fail', {
              en: `the second confirm answered ${describeAnswer(second)}, not success`,
              nl: `de tweede bevestiging antwoordde ${describeAnswer(second)}, geen succes`,
            }),
          );
        else if (countAfter === undefined)
          results.push(result('confirm.single-use', T.single, 'skipped', NEEDS_FEED));
        else
          results.push(
            result(
              'confirm.single-use',
              T.single,
              countAfter === 1 && ok ? 'pass' : 'fail',
              countAfter === 1 && ok
                ? {
                    en: 'success again, still one confirmation in the feed',
                    nl: 'weer succes, nog steeds één bevestiging in de feed',
                  }
                : {
                    en: `the feed has ${countAfter} confirmations for one sign-up`,
                    nl: `de feed heeft ${countAfter} bevestigingen voor één aanmelding`,
                  },
            ),
          );

        // A nonce that was used (for another sign-up) and a made-up one must not confirm B.
        const b = await signUpAndReadLink(context, form, addressB);
        if ('error' in b) {
          results.push(result('confirm.nonce-replay', T.replay, 'fail', { en: b.error, nl: b.error }));
        } else {
          const page = await confirmPage(b.link);
          if (!page.nonceForm) {
            results.push(
              result('confirm.nonce-replay', T.replay, 'fail', {
                en: 'the second probe sign-up shows no confirmation button',
                nl: 'de tweede testaanmelding toont geen bevestigingsknop',
              }),
            );
          } else {
            const replayed = await post(page.nonceForm.action, {
              ...page.nonceForm.hidden,
              nonce: hidden.nonce ?? '',
            });
            const madeUp = await post(page.nonceForm.action, {
              ...page.nonceForm.hidden,
              nonce: randomTokenText(),
            });
            const without = await post(page.nonceForm.action, {});
            const still = await confirmPage(b.link);
            const countB = await confirmedEvents(context, b.address);
            const refused = still.nonceForm !== undefined && (countB ?? 0) === 0;
            results.push(
              result(
                'confirm.nonce-replay',
                T.replay,
                refused ? 'pass' : 'fail',
                refused
                  ? {
                      en: `refused (${replayed.status}, ${madeUp.status}, ${without.status}); the contact stays pending`,
                      nl: `geweigerd (${replayed.status}, ${madeUp.status}, ${without.status}); het contact blijft onbevestigd`,
                    }
                  : {
                      en: `a POST without the page's own nonce confirmed (answers ${replayed.status}, ${madeUp.status}, ${without.status})`,
                      nl: `een POST zonder de eigen nonce van de pagina bevestigde (antwoorden ${replayed.status}, ${madeUp.status}, ${without.status})`,
                    },
              ),
            );
            // Now confirm B as a person would, so it has a receipt for the unsubscribe clauses.
            if (still.nonceForm) {
              const done = await post(still.nonceForm.action, still.nonceForm.hidden);
              if (done.status === 200) confirmed.push(b.address);
            }
          }
        }
      }
    }
  }

  results.push(await unknownTokens(context, sampleLink));
  return { results, confirmed };
}

/** Two made-up tokens: the same answer for both (nothing to probe), and no button. */
async function unknownTokens(context: CheckContext, sample: string | undefined): Promise<ClauseResult> {
  const linkFor = (token: string) =>
    sample ? sample.replace(/[^/]+$/, token) : new URL(`confirm/${token}`, context.base).href;
  const one = await http(linkFor(randomTokenText()));
  const two = await http(linkFor(randomTokenText()));
  const postOne = await post(linkFor(randomTokenText()), { nonce: randomTokenText() });
  const postTwo = await post(linkFor(randomTokenText()), { nonce: randomTokenText() });
  const same =
    one.status === two.status &&
    one.body === two.body &&
    postOne.status === postTwo.status &&
    postOne.body === postTwo.body;
  const button = postForms(one.body, linkFor('x')).some((form) => 'nonce' in form.hidden);
  const ok = same && !button && postOne.status !== 200;
  return result(
    'confirm.unknown-token',
    T.unknown,
    ok ? 'pass' : 'fail',
    ok
      ? {
          en: `GET ${one.status}, POST ${postOne.status} for every unknown token`,
          nl: `GET ${one.status}, POST ${postOne.status} voor elk onbekend token`,
        }
      : {
          en: `${same ? '' : 'different answers for different unknown tokens; '}${button ? 'an unknown token shows a confirmation button; ' : ''}${postOne.status === 200 ? 'a POST to an unknown token answers 200' : ''}`,
          nl: `${same ? '' : 'verschillende antwoorden voor verschillende onbekende tokens; '}${button ? 'een onbekend token toont een bevestigingsknop; ' : ''}${postOne.status === 200 ? 'een POST naar een onbekend token antwoordt 200' : ''}`,
        },
  );
}

export { confirmPage, post, randomTokenText };
