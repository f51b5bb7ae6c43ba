import { checkboxValues, http, postForms, type HttpAnswer } from './http.js';

/** The hosted sign-up form as a browser sees it: where it posts and what it sends besides the address. */
export interface SignupForm {
  action: string;
  fields: URLSearchParams;
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
  return { action: form.action, fields };
}

/** Submits the form for `email`, as a person would. */
export function submitSignup(form: SignupForm, email: string): Promise<HttpAnswer> {
  const fields = new URLSearchParams(form.fields);
  fields.set('email', email);
  return http(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    body: fields.toString(),
  });
}
