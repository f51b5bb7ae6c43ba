import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { altchaChallengeUrl, checkboxValues, http, postForms, type HttpAnswer } from './http.js';

/** The hosted sign-up form as a browser sees it: where it posts and what it sends besides the address. */
export interface SignupForm {
  action: string;
  fields: URLSearchParams;
  /** The Altcha widget's challenge URL when the service asks for a proof of work; null when it does not. */
  altcha: URL | null;
}

/** Reads the hosted sign-up page (`GET /signup`) the way a browser would. */
export async function readSignupForm(base: URL): Promise<SignupForm | { error: string }> {
  const pageUrl = new URL('signup', base);
  const answer = await http(pageUrl);
  if (answer.status !== 200) return { error: `GET /signup answered ${answer.status}` };
  const form = postForms(answer.body, pageUrl)[0];
  if (!form) return { error: 'GET /signup shows no form that posts' };
  const fields = new URLSearchParams(form.hidden);
  for (const list of checkboxValues(answer.body, 'lists')) fields.append('lists', list);
  fields.set('website', '');
  fields.set('language', 'en');
  const altcha = altchaChallengeUrl(answer.body, pageUrl) ?? null;
  // One proof up front, so a widget that cannot be solved fails the form's clauses with the reason.
  if (altcha)
    try {
      await solveAltcha(altcha);
    } catch (error) {
      return { error: `the form's Altcha proof of work cannot be done: ${(error as Error).message}` };
    }
  return { action: form.action, fields, altcha };
}

/** The service gave no challenge: 429 when it limits challenges per client address. */
export class ChallengeRefused extends Error {
  constructor(
    url: URL,
    readonly status: number,
  ) {
    super(`GET ${url.pathname} answered ${status}`);
  }
}

/**
 * Does what the page's Altcha widget does: fetches a challenge, solves it with altcha-lib's solver and
 * returns the widget's payload for the form's `altcha` field.
 */
export async function solveAltcha(challengeUrl: URL): Promise<string> {
  const answer = await http(challengeUrl);
  if (answer.status !== 200) throw new ChallengeRefused(challengeUrl, answer.status);
  const challenge = JSON.parse(answer.body) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('the Altcha challenge could not be solved in time');
  const payload = {
    challenge: { parameters: challenge.parameters, signature: challenge.signature },
    solution,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

/**
 * Submits the form for `email`, as a person would: with a solved Altcha challenge when the form has the
 * widget (`altcha` when solved beforehand, else solved now).
 */
export async function submitSignup(form: SignupForm, email: string, altcha?: string): Promise<HttpAnswer> {
  const fields = new URLSearchParams(form.fields);
  fields.set('email', email);
  if (form.altcha) fields.set('altcha', altcha ?? (await solveAltcha(form.altcha)));
  return http(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    body: fields.toString(),
  });
}
