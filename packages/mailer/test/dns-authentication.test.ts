import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDomainAuthentication,
  composeMessage,
  deliverabilitySelfTest,
  validateDkimPrivateKey,
} from '../src/index.js';
import { startDnsTestServer, txt, type DnsTestServer } from '../src/testing/index.js';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const record = validateDkimPrivateKey(key).dnsRecord;
const otherRecord = validateDkimPrivateKey(otherKey).dnsRecord;
const now = new Date('2026-12-01T10:00:00Z');

let dnsServer: DnsTestServer;
beforeAll(async () => {
  dnsServer = await startDnsTestServer({
    // Everything right: SPF allows the SMTP server's address, the key matches, DMARC reject.
    'good.test': [
      '@ TXT "v=spf1 ip4:127.0.0.1 -all"',
      `s1._domainkey TXT ${txt(record)}`,
      '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"',
      'smtp A 127.0.0.1',
    ],
    // SPF names another server, the published key belongs to another private key, DMARC quarantine.
    'wrong.test': [
      '@ TXT "v=spf1 ip4:192.0.2.10 -all"',
      `s1._domainkey TXT ${txt(otherRecord)}`,
      '_dmarc TXT "v=DMARC1; p=quarantine"',
    ],
    // Nothing published at all.
    'bare.test': ['www A 192.0.2.20'],
    // SPF softfail for the server, DKIM fine, no DMARC.
    'soft.test': ['@ TXT "v=spf1 ip4:192.0.2.30 ~all"', `s1._domainkey TXT ${txt(record)}`],
  });
});
afterAll(async () => {
  await dnsServer.close();
});

const dkim = (domainName: string) => ({ domainName, keySelector: 's1', privateKey: key });

describe('SPF, DKIM and DMARC read from a real DNS server (Knot)', () => {
  it('passes all three when DNS is right, resolving the SMTP host name to its address', async () => {
    const report = await checkDomainAuthentication({
      fromAddress: 'nieuws@good.test',
      smtpHost: 'smtp.good.test',
      dkim: dkim('good.test'),
      resolver: dnsServer.resolver,
      now,
    });
    expect(report.serverAddresses).toEqual(['127.0.0.1']);
    expect(report.spf).toMatchObject({ ok: true, result: 'pass', found: 'v=spf1 ip4:127.0.0.1 -all' });
    expect(report.dkim).toMatchObject({ ok: true, result: 'pass', name: 's1._domainkey.good.test' });
    expect(report.dmarc).toMatchObject({
      ok: true,
      result: 'pass',
      policy: 'reject',
      alignment: { spf: true, dkim: true },
    });
    expect(report.aligned).toBe(true);
    expect(report.dnsUnavailable).toBe(false);
    expect(report.checkedAt).toBe(now.toISOString());
    for (const verdict of [report.spf, report.dkim, report.dmarc]) expect(verdict.publish).toBeUndefined();
  });

  it('fails SPF for a server the record does not name, finds the wrong DKIM key, and DMARC fails', async () => {
    const report = await checkDomainAuthentication({
      fromAddress: 'nieuws@wrong.test',
      smtpHost: '127.0.0.1',
      dkim: dkim('wrong.test'),
      resolver: dnsServer.resolver,
      now,
    });
    expect(report.spf).toMatchObject({
      ok: false,
      result: 'fail',
      perAddress: [{ ip: '127.0.0.1', result: 'fail' }],
    });
    // The record to publish keeps what was there and adds the server.
    expect(report.spf.publish).toEqual({
      name: 'wrong.test',
      type: 'TXT',
      value: 'v=spf1 ip4:192.0.2.10 ip4:127.0.0.1 -all',
    });
    expect(report.dkim).toMatchObject({ ok: false, result: 'mismatch', found: otherRecord });
    expect(report.dkim.publish).toEqual({ name: 's1._domainkey.wrong.test', type: 'TXT', value: record });
    expect(report.dmarc).toMatchObject({ ok: false, result: 'fail', policy: 'quarantine' });
    expect(report.aligned).toBe(false);
  });

  it('says exactly what to publish when nothing is there', async () => {
    const report = await checkDomainAuthentication({
      fromAddress: 'nieuws@bare.test',
      smtpHost: '127.0.0.1',
      dkim: dkim('bare.test'),
      resolver: dnsServer.resolver,
      now,
    });
    expect(report.spf).toMatchObject({ ok: false, result: 'none' });
    expect(report.spf.publish).toEqual({
      name: 'bare.test',
      type: 'TXT',
      value: 'v=spf1 ip4:127.0.0.1 -all',
    });
    expect(report.dkim).toMatchObject({ ok: false, result: 'missing' });
    expect(report.dkim.publish?.value).toBe(record);
    expect(report.dmarc).toMatchObject({ ok: false, result: 'none' });
    expect(report.dmarc.publish).toEqual({
      name: '_dmarc.bare.test',
      type: 'TXT',
      value: 'v=DMARC1; p=none; rua=mailto:nieuws@bare.test',
    });
    expect(report.dmarc.nl).toContain('_dmarc.bare.test');
  });

  it('treats a softfail as not passing, and DKIM alone still aligns without DMARC', async () => {
    const report = await checkDomainAuthentication({
      fromAddress: 'nieuws@soft.test',
      smtpHost: '127.0.0.1',
      dkim: dkim('soft.test'),
      resolver: dnsServer.resolver,
      now,
    });
    expect(report.spf).toMatchObject({ ok: false, result: 'softfail' });
    expect(report.spf.publish?.value).toBe('v=spf1 ip4:192.0.2.30 ip4:127.0.0.1 ~all');
    expect(report.dkim.ok).toBe(true);
    expect(report.dmarc.ok).toBe(false);
    expect(report.aligned).toBe(true);
  });

  it('reports no DKIM when the profile has none, and a DNS server that does not answer as unavailable', async () => {
    const report = await checkDomainAuthentication({
      fromAddress: 'nieuws@good.test',
      smtpHost: '127.0.0.1',
      resolver: dnsServer.resolver,
      now,
    });
    expect(report.dkim).toMatchObject({ ok: false, result: 'not-configured', configured: false });
    expect(report.spf.ok).toBe(true);

    const { createDnsResolver } = await import('../src/index.js');
    const offline = await checkDomainAuthentication({
      fromAddress: 'nieuws@good.test',
      smtpHost: '127.0.0.1',
      dkim: dkim('good.test'),
      // Nothing listens there: every question times out or is refused.
      resolver: createDnsResolver(['127.0.0.1:9'], 300),
      now,
    });
    expect(offline.dnsUnavailable).toBe(true);
    expect(offline.spf.ok).toBe(false);
  });
});

describe('the deliverability self-test (mailauth authenticate, as a receiver)', () => {
  const sample = (fromAddress: string) =>
    composeMessage({
      sender: {
        legalName: 'Bakkerij B.V.',
        postalAddress: 'Dorpsstraat 1',
        contactEmail: 'info@bakkerij.nl',
        kvkNumber: '1',
        unsubscribeUrl: 'https://bakkerij.nl/afmelden',
      },
      settings: { fromAddress },
      mailing: { subject: 'Test', html: '<p>Test</p>', lang: 'nl', content: 'MARKETING' },
      recipient: {
        email: 'owner@example.nl',
        merge: {},
        method: 'WEB_DOI',
        firstMailing: true,
        unsubscribeToken: 'tok_ABCdef123456',
      },
    });

  it('passes SPF, DKIM and DMARC for the good domain and shows the raw signed message', async () => {
    const result = await deliverabilitySelfTest(sample('nieuws@good.test'), dkim('good.test'), {
      ip: '127.0.0.1',
      helo: 'smtp.good.test',
      sender: 'nieuws@good.test',
      resolver: dnsServer.resolver,
    });
    expect(result.raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=good\.test;/);
    expect(result.spf).toBe('pass');
    expect(result.dkim).toEqual([
      expect.objectContaining({ result: 'pass', domain: 'good.test', selector: 's1' }),
    ]);
    expect(result.dmarc).toEqual({ result: 'pass', policy: 'reject' });
    expect(result.ok).toBe(true);
    expect(result.authenticationHeaders).toMatch(/dkim=pass header\.[id]=@?good\.test/);
  });

  it('fails as a receiver would when the published key and SPF are wrong', async () => {
    const result = await deliverabilitySelfTest(sample('nieuws@wrong.test'), dkim('wrong.test'), {
      ip: '127.0.0.1',
      helo: 'localhost',
      sender: 'nieuws@wrong.test',
      resolver: dnsServer.resolver,
    });
    expect(result.spf).toBe('fail');
    expect(result.dkim[0]?.result).toBe('fail');
    expect(result.dmarc?.result).toBe('fail');
    expect(result.ok).toBe(false);
  });
});

describe('a domain DNS does not know', () => {
  it('counts as DNS unavailable (a resolver cut off from the internet says "not found" to everything)', async () => {
    const report = await checkDomainAuthentication({
      fromAddress: 'nieuws@nowhere.test',
      smtpHost: '127.0.0.1',
      resolver: dnsServer.resolver,
      now,
    });
    expect(report.domainFound).toBe(false);
    expect(report.dnsUnavailable).toBe(true);
  });
});
