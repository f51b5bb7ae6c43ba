import { createPublicKey } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { dmarc, spf, type DMARCResult, type DNSResolver } from 'mailauth';
import { validateDkimPrivateKey } from './dkim-key.js';
import type { DkimSigningSettings } from './dkim-signing.js';

export type { DNSResolver } from 'mailauth';

/** A DNS record the owner should publish (or change) to pass a check. */
export interface RecordToPublish {
  name: string;
  type: 'TXT';
  value: string;
}

/** One check as the settings screen shows it. */
export interface AuthenticationVerdict {
  check: 'SPF' | 'DKIM' | 'DMARC';
  ok: boolean;
  /** mailauth's result word: pass, fail, softfail, neutral, none, temperror, permerror; or mismatch / missing / not-configured for DKIM. */
  result: string;
  /** The record found in DNS, if any. */
  found?: string | undefined;
  /** What to publish when the check does not pass. */
  publish?: RecordToPublish | undefined;
  en: string;
  nl: string;
}

/** The result of reading SPF, DKIM and DMARC for a From domain and SMTP server from DNS. */
export interface AuthenticationReport {
  source: 'DNS';
  checkedAt: string;
  fromDomain: string;
  smtpHost: string;
  /** The addresses of the SMTP server SPF was evaluated for. */
  serverAddresses: string[];
  spf: AuthenticationVerdict & { perAddress: { ip: string; result: string }[] };
  dkim: AuthenticationVerdict & { configured: boolean; name?: string | undefined };
  dmarc: AuthenticationVerdict & {
    policy?: string | undefined;
    alignment: { spf: boolean; dkim: boolean };
  };
  /** SPF or DKIM passes for a domain aligned with From (what DMARC needs). */
  aligned: boolean;
  /** True when a DNS server could not be asked (offline): the report says nothing reliable then. */
  dnsUnavailable: boolean;
  /**
   * False when DNS does not know the From domain at all (no such name): seen when the resolver cannot
   * reach the internet and answers "not found" for everything. Counts as unavailable.
   */
  domainFound: boolean;
}

export interface AuthenticationCheckInput {
  fromAddress: string;
  /** The SMTP server the profile sends through: its addresses are the ones SPF must allow. */
  smtpHost: string;
  dkim?: DkimSigningSettings | undefined;
  /** Where DNS questions go; the system resolver when absent. Tests point it at their own server. */
  resolver?: DNSResolver | undefined;
  now: Date;
}

const TEMP_ERRORS = new Set(['ETIMEOUT', 'ECONNREFUSED', 'ESERVFAIL', 'EREFUSED', 'ECONNRESET', 'EAI_AGAIN']);

/**
 * A mailauth resolver that asks the given DNS servers ("127.0.0.5:5353") instead of the system's.
 *
 * @example
 * const resolver = createDnsResolver(['127.0.0.53:5300']);
 */
export function createDnsResolver(servers: readonly string[], timeoutMs = 3000): DNSResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  resolver.setServers([...servers]);
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}

/**
 * Reads the sender's authentication from DNS with mailauth, as a receiving server would: SPF evaluated
 * for every address of the SMTP server with the From address as envelope sender, the DKIM public key at
 * `<selector>._domainkey.<domain>` compared with the configured private key, and the DMARC policy with
 * SPF/DKIM alignment. Every failing check carries the exact record to publish.
 *
 * @example
 * const report = await checkDomainAuthentication({ fromAddress: 'nieuws@bakkerij.nl', smtpHost: 'smtp.hoster.nl',
 *   dkim: settings.dkim, now: new Date() });
 * report.spf.ok; // true when SPF passes for every address of smtp.hoster.nl
 */
export async function checkDomainAuthentication(
  input: AuthenticationCheckInput,
): Promise<AuthenticationReport> {
  const resolver: DNSResolver =
    input.resolver ?? ((name, rrtype) => dns.resolve(name, rrtype) as Promise<string[][] | string[]>);
  const fromDomain = (input.fromAddress.split('@')[1] ?? '').toLowerCase();
  let dnsUnavailable = false;
  const note = (error: unknown): void => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && TEMP_ERRORS.has(code)) dnsUnavailable = true;
  };

  // Does DNS know the domain at all? A resolver cut off from the internet answers "not found" for every
  // name, which would read as "no SPF, no DKIM, no DMARC"; a real mail domain always exists.
  const domainFound = await nameExists(fromDomain, resolver, note);
  // Nothing more to learn (and every further question would wait for the same timeout when offline).
  if (!domainFound) return unavailableReport(input, fromDomain);
  const serverAddresses = await addressesOf(input.smtpHost, resolver, note);
  const spfVerdict = await checkSpf(input, fromDomain, serverAddresses, resolver);
  if (spfVerdict.perAddress.some((a) => a.result === 'temperror')) dnsUnavailable = true;
  const dkimVerdict = await checkDkimKey(input.dkim, resolver, note);

  const dkimAlignedDomain =
    dkimVerdict.ok && input.dkim ? input.dkim.domainName.toLowerCase().replace(/\.$/, '') : undefined;
  let dmarcResult: Awaited<ReturnType<typeof dmarc>> = false;
  try {
    dmarcResult = await dmarc({
      headerFrom: input.fromAddress,
      spfDomains: spfVerdict.ok ? [fromDomain] : [],
      dkimDomains: dkimAlignedDomain ? [{ domain: dkimAlignedDomain }] : [],
      resolver,
    });
  } catch (error) {
    note(error);
  }
  const dmarcRecord = dmarcResult ? dmarcResult.rr : undefined;
  // mailauth leaves `alignment` out when the domain has no DMARC record (its types say it is always there).
  const found = dmarcResult
    ? (dmarcResult.alignment as Partial<DMARCResult['alignment']> | undefined)
    : undefined;
  const alignment = { spf: Boolean(found?.spf?.result), dkim: Boolean(found?.dkim?.result) };
  const dmarcStatus = dmarcResult ? dmarcResult.status.result : 'none';
  if (dmarcStatus === 'temperror') dnsUnavailable = true;
  // Without a record mailauth reports no alignment; SPF here is checked with the From address as envelope
  // sender (aligned by construction), DKIM aligns when d= is the From domain or a parent/child of it.
  const related = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
  const aligned =
    alignment.spf ||
    alignment.dkim ||
    (!dmarcRecord &&
      (spfVerdict.ok || (dkimAlignedDomain !== undefined && related(dkimAlignedDomain, fromDomain))));
  const dmarcVerdict: AuthenticationReport['dmarc'] = dmarcRecord
    ? {
        check: 'DMARC',
        ok: dmarcStatus === 'pass',
        result: dmarcStatus,
        found: dmarcRecord,
        policy: dmarcResult ? dmarcResult.policy : undefined,
        alignment,
        ...(dmarcStatus === 'pass'
          ? {
              en: `DMARC record found (policy ${dmarcResult ? dmarcResult.policy : '?'}); SPF or DKIM aligns with ${fromDomain}.`,
              nl: `DMARC-record gevonden (beleid ${dmarcResult ? dmarcResult.policy : '?'}); SPF of DKIM komt overeen met ${fromDomain}.`,
            }
          : {
              en: `A DMARC record exists, but neither SPF nor DKIM passes for a domain aligned with ${fromDomain}: receivers apply policy "${dmarcResult ? dmarcResult.policy : '?'}". Fix SPF or DKIM above.`,
              nl: `Er is een DMARC-record, maar SPF noch DKIM slaagt voor een domein dat overeenkomt met ${fromDomain}: ontvangers passen beleid "${dmarcResult ? dmarcResult.policy : '?'}" toe. Herstel SPF of DKIM hierboven.`,
            }),
      }
    : {
        check: 'DMARC',
        ok: false,
        result: dmarcStatus === 'temperror' ? 'temperror' : 'none',
        alignment,
        publish: {
          name: `_dmarc.${fromDomain}`,
          type: 'TXT',
          value: `v=DMARC1; p=none; rua=mailto:${input.fromAddress}`,
        },
        en: `No DMARC record for ${fromDomain}. Gmail, Yahoo and Microsoft require one from 5,000 messages a day. Publish a TXT record at _dmarc.${fromDomain}.`,
        nl: `Geen DMARC-record voor ${fromDomain}. Gmail, Yahoo en Microsoft eisen er een vanaf 5.000 berichten per dag. Publiceer een TXT-record op _dmarc.${fromDomain}.`,
      };

  return {
    source: 'DNS',
    checkedAt: input.now.toISOString(),
    fromDomain,
    smtpHost: input.smtpHost,
    serverAddresses,
    spf: spfVerdict,
    dkim: dkimVerdict,
    dmarc: dmarcVerdict,
    aligned,
    dnsUnavailable,
    domainFound,
  };
}

function unavailableReport(input: AuthenticationCheckInput, fromDomain: string): AuthenticationReport {
  const verdict = (check: AuthenticationVerdict['check']) => ({
    check,
    ok: false,
    result: 'temperror',
    en: `DNS could not be read for ${fromDomain} (offline, or the domain does not exist), so ${check} was not checked.`,
    nl: `De DNS kon niet worden gelezen voor ${fromDomain} (offline, of het domein bestaat niet), dus ${check} is niet gecontroleerd.`,
  });
  return {
    source: 'DNS',
    checkedAt: input.now.toISOString(),
    fromDomain,
    smtpHost: input.smtpHost,
    serverAddresses: [],
    spf: { ...verdict('SPF'), perAddress: [] },
    dkim: { ...verdict('DKIM'), configured: input.dkim !== undefined },
    dmarc: { ...verdict('DMARC'), alignment: { spf: false, dkim: false } },
    aligned: false,
    dnsUnavailable: true,
    domainFound: false,
  };
}

async function nameExists(name: string, resolver: DNSResolver, note: (e: unknown) => void): Promise<boolean> {
  try {
    await resolver(name, 'SOA');
    return true;
  } catch (error) {
    note(error);
    // ENODATA: the name exists, only without a SOA of its own (a subdomain). ENOTFOUND: no such name.
    return (error as { code?: unknown }).code === 'ENODATA';
  }
}

async function addressesOf(
  host: string,
  resolver: DNSResolver,
  note: (e: unknown) => void,
): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  const found: string[] = [];
  for (const type of ['A', 'AAAA']) {
    try {
      for (const value of await resolver(bare, type)) if (typeof value === 'string') found.push(value);
    } catch (error) {
      note(error);
    }
  }
  return found;
}

async function checkSpf(
  input: AuthenticationCheckInput,
  fromDomain: string,
  addresses: readonly string[],
  resolver: DNSResolver,
): Promise<AuthenticationReport['spf']> {
  const perAddress: { ip: string; result: string }[] = [];
  let record: string | undefined;
  for (const ip of addresses) {
    const result = await spf({
      ip,
      sender: input.fromAddress,
      helo: input.smtpHost,
      mta: 'consent-mailer',
      resolver,
    });
    perAddress.push({ ip, result: result.status.result });
    record ??= result.rr;
  }
  const ok = perAddress.length > 0 && perAddress.every((a) => a.result === 'pass');
  const mechanisms = addresses.map((ip) => (isIP(ip) === 6 ? `ip6:${ip}` : `ip4:${ip}`));
  const failing = perAddress.filter((a) => a.result !== 'pass').map((a) => a.ip);
  if (ok) {
    return {
      check: 'SPF',
      ok,
      result: 'pass',
      found: record,
      perAddress,
      en: `SPF of ${fromDomain} allows ${input.smtpHost} (${addresses.join(', ')}).`,
      nl: `SPF van ${fromDomain} staat ${input.smtpHost} toe (${addresses.join(', ')}).`,
    };
  }
  if (addresses.length === 0) {
    return {
      check: 'SPF',
      ok: false,
      result: 'temperror',
      found: record,
      perAddress,
      en: `The address of ${input.smtpHost} could not be found in DNS, so SPF could not be checked. Check the SMTP host name.`,
      nl: `Het adres van ${input.smtpHost} is niet te vinden in de DNS, dus SPF kon niet worden gecontroleerd. Controleer de SMTP-hostnaam.`,
    };
  }
  // Keep what the domain already allows and add the server's addresses before the final "all".
  const value = record
    ? record.replace(
        /\s+([-~?+]?all)\s*$/i,
        (_m, all: string) =>
          ` ${failing.map((ip) => (isIP(ip) === 6 ? `ip6:${ip}` : `ip4:${ip}`)).join(' ')} ${all}`,
      )
    : `v=spf1 ${mechanisms.join(' ')} -all`;
  const result = perAddress.find((a) => a.result !== 'pass')?.result ?? 'none';
  return {
    check: 'SPF',
    ok: false,
    result,
    found: record,
    perAddress,
    publish: {
      name: fromDomain,
      type: 'TXT',
      value: value === record ? `${record} ${mechanisms.join(' ')}` : value,
    },
    en: record
      ? `SPF of ${fromDomain} does not allow ${input.smtpHost} (${failing.join(', ')}: ${result}). Change the SPF record of ${fromDomain}.`
      : `${fromDomain} has no SPF record, so receivers cannot tell ${input.smtpHost} may send for it. Publish a TXT record at ${fromDomain}.`,
    nl: record
      ? `SPF van ${fromDomain} staat ${input.smtpHost} niet toe (${failing.join(', ')}: ${result}). Pas het SPF-record van ${fromDomain} aan.`
      : `${fromDomain} heeft geen SPF-record, dus ontvangers kunnen niet zien dat ${input.smtpHost} namens dit domein mag versturen. Publiceer een TXT-record op ${fromDomain}.`,
  };
}

async function checkDkimKey(
  dkim: DkimSigningSettings | undefined,
  resolver: DNSResolver,
  note: (e: unknown) => void,
): Promise<AuthenticationReport['dkim']> {
  if (!dkim) {
    return {
      check: 'DKIM',
      ok: false,
      result: 'not-configured',
      configured: false,
      en: 'DKIM is not set up in this SMTP profile: messages go out unsigned. Add a domain, selector and private key.',
      nl: 'DKIM is niet ingesteld in dit SMTP-profiel: berichten gaan onondertekend weg. Voeg een domein, selector en privésleutel toe.',
    };
  }
  const info = validateDkimPrivateKey(dkim.privateKey);
  const name = `${dkim.keySelector}._domainkey.${dkim.domainName}`.toLowerCase();
  const publish: RecordToPublish = { name, type: 'TXT', value: info.dnsRecord };
  let found: string | undefined;
  try {
    const answers = await resolver(name, 'TXT');
    found = answers
      .map((a) => (Array.isArray(a) ? a.join('') : a))
      .find((txt) => /(^|;)\s*p=/.test(txt) || /v=DKIM1/i.test(txt));
  } catch (error) {
    note(error);
  }
  if (found === undefined) {
    return {
      check: 'DKIM',
      ok: false,
      result: 'missing',
      configured: true,
      name,
      publish,
      en: `No DKIM key is published at ${name}, so receivers cannot verify the signature. Publish this TXT record.`,
      nl: `Op ${name} staat geen DKIM-sleutel, dus ontvangers kunnen de handtekening niet controleren. Publiceer dit TXT-record.`,
    };
  }
  const published = /(?:^|;)\s*p=([^;]*)/.exec(found)?.[1]?.replace(/\s/g, '') ?? '';
  if (samePublicKey(published, info.publicKeyBase64, info.algorithm)) {
    return {
      check: 'DKIM',
      ok: true,
      result: 'pass',
      configured: true,
      name,
      found,
      en: `The DKIM key at ${name} matches the private key of this profile (${info.algorithm}, ${info.bits} bits).`,
      nl: `De DKIM-sleutel op ${name} hoort bij de privésleutel van dit profiel (${info.algorithm}, ${info.bits} bits).`,
    };
  }
  return {
    check: 'DKIM',
    ok: false,
    result: published === '' ? 'revoked' : 'mismatch',
    configured: true,
    name,
    found,
    publish,
    en: `The DKIM key published at ${name} does not belong to the private key of this profile, so every signature fails. Replace the TXT record with this one (or paste the matching private key).`,
    nl: `De DKIM-sleutel op ${name} hoort niet bij de privésleutel van dit profiel, dus elke handtekening faalt. Vervang het TXT-record door dit (of plak de bijbehorende privésleutel).`,
  };
}

function samePublicKey(published: string, expected: string, algorithm: string): boolean {
  if (published === expected) return true;
  if (algorithm !== 'rsa-sha256' || published === '') return false;
  // Some tools publish the PKCS#1 form of an RSA key: compare the keys, not the encodings.
  try {
    const der = Buffer.from(published, 'base64');
    const key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    return key.export({ type: 'spki', format: 'der' }).toString('base64') === expected;
  } catch {
    return false;
  }
}
