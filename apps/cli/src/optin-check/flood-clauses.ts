import { sleep } from './http.js';
import { solveAltcha, submitSignup, type SignupForm } from './signup.js';
import { NEEDS_IMAP, probeAddress, result, type CheckContext, type ClauseResult } from './types.js';

const TITLE = {
  en: '50 sign-ups of one address within a minute send exactly one mail',
  nl: '50 aanmeldingen van één adres binnen een minuut sturen precies één mail',
};

export const FLOOD_SIZE = 50;

/** The flood limit: 50 sign-ups of one fresh address, five at a time, then count the mails that came. */
export async function floodClauses(
  context: CheckContext,
  form: SignupForm | { error: string },
): Promise<ClauseResult[]> {
  const address = probeAddress(context, 'f');
  if (!context.mailbox || !address) return [result('flood.one-mail', TITLE, 'skipped', NEEDS_IMAP)];
  if ('error' in form) return [result('flood.one-mail', TITLE, 'fail', { en: form.error, nl: form.error })];
  // With Altcha on, every sign-up brings its own proof; solved beforehand, so the minute measures the
  // service's limits and not this computer's proof of work.
  const proofs: (string | undefined)[] = [];
  for (let n = 0; n < FLOOD_SIZE; n++) proofs.push(form.altcha ? await solveAltcha(form.altcha) : undefined);
  const started = Date.now();
  const statuses = new Map<number, number>();
  for (let sent = 0; sent < FLOOD_SIZE; sent += 5) {
    const answers = await Promise.all(
      proofs.slice(sent, sent + 5).map((proof) => submitSignup(form, address, proof)),
    );
    for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  }
  const seconds = (Date.now() - started) / 1000;
  const answered = [...statuses].map(([status, n]) => `${n}× ${status}`).join(', ');
  if (seconds > 60)
    return [
      result('flood.one-mail', TITLE, 'fail', {
        en: `the 50 sign-ups took ${seconds.toFixed(0)} s, more than a minute (${answered})`,
        nl: `de 50 aanmeldingen duurden ${seconds.toFixed(0)} s, langer dan een minuut (${answered})`,
      }),
    ];
  await context.mailbox.waitFor(address, () => true, context.waitMs);
  // Mails that should not come may be a little behind the first one.
  await sleep(context.settleMs);
  const mails = (await context.mailbox.mailsTo(address)).length;
  return [
    result('flood.one-mail', TITLE, mails === 1 ? 'pass' : 'fail', {
      en: `${mails} mail${mails === 1 ? '' : 's'} arrived (answers: ${answered}, in ${seconds.toFixed(1)} s)`,
      nl: `${mails} mail${mails === 1 ? '' : 's'} aangekomen (antwoorden: ${answered}, in ${seconds.toFixed(1)} s)`,
    }),
  ];
}
