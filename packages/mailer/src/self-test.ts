import { authenticate, type DNSResolver } from 'mailauth';
import type { DkimSigningSettings } from './dkim-signing.js';
import { signComposedMessage } from './dkim-signing.js';
import type { ComposedMessage } from './message-composer.js';

/** What a receiving server would conclude about a message, and the message itself. */
export interface SelfTestResult {
  /** The whole signed message as it would go to the SMTP server. */
  raw: string;
  /** The Received-SPF and Authentication-Results headers a receiver would add (RFC 7208, RFC 8601). */
  authenticationHeaders: string;
  spf: string;
  dkim: {
    result: string;
    domain?: string | undefined;
    selector?: string | undefined;
    comment?: string | undefined;
  }[];
  dmarc: { result: string; policy?: string | undefined } | undefined;
  /** True when DKIM passes for an aligned domain and DMARC passes: what Gmail and Yahoo ask of bulk senders. */
  ok: boolean;
}

/**
 * The deliverability self-test: signs a sample message exactly as a send would, then runs mailauth's
 * `authenticate` on it as a receiving server would (SPF for the SMTP server's address, DKIM against the key
 * in DNS, DMARC alignment), with the given resolver.
 *
 * @example
 * const result = await deliverabilitySelfTest(sample, settings.dkim, { ip: '203.0.113.5', helo: 'smtp.hoster.nl', sender: 'nieuws@bakkerij.nl' });
 * result.authenticationHeaders; // 'Received-SPF: pass … Authentication-Results: …; dkim=pass header.d=bakkerij.nl …; dmarc=pass …'
 */
export async function deliverabilitySelfTest(
  sample: ComposedMessage,
  dkim: DkimSigningSettings | undefined,
  receiver: { ip: string; helo: string; sender: string; resolver?: DNSResolver | undefined },
): Promise<SelfTestResult> {
  const signed = await signComposedMessage(sample, dkim);
  const result = await authenticate(signed.raw, {
    ip: receiver.ip,
    helo: receiver.helo,
    sender: receiver.sender,
    mta: 'self-test.consent-mailer',
    disableArc: true,
    disableBimi: true,
    ...(receiver.resolver ? { resolver: receiver.resolver } : {}),
  });
  const dkimResults = result.dkim.results.map((r) => ({
    result: r.status.result,
    domain: r.signingDomain,
    selector: r.selector,
    comment: r.status.comment,
  }));
  const dmarc = result.dmarc
    ? { result: result.dmarc.status.result, policy: result.dmarc.policy }
    : undefined;
  return {
    raw: signed.raw.toString('utf8'),
    authenticationHeaders: result.headers.replace(/\r?\n$/, ''),
    spf: result.spf ? result.spf.status.result : 'none',
    dkim: dkimResults,
    dmarc,
    ok: dkimResults.some((r) => r.result === 'pass') && dmarc?.result === 'pass',
  };
}
