import { emailAddressSpelling, LANGS, normalizeEmailAddress } from '@consent-mailer/policy';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Language } from './config.js';
import { secretEquals } from './crypto.js';
import { requestConfirmation, type ConfirmationOutcome, type ServiceDeps } from './optin-service.js';

/** The `source` re-permission sign-ups carry in the feed, so the desktop can tell them from form sign-ups. */
export const RECONFIRMATION_SOURCE = 'reconfirmation';

/** At most this many addresses per request; the desktop sends larger groups in batches. */
export const RECONFIRM_BATCH = 200;

/** Room for a full batch of the longest addresses (the service's other routes take 16 KiB). */
const RECONFIRM_BODY_LIMIT = 96 * 1024;

const ReconfirmBody = z.object({
  /** The form whose current consent text the person is asked to agree to (the first form when absent). */
  formId: z.string().max(64).optional(),
  addresses: z.array(z.string().max(320)).min(1).max(RECONFIRM_BATCH),
  lists: z.array(z.string().max(64)).min(1).max(50),
  language: z.enum(LANGS),
});

/** What became of one address; `invalid` is an address that cannot be mailed at all. */
export type ReconfirmStatus = ConfirmationOutcome | 'invalid';

const TEXTS = {
  subject: {
    nl: 'Wil je onze mail blijven ontvangen?',
    en: 'Do you want to keep getting our mail?',
  },
  body: {
    nl: 'Je staat op de verzendlijst van {controller}. We vragen je opnieuw om toestemming. Wil je onze mail blijven ontvangen, open dan deze link en druk op de knop:\n\n{link}\n\nDe link werkt {days} dagen. Wil je geen mail meer? Dan hoef je niets te doen: zonder bevestiging sturen we je geen nieuwsbrief meer.',
    en: 'You are on the mailing list of {controller}. We are asking for your permission again. If you want to keep getting our mail, open this link and press the button:\n\n{link}\n\nThe link works for {days} days. No more mail? Then do nothing: without confirmation we send you no more newsletters.',
  },
} as const;

function reconfirmMail(language: Language, controller: string, days: number) {
  return (link: string) => ({
    subject: TEXTS.subject[language],
    text: TEXTS.body[language]
      .replace('{controller}', controller)
      .replace('{link}', link)
      .replace('{days}', String(days)),
  });
}

/**
 * Re-permission: asks each address to confirm, as a sign-up would, within the same per-address limits
 * and never to a suppressed address. Each request is a `signed_up` event with source "reconfirmation" and
 * no IP or browser (nobody filled a form); the person's confirmation then records theirs.
 *
 * @example
 * await reconfirm(deps, { addresses: ['jan@example.nl'], lists: ['news'], language: 'nl' });
 * // { results: [{ email: 'jan@example.nl', status: 'sent' }], counts: { sent: 1, … } }
 */
export async function reconfirm(
  deps: ServiceDeps,
  request: z.infer<typeof ReconfirmBody>,
): Promise<
  | { error: 'unknown_form' | 'unknown_list'; detail: string }
  | { results: { email: string; status: ReconfirmStatus }[]; counts: Record<ReconfirmStatus, number> }
> {
  const form = request.formId ? deps.config.forms.find((f) => f.id === request.formId) : deps.config.forms[0];
  if (!form) return { error: 'unknown_form', detail: request.formId ?? '' };
  const known = new Set(form.lists.map((list) => list.id));
  const unknown = request.lists.filter((list) => !known.has(list));
  if (unknown.length > 0) return { error: 'unknown_list', detail: unknown.join(', ') };
  const consent = form.consentTexts.at(-1);
  if (!consent) return { error: 'unknown_form', detail: form.id };
  const lists = [...new Set(request.lists)];
  const mail = reconfirmMail(request.language, deps.config.controller.legalName, deps.config.tokenTtlDays);
  const counts: Record<ReconfirmStatus, number> = {
    sent: 0,
    suppressed: 0,
    limited: 0,
    mail_failed: 0,
    invalid: 0,
  };
  const results: { email: string; status: ReconfirmStatus }[] = [];
  const seen = new Set<string>();
  for (const address of request.addresses) {
    let status: ReconfirmStatus;
    let email = address;
    try {
      email = emailAddressSpelling(address);
      const identity = normalizeEmailAddress(address);
      if (email.length > 254) throw new Error('too long');
      // The same person twice in one request gets one mail; the second is reported as limited.
      if (seen.has(identity)) status = 'limited';
      else {
        seen.add(identity);
        status = await requestConfirmation(
          deps,
          form,
          consent,
          {
            email,
            identity,
            lists,
            language: request.language,
            formVersion: form.version,
            ip: null,
            userAgent: null,
            source: RECONFIRMATION_SOURCE,
          },
          mail,
        );
      }
    } catch {
      status = 'invalid';
    }
    counts[status] += 1;
    results.push({ email, status });
  }
  return { results, counts };
}

/** `POST /api/reconfirm`, behind the feed token: the desktop's re-permission requests. */
export function registerReconfirmRoute(app: FastifyInstance, deps: ServiceDeps): void {
  app.post('/api/reconfirm', { bodyLimit: RECONFIRM_BODY_LIMIT }, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !secretEquals(given, deps.config.feedToken))
      return reply.code(401).send({ error: 'unauthorized' });
    const parsed = ReconfirmBody.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({
        error: 'invalid',
        detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
    const outcome = await reconfirm(deps, parsed.data);
    if ('error' in outcome) return reply.code(400).send(outcome);
    return reply.header('cache-control', 'no-store').send(outcome);
  });
}
