import { isLoopbackHost, UserError, type Lang } from '@consent-mailer/policy';

/** How long one request to the opt-in service may take. */
const REQUEST_TIMEOUT_MS = 15_000;

/** Events asked for per page (the service answers at most 1000). */
export const OPTIN_PAGE_SIZE = 500;

/**
 * The service's base URL as stored: https, or http only to this computer; no query, fragment or
 * trailing slash.
 *
 * @throws {UserError} OPTIN_URL_INVALID, OPTIN_URL_NOT_HTTPS
 * @example
 * optinServiceUrl('https://optin.shop.nl/'); // 'https://optin.shop.nl'
 */
export function optinServiceUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UserError('OPTIN_URL_INVALID', {
      en: `"${input}" is not a web address. Give the opt-in service's address, e.g. https://optin.yourshop.nl.`,
      nl: `"${input}" is geen webadres. Geef het adres van de opt-in-service, bijvoorbeeld https://optin.uwwinkel.nl.`,
    });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UserError('OPTIN_URL_NOT_HTTPS', {
      en: `The opt-in service must be reached over https:// (http:// only on this computer), not ${url.protocol}//. Put it behind TLS (see the service's README) and pair with its https address.`,
      nl: `De opt-in-service moet via https:// bereikbaar zijn (http:// alleen op deze computer), niet via ${url.protocol}//. Zet hem achter TLS (zie de README van de service) en koppel met het https-adres.`,
    });
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

function unreachable(url: string, error: unknown): UserError {
  const detail = error instanceof Error ? error.message : String(error);
  return new UserError(
    'OPTIN_UNREACHABLE',
    {
      en: `The opt-in service at ${url} could not be reached (${detail}). Check the address and that the service runs, then try again.`,
      nl: `De opt-in-service op ${url} is niet bereikbaar (${detail}). Controleer het adres en of de service draait, en probeer het opnieuw.`,
    },
    { cause: error },
  );
}

async function getJson(url: string, base: string, headers: Record<string, string> = {}): Promise<Response> {
  try {
    return await fetch(url, {
      headers: { accept: 'application/json', ...headers },
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(base, error);
  }
}

/**
 * The service's public signing key (`GET /key`), to pin at pairing.
 *
 * @example
 * const pem = await fetchOptinKey('https://optin.shop.nl');
 */
export async function fetchOptinKey(base: string): Promise<string> {
  const response = await getJson(`${base}/key`, base);
  const body = (await response.json().catch(() => undefined)) as { publicKey?: unknown } | undefined;
  if (!response.ok || typeof body?.publicKey !== 'string') {
    throw new UserError('OPTIN_NOT_A_SERVICE', {
      en: `${base} did not answer as a Consent Mailer opt-in service (GET /key gave ${response.status}). Check the address.`,
      nl: `${base} antwoordde niet als Consent Mailer opt-in-service (GET /key gaf ${response.status}). Controleer het adres.`,
    });
  }
  return body.publicKey;
}

/**
 * One page of the signed feed after `after` (`GET /events`, Bearer feed token).
 *
 * @throws {UserError} OPTIN_TOKEN_REFUSED when the service does not accept the token.
 * @example
 * const events = await fetchOptinEvents(base, token, 0);
 */
export async function fetchOptinEvents(
  base: string,
  token: string,
  after: number,
  limit = OPTIN_PAGE_SIZE,
): Promise<unknown[]> {
  const response = await getJson(`${base}/events?after=${after}&limit=${limit}`, base, {
    authorization: `Bearer ${token}`,
  });
  if (response.status === 401) {
    throw new UserError('OPTIN_TOKEN_REFUSED', {
      en: `The opt-in service at ${base} refused the feed token. Take the feed token from the service's configuration (OPTIN_FEED_TOKEN) and pair again.`,
      nl: `De opt-in-service op ${base} weigerde het feedtoken. Neem het feedtoken uit de configuratie van de service (OPTIN_FEED_TOKEN) en koppel opnieuw.`,
    });
  }
  const body = (await response.json().catch(() => undefined)) as { events?: unknown } | undefined;
  if (!response.ok || !Array.isArray(body?.events)) {
    throw new UserError('OPTIN_FEED_UNREADABLE', {
      en: `The opt-in service at ${base} gave no readable feed (status ${response.status}). Try again later; if it persists, check the service's log.`,
      nl: `De opt-in-service op ${base} gaf geen leesbare feed (status ${response.status}). Probeer het later opnieuw; blijft het, bekijk dan het logboek van de service.`,
    });
  }
  return body.events as unknown[];
}

/** What the service answered for one address of `POST /api/reconfirm`. */
export interface ReconfirmAnswer {
  email: string;
  status: 'sent' | 'suppressed' | 'limited' | 'mail_failed' | 'invalid';
}

/**
 * Posts one batch (≤200 addresses) of re-permission requests (`POST /api/reconfirm`, Bearer feed token).
 *
 * @throws {UserError} OPTIN_TOKEN_REFUSED, OPTIN_RECONFIRM_REFUSED, OPTIN_UNREACHABLE
 * @example
 * await postOptinReconfirm(base, token, { addresses: ['jan@example.nl'], lists: ['news'], language: 'nl' });
 */
export async function postOptinReconfirm(
  base: string,
  token: string,
  body: { addresses: string[]; lists: string[]; language: Lang },
): Promise<ReconfirmAnswer[]> {
  let response: Response;
  try {
    response = await fetch(`${base}/api/reconfirm`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 8),
    });
  } catch (error) {
    throw unreachable(base, error);
  }
  if (response.status === 401) {
    throw new UserError('OPTIN_TOKEN_REFUSED', {
      en: `The opt-in service at ${base} refused the feed token. Take the feed token from the service's configuration (OPTIN_FEED_TOKEN) and pair again.`,
      nl: `De opt-in-service op ${base} weigerde het feedtoken. Neem het feedtoken uit de configuratie van de service (OPTIN_FEED_TOKEN) en koppel opnieuw.`,
    });
  }
  const answer = (await response.json().catch(() => undefined)) as
    { results?: unknown; error?: unknown; detail?: unknown } | undefined;
  if (!response.ok || !Array.isArray(answer?.results)) {
    const detail = typeof answer?.detail === 'string' ? answer.detail : `status ${response.status}`;
    if (answer?.error === 'unknown_list') {
      throw new UserError('OPTIN_RECONFIRM_UNKNOWN_LIST', {
        en: `The opt-in service at ${base} does not know the list ${detail}. Add the list (same id or name) to the service's form, restart it, and ask again.`,
        nl: `De opt-in-service op ${base} kent de lijst ${detail} niet. Voeg de lijst (zelfde id of naam) toe aan het formulier van de service, herstart die en vraag het opnieuw.`,
      });
    }
    throw new UserError('OPTIN_RECONFIRM_REFUSED', {
      en: `The opt-in service at ${base} refused the confirmation requests (${detail}). Nothing was recorded for this batch; check the service's log, then ask again.`,
      nl: `De opt-in-service op ${base} weigerde de bevestigingsverzoeken (${detail}). Voor deze groep is niets vastgelegd; bekijk het logboek van de service en vraag het opnieuw.`,
    });
  }
  return answer.results as ReconfirmAnswer[];
}
