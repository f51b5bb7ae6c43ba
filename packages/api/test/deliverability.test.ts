import { generateKeyPairSync } from 'node:crypto';
import { validateDkimPrivateKey } from '@consent-mailer/mailer';
import { dkimpyVerify, startDnsTestServer, txt, type DnsTestServer } from '@consent-mailer/mailer/testing';
import { listSmtpProfiles, verifyChain } from '@consent-mailer/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

const pem = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
const KEY = pem(2048);
const OTHER_KEY = pem(2048);
const RECORD = validateDkimPrivateKey(KEY).dnsRecord;

/** The three broken keys of issue 18. */
const BROKEN = [
  {
    what: 'a PEM that is no key',
    key: '-----BEGIN PRIVATE KEY-----\nVGhpcyBpcyBub3QgYSBrZXkgYXQgYWxsLCBqdXN0IHNvbWUgdGV4dCB0aGF0\nbG9va3MgbGlrZSBiYXNlNjQ=\n-----END PRIVATE KEY-----\n',
    code: 'SMTP_DKIM_KEY_UNREADABLE',
  },
  { what: 'the key pasted on one line', key: KEY.replace(/\n/g, ' '), code: 'SMTP_DKIM_KEY_ONE_LINE' },
  {
    what: 'the public key given by mistake',
    key: generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString(),
    code: 'SMTP_DKIM_KEY_PUBLIC',
  },
] as const;

let dnsServer: DnsTestServer;
beforeAll(async () => {
  dnsServer = await startDnsTestServer({
    'good.test': [
      '@ TXT "v=spf1 ip4:127.0.0.1 -all"',
      `s1._domainkey TXT ${txt(RECORD)}`,
      '_dmarc TXT "v=DMARC1; p=reject"',
    ],
    'wrong.test': [
      '@ TXT "v=spf1 ip4:192.0.2.10 -all"',
      `s1._domainkey TXT ${txt(validateDkimPrivateKey(OTHER_KEY).dnsRecord)}`,
    ],
  });
});
afterAll(async () => {
  await dnsServer.close();
});

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const MAILING = {
  name: 'December',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  smtpProfile: 'main',
  subject: 'Kerstbrood voor {{firstName|u}}',
  html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
};

function signedProfile(domain: string, key = KEY) {
  return {
    senderEntityId: 'bakkerij',
    fromAddress: `nieuws@${domain}`,
    dkimDomain: domain,
    dkimSelector: 's1',
    dkimPrivateKey: key,
    spfDeclared: false,
    dmarcDeclared: false,
  };
}

const entity = { unsubscribeUrl: 'https://bakkerij.nl/afmelden' };

async function sendAndWait(f: SendingFixture, id: string) {
  const start = await f.caller.mailings.send({ id });
  const job = await f.ctx.jobs.wait(start.jobId);
  return job.result as { stoppedBecause: string; sent: number };
}

describe('a DKIM key is validated when it is entered', () => {
  it.each(BROKEN)(
    'smtp.add refuses $what ($code), stores nothing and says what to paste',
    async ({ key, code }) => {
      fx = await createSendingFixture();
      const error = await fx.caller.smtp
        .add({
          name: 'signed',
          host: '127.0.0.1',
          port: fx.server.port,
          security: 'NONE',
          ...signedProfile('good.test', key),
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ cause: { code } });
      expect(String((error as Error).message)).toContain('BEGIN PRIVATE KEY');
      expect((await listSmtpProfiles(fx.store.db)).map((p) => p.name)).toEqual(['main']);
      expect(await fx.ctx.secrets.get('dkim:signed')).toBeUndefined();
    },
  );

  it('smtp.add checks a key that is already in the secret store (the CLI environment variable)', async () => {
    fx = await createSendingFixture();
    await fx.ctx.secrets.set('dkim:signed', KEY.replace(/\n/g, ' '));
    const { dkimPrivateKey: _key, ...withoutKey } = signedProfile('good.test');
    const error = await fx.caller.smtp
      .add({ name: 'signed', host: '127.0.0.1', port: fx.server.port, security: 'NONE', ...withoutKey })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ cause: { code: 'SMTP_DKIM_KEY_ONE_LINE' } });
  });

  it('accepts a good key, returns the DNS record to publish, and warns about a 1024-bit key', async () => {
    fx = await createSendingFixture();
    const added = await fx.caller.smtp.add({
      name: 'signed',
      host: '127.0.0.1',
      port: fx.server.port,
      security: 'NONE',
      lang: 'nl',
      ...signedProfile('good.test', pem(1024)),
    });
    expect(added.dkimRecord).toMatchObject({ name: 's1._domainkey.good.test', type: 'TXT' });
    expect(added.dkimRecord?.value).toMatch(/^v=DKIM1; k=rsa; p=/);
    expect(added.warnings).toEqual([
      expect.objectContaining({ code: 'SMTP_DKIM_KEY_WEAK', text: expect.stringContaining('2048') }),
    ]);
  });

  it.each(BROKEN)('smtp.setDkim refuses $what and leaves the profile as it was', async ({ key, code }) => {
    fx = await createSendingFixture();
    const error = await fx.caller.smtp
      .setDkim({ profile: 'main', dkimDomain: 'bakkerij.nl', dkimSelector: 's1', dkimPrivateKey: key })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ cause: { code } });
    expect((await fx.caller.smtp.list())[0]?.dkim).toBeNull();
    const set = await fx.caller.smtp.setDkim({
      profile: 'main',
      dkimDomain: 'bakkerij.nl',
      dkimSelector: 's1',
      dkimPrivateKey: KEY,
    });
    expect(set.dkim).toEqual({ domain: 'bakkerij.nl', selector: 's1' });
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });
});

describe('a key that cannot sign stops the send', () => {
  it.each(BROKEN)(
    'with $what in the secret store, send refuses before anything is queued or sent',
    async ({ key, code }) => {
      fx = await createSendingFixture({
        entity,
        profile: signedProfile('good.test'),
        resolver: dnsServer.resolver,
      });
      await fx.seed([{ email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') }]);
      // The key changed after it was entered (another CONSENT_MAILER_SECRET_DKIM_MAIN, a restored keychain).
      await fx.ctx.secrets.set('dkim:main', key);
      const mailing = await fx.caller.mailings.create(MAILING);
      const error = await fx.caller.mailings.send({ id: mailing.id }).catch((e: unknown) => e);
      expect(error).toMatchObject({ cause: { code } });
      expect((await fx.caller.mailings.status({ id: mailing.id })).mailing.deliveries.total).toBe(0);
      expect(fx.server.messages).toHaveLength(0);
      // "Test connection" reports it too.
      await expect(fx.caller.smtp.test({ profile: 'main' })).rejects.toMatchObject({ cause: { code } });
    },
  );

  it('smtp.test signs and verifies one message with a good key', async () => {
    fx = await createSendingFixture({ entity, profile: signedProfile('good.test') });
    const result = await fx.caller.smtp.test({ profile: 'main' });
    expect(result).toMatchObject({
      ok: true,
      dkim: { domain: 'good.test', selector: 's1', algorithm: 'rsa-sha256', bits: 2048 },
    });
    expect(result.dkim?.signedHeaders.map((h) => h.toLowerCase())).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']),
    );
  });
});

describe('authentication read from DNS (Knot) decides M7', () => {
  it('a correct domain passes in DNS; every message is signed, https unsubscribe first, and verifies with dkimpy', async () => {
    fx = await createSendingFixture({
      entity,
      profile: signedProfile('good.test'),
      resolver: dnsServer.resolver,
    });
    await fx.seed(
      [1, 2, 3].map((i) => ({ email: `k${i}@example.nl`, consent: doubleOptInConsent('bakkerij') })),
    );
    const mailing = await fx.caller.mailings.create(MAILING);
    const assessment = await fx.caller.mailings.assess({ id: mailing.id, lang: 'en' });
    expect(assessment.reasons.map((r) => r.code)).not.toContain('M7');
    expect(assessment.authentication).toMatchObject({
      source: 'DNS',
      label: 'checked in DNS',
      spfPass: true,
      dkimPass: true,
      dmarcPresent: true,
      aligned: true,
    });
    expect(assessment.sendEstimate).toMatchObject({ recipients: 3, warmup: { day: 1, perDay: 50 } });
    expect(assessment.sendEstimate.text).toContain('3 recipients');

    expect(await sendAndWait(fx, mailing.id)).toMatchObject({ stoppedBecause: 'FINISHED', sent: 3 });
    expect(fx.server.messages).toHaveLength(3);
    for (const message of fx.server.messages) {
      const raw = message.raw.toString();
      expect(raw).toMatch(/^DKIM-Signature: /);
      expect(raw.replace(/\r\n[ \t]+/g, ' ')).toMatch(
        /\r\nList-Unsubscribe: <https:\/\/bakkerij\.nl\/afmelden\?token=[^>]+>, <mailto:/,
      );
      expect(await dkimpyVerify(message.raw, 's1._domainkey.good.test', RECORD)).toEqual({
        ok: true,
        output: 'pass',
      });
    }
  });

  it('a wrong SPF record and a wrong published key block the mailing, checked in DNS, with the records to publish', async () => {
    fx = await createSendingFixture({
      entity,
      profile: signedProfile('wrong.test'),
      resolver: dnsServer.resolver,
    });
    await fx.seed([{ email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') }]);
    const mailing = await fx.caller.mailings.create(MAILING);
    const assessment = await fx.caller.mailings.assess({ id: mailing.id, lang: 'en' });
    const m7 = assessment.reasons.find((r) => r.code === 'M7');
    expect(m7).toMatchObject({ classification: 'BLOCKED' });
    expect(m7?.text).toContain('Both the SPF and the DKIM check fail');
    expect(m7?.text).toContain('Checked in DNS on');
    const checks = Object.fromEntries(assessment.authentication.checks.map((c) => [c.check, c]));
    expect(checks.SPF).toMatchObject({
      ok: false,
      result: 'fail',
      publish: { name: 'wrong.test', value: 'v=spf1 ip4:192.0.2.10 ip4:127.0.0.1 -all' },
    });
    expect(checks.DKIM).toMatchObject({
      ok: false,
      result: 'mismatch',
      publish: {
        name: 's1._domainkey.wrong.test',
        value: RECORD.replace(
          validateDkimPrivateKey(KEY).publicKeyBase64,
          validateDkimPrivateKey(KEY).publicKeyBase64,
        ),
      },
    });
    expect(checks.DMARC).toMatchObject({ ok: false, publish: { name: '_dmarc.wrong.test' } });
    await expect(fx.caller.mailings.send({ id: mailing.id })).rejects.toMatchObject({
      cause: { code: 'MAILING_BLOCKED' },
    });
    expect(fx.server.messages).toHaveLength(0);

    // Kept with its time: the settings show the last check without asking DNS again.
    const cached = await fx.caller.smtp.authentication({ profile: 'main', lang: 'nl' });
    expect(cached).toMatchObject({ source: 'CACHED', spfPass: false, dkimPass: false });
    expect(cached.checkedAt).toMatch(/^2026-11-28T/);
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });

  it('without DNS the declarations are a fallback labelled "declared, not checked" in M7', async () => {
    // bakkerij.nl cannot be resolved here (no internet): the fixture's declarations stand in.
    fx = await createSendingFixture({ profile: { spfDeclared: false, dmarcDeclared: false } });
    await fx.seed([{ email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') }]);
    const mailing = await fx.caller.mailings.create(MAILING);
    const assessment = await fx.caller.mailings.assess({ id: mailing.id, lang: 'en' });
    expect(assessment.authentication).toMatchObject({ source: 'DECLARED', label: 'declared, not checked' });
    expect(assessment.reasons.find((r) => r.code === 'M7')?.text).toContain('Declared, not checked');
  });

  it('the check on demand returns the verdicts, and the self-test shows the raw signed message as a receiver sees it', async () => {
    fx = await createSendingFixture({
      entity,
      profile: signedProfile('good.test'),
      resolver: dnsServer.resolver,
    });
    const checked = await fx.caller.smtp.checkAuthentication({ profile: 'main', lang: 'en' });
    expect(checked).toMatchObject({ source: 'DNS', spfPass: true, dkimPass: true, dmarcPresent: true });
    expect(checked.checks.every((c) => c.ok && c.publish === null)).toBe(true);

    const selfTest = await fx.caller.smtp.selfTest({ profile: 'main', to: 'eigenaar@example.nl' });
    expect(selfTest.raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;/);
    expect(selfTest.raw).toContain('To: eigenaar@example.nl');
    expect(selfTest).toMatchObject({ spf: 'pass', dmarc: { result: 'pass', policy: 'reject' }, ok: true });
    expect(selfTest.dkim[0]).toMatchObject({ result: 'pass', domain: 'good.test' });
  });
});

describe('per-domain pacing settings', () => {
  it('lists the provider defaults, takes an override and a sending history, with events', async () => {
    fx = await createSendingFixture();
    const before = await fx.caller.smtp.pacing({ profile: 'main' });
    expect(before.defaults.map((d) => d.provider)).toEqual([
      'gmail',
      'microsoft',
      'yahoo',
      'ziggo',
      'kpn',
      'xs4all',
    ]);
    expect(before.sendingHistory).toBe('NEW');
    expect(before.warmup).toEqual({ day: 1, perDay: 50 });
    await fx.caller.smtp.setPacing({ profile: 'main', domain: 'Gmail.com', perMinute: 5 });
    await fx.caller.smtp.setSendingHistory({ profile: 'main', history: 'ESTABLISHED' });
    const after = await fx.caller.smtp.pacing({ profile: 'main' });
    expect(after.overrides).toEqual([{ domain: 'gmail.com', perMinute: 5, perHour: null, perDay: null }]);
    expect(after.warmup).toBeNull();
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });
});
