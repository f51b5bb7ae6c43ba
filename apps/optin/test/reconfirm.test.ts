import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvent } from '../src/crypto.js';
import type { PublishedEvent } from '../src/feed.js';
import {
  startOptinTestService,
  TEST_FEED_TOKEN as FEED_TOKEN,
  type OptinTestService,
} from '../src/testing/index.js';
import { curl, STORAGES } from './support.js';

const DAY = 86_400_000;

describe.each(STORAGES)('POST /api/reconfirm (re-permission through the service) on %s', (_name, storage) => {
  let stopStorage: () => void = () => undefined;
  let smtp: SmtpTestServer;
  let service: OptinTestService;
  let base: string;

  beforeAll(async () => {
    const s = await storage();
    stopStorage = () => s.stop();
    smtp = await startSmtpTestServer();
    service = await startOptinTestService({
      smtp,
      database: s.db,
      config: {
        forms: [
          {
            id: 'newsletter',
            version: '3',
            lists: [
              { id: 'news', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } },
              { id: 'offers', name: { nl: 'Aanbiedingen', en: 'Offers' } },
            ],
            consentTexts: [
              { version: 'v1', text: { nl: 'Oude tekst.', en: 'Old text.' } },
              {
                version: 'v2',
                text: { nl: 'Ja, stuur mij de nieuwsbrief.', en: 'Yes, send me the newsletter.' },
              },
            ],
          },
        ],
      },
    });
    base = service.base;
  });

  afterAll(async () => {
    await service?.close();
    await smtp?.close();
    stopStorage();
  });

  const ask = (body: unknown, token = FEED_TOKEN) =>
    fetch(`${base}/api/reconfirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  async function feed(): Promise<PublishedEvent[]> {
    const response = await fetch(`${base}/events?after=0`, {
      headers: { authorization: `Bearer ${FEED_TOKEN}` },
    });
    return ((await response.json()) as { events: PublishedEvent[] }).events;
  }

  it('refuses anyone without the feed token and requests it cannot carry out', async () => {
    expect(
      (
        await ask(
          { addresses: ['a@example.nl'], lists: ['news'], language: 'nl' },
          'wrong-token-wrong-token-wrong',
        )
      ).status,
    ).toBe(401);
    const unknownList = await ask({ addresses: ['a@example.nl'], lists: ['sale'], language: 'nl' });
    expect(unknownList.status).toBe(400);
    expect(await unknownList.json()).toEqual({ error: 'unknown_list', detail: 'sale' });
    expect((await ask({ addresses: [], lists: ['news'], language: 'nl' })).status).toBe(400);
    expect(smtp.messages).toHaveLength(0);
    expect(await feed()).toEqual([]);
  });

  it('asks each address once, in its language, records a signed reconfirmation sign-up, and the button confirms it', async () => {
    const response = await ask({
      addresses: ['Piet.Puk@Example.NL', 'not an address', 'piet.puk@example.nl', 'anna@example.nl'],
      lists: ['news'],
      language: 'nl',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: { email: string; status: string }[];
      counts: Record<string, number>;
    };
    expect(body.results.map((r) => r.status)).toEqual(['sent', 'invalid', 'limited', 'sent']);
    expect(body.counts).toEqual({ sent: 2, suppressed: 0, limited: 1, mail_failed: 0, invalid: 1 });

    await smtp.waitFor(2);
    const mails = smtp.receivedBy('piet.puk@example.nl');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.parsed.subject).toBe('Wil je onze mail blijven ontvangen?');
    expect(mails[0]?.parsed.text).toContain('Bakkerij Test B.V.');
    expect(mails[0]?.parsed.text).toContain('30 dagen');

    const key = ((await (await fetch(`${base}/key`)).json()) as { publicKey: string }).publicKey;
    const events = await feed();
    for (const event of events) expect(verifyEvent(key, event, event.signature)).toBe(true);
    const signups = events.filter((e) => e.type === 'signed_up');
    expect(signups.map((e) => e.data.email)).toEqual(['Piet.Puk@example.nl', 'anna@example.nl']);
    expect(signups[0]?.data).toMatchObject({
      source: 'reconfirmation',
      signupIp: null,
      signupUserAgent: null,
      consentTextVersion: 'v2',
      consentText: 'Ja, stuur mij de nieuwsbrief.',
      lists: ['news'],
      language: 'nl',
    });

    // The person opens the link: a page with a button (nothing confirmed yet), then presses it.
    const link =
      /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]+/.exec(mails[0]?.parsed.text ?? '')?.[0] ?? '';
    const page = await fetch(link, { headers: { 'user-agent': 'Mozilla/5.0 Firefox/133.0' } });
    const nonce = /name="nonce" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    expect((await feed()).filter((e) => e.type === 'confirmed')).toHaveLength(0);
    const pressed = await curl([
      '-X',
      'POST',
      '-A',
      'Mozilla/5.0 Firefox/133.0',
      '--data',
      `nonce=${nonce}`,
      link,
    ]);
    expect(pressed.status).toBe(200);
    const confirmed = (await feed()).filter((e) => e.type === 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]?.data).toMatchObject({
      email: 'Piet.Puk@example.nl',
      source: 'reconfirmation',
      confirmMethod: 'LINK_PAGE_BUTTON_POST',
      confirmIp: '127.0.0.1',
      confirmUserAgent: 'Mozilla/5.0 Firefox/133.0',
    });
  });

  it('keeps to the per-address limits and never mails an address that unsubscribed', async () => {
    const before = smtp.messages.length;
    // The same day: both were asked already.
    const again = (await (
      await ask({ addresses: ['piet.puk@example.nl', 'anna@example.nl'], lists: ['news'], language: 'en' })
    ).json()) as {
      results: { status: string }[];
    };
    expect(again.results.map((r) => r.status)).toEqual(['limited', 'limited']);

    // Piet unsubscribes with one click from his receipt.
    await smtp.waitFor(before);
    const receipt = smtp
      .receivedBy('piet.puk@example.nl')
      .find((m) => /unsubscribe\?token=/.test(m.parsed.text ?? ''));
    const unsubscribe =
      /http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[A-Za-z0-9_-]+/.exec(receipt?.parsed.text ?? '')?.[0] ??
      '';
    expect((await curl(['-X', 'POST', '--data', 'List-Unsubscribe=One-Click', unsubscribe])).status).toBe(
      200,
    );

    service.advance(2 * DAY);
    const later = (await (
      await ask({ addresses: ['piet.puk@example.nl', 'anna@example.nl'], lists: ['news'], language: 'en' })
    ).json()) as {
      results: { status: string }[];
    };
    expect(later.results.map((r) => r.status)).toEqual(['suppressed', 'sent']);
    await smtp.waitFor(before + 1);
    const sent = smtp.messages.slice(before);
    expect(sent.map((m) => m.to[0])).toEqual(['anna@example.nl']);
    expect(sent[0]?.parsed.subject).toBe('Do you want to keep getting our mail?');

    // The monthly limit (three mails) holds for re-permission too.
    service.advance(2 * DAY);
    const third = (await (
      await ask({ addresses: ['anna@example.nl'], lists: ['news'], language: 'en' })
    ).json()) as { results: { status: string }[] };
    service.advance(2 * DAY);
    const fourth = (await (
      await ask({ addresses: ['anna@example.nl'], lists: ['news'], language: 'en' })
    ).json()) as { results: { status: string }[] };
    expect([third.results[0]?.status, fourth.results[0]?.status]).toEqual(['sent', 'limited']);
    expect(smtp.receivedBy('anna@example.nl')).toHaveLength(3);
  });
});

describe('POST /api/reconfirm when the SMTP server turns some recipients away', () => {
  let smtp: SmtpTestServer;
  let service: OptinTestService;
  beforeAll(async () => {
    smtp = await startSmtpTestServer({
      faults: {
        onRcpt: (address) =>
          address === 'weg@example.nl'
            ? { code: 550, message: '5.1.1 No such user' }
            : address === 'vol@example.nl'
              ? { code: 452, message: '4.2.2 Mailbox full' }
              : undefined,
      },
    });
    service = await startOptinTestService({ smtp });
  });
  afterAll(async () => {
    await service?.close();
    await smtp?.close();
  });

  it('answers per address exactly which mails failed, and a repeat the same day tries none again', async () => {
    const addresses = ['een@example.nl', 'weg@example.nl', 'twee@example.nl', 'vol@example.nl'];
    const ask = async () =>
      (await (
        await fetch(`${service.base}/api/reconfirm`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
          body: JSON.stringify({ addresses, lists: ['news'], language: 'nl' }),
        })
      ).json()) as { results: { email: string; status: string }[]; counts: Record<string, number> };

    const first = await ask();
    expect(first.results).toEqual([
      { email: 'een@example.nl', status: 'sent' },
      { email: 'weg@example.nl', status: 'mail_failed' },
      { email: 'twee@example.nl', status: 'sent' },
      { email: 'vol@example.nl', status: 'mail_failed' },
    ]);
    expect(first.counts).toMatchObject({ sent: 2, mail_failed: 2 });
    await smtp.waitFor(2);

    const second = await ask();
    expect(second.results.map((r) => r.status)).toEqual(['limited', 'limited', 'limited', 'limited']);
    for (const address of addresses) expect(smtp.attempts.get(address), address).toBe(1);
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['een@example.nl', 'twee@example.nl']);
    // The failed ones stay as signed sign-ups without a confirmation mail (the feed says so).
    const sentEvents = (await service.feed()).filter((e) => e.type === 'confirmation_mail_sent');
    expect(sentEvents).toHaveLength(2);
  });
});
