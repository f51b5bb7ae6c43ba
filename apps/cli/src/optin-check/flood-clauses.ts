import { sleep } from './http.js';
import { ChallengeRefused, solveAltcha, submitSignup, type SignupForm } from './signup.js';
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
  // service's limits and not this computer's proof of work. A service that limits challenges per client
  // address answers 429 before the 50th: those sign-ups cannot be made at all, which is the flood stopped
  // one step earlier, so they count as refused and the mails are still counted below.
  const proofs: (string | undefined)[] = [];
  let challengesRefused = 0;
  for (let n = 0; n < FLOOD_SIZE; n++) {
    if (!form.altcha) {
      proofs.push(undefined);
      continue;
    }
    try {
      proofs.push(await solveAltcha(form.altcha));
    } catch (error) {
      if (!(error instanceof ChallengeRefused && error.status === 429)) throw error;
      challengesRefused = FLOOD_SIZE - n;
      break;
    }
  }
  if (proofs.length === 0)
    return [
      result('flood.one-mail', TITLE, 'fail', {
        en: 'the service gave no Altcha challenge at all (429), so the flood could not be tried: run the check again in a minute',
        nl: 'de dienst gaf helemaal geen Altcha-challenge (429), dus de vloed kon niet geprobeerd worden: draai de controle over een minuut opnieuw',
      }),
    ];
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
  const withoutChallenge = challengesRefused
    ? {
        en: `; ${challengesRefused} got no challenge (429: challenges are limited per address)`,
        nl: `; ${challengesRefused} kregen geen challenge (429: challenges zijn beperkt per adres)`,
      }
    : { en: '', nl: '' };
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
      en: `${mails} mail${mails === 1 ? '' : 's'} arrived (answers: ${answered}, in ${seconds.toFixed(1)} s${withoutChallenge.en})`,
      nl: `${mails} mail${mails === 1 ? '' : 's'} aangekomen (antwoorden: ${answered}, in ${seconds.toFixed(1)} s${withoutChallenge.nl})`,
    }),
  ];
}
