import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToList, openStore, upsertContact } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_TOKEN, startOptinKit, type OptinKit } from './optin-kit.js';

/** A phone consent of `senderEntityId` with complete evidence (a re-permission candidate). */
function phoneConsent(senderEntityId: string) {
  return {
    method: 'PHONE' as const,
    senderEntityId,
    scopeLists: 'ALL' as const,
    signupAt: '2026-06-01T09:00:00Z',
    phoneAgent: 'Petra',
    consentTextVersionId: 'belscript-1',
  };
}

/** Puts phone contacts of `senderEntityId` on the list named `listName`; returns their contact ids. */
async function seedPhoneContacts(
  on: OptinKit,
  listName: string,
  senderEntityId: string,
  emails: string[],
): Promise<number[]> {
  const store = await openStore({ path: on.db() });
  try {
    const list = await store.db
      .selectFrom('list')
      .select('id')
      .where('name', '=', listName)
      .executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    const ids: number[] = [];
    for (const email of emails)
      ids.push(
        (await upsertContact(store.db, { email, consent: phoneConsent(senderEntityId) }, { at })).contactId,
      );
    await addToList(store.db, list.id, ids, { at, source: 'test' });
    return ids;
  } finally {
    await store.close();
  }
}

/** The chained re-permission events of one mailing: who was in each batch and who was sent a request. */
async function reconfirmEvents(
  on: OptinKit,
  mailing: string,
): Promise<{ contactIds: number[]; sentContactIds: number[]; counts: Record<string, number> }[]> {
  const store = await openStore({ path: on.db() });
  try {
    const rows = await store.db
      .selectFrom('event')
      .select('data')
      .where('type', '=', 'optin.reconfirmation_requested')
      .orderBy('seq')
      .execute();
    return rows
      .map(
        (row) =>
          JSON.parse(row.data) as {
            mailingId: string;
            contactIds: number[];
            sentContactIds: number[];
            counts: Record<string, number>;
          },
      )
      .filter((data) => data.mailingId === mailing);
  } finally {
    await store.close();
  }
}

let kit: OptinKit;
let mailingId: string;

/**
 * Contacts the business collected itself before it had the opt-in service, with complete evidence of their
 * kind (with a gap they would be judged U1, and nobody of unknown origin is asked).
 */
async function seedContacts(): Promise<void> {
  const store = await openStore({ path: kit.db() });
  try {
    const list = await store.db
      .selectFrom('list')
      .select('id')
      .where('name', '=', 'Nieuwsbrief')
      .executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    const ids: number[] = [];
    const phone = {
      method: 'PHONE' as const,
      senderEntityId: 'bakkerij',
      scopeLists: 'ALL' as const,
      signupAt: '2026-06-01T09:00:00Z',
      phoneAgent: 'Petra',
      consentTextVersionId: 'belscript-1',
    };
    for (const [email, consent] of [
      ['telefoon@example.nl', phone],
      [
        'formulier@example.nl',
        {
          method: 'WEB_SOI' as const,
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL' as const,
          signupAt: '2026-05-01T09:00:00Z',
          source: 'https://bakkerij.example/oud-formulier',
          consentTextVersionId: 'oud-formulier-1',
        },
      ],
      ['afgemeld@example.nl', phone],
    ] as const) {
      ids.push((await upsertContact(store.db, { email, consent }, { at })).contactId);
    }
    await addToList(store.db, list.id, ids, { at, source: 'test' });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  kit = await startOptinKit('cm-optin-reconfirm-');
  await seedContacts();
  const unsubscribed = await kit.cli('unsubscribe', 'afgemeld@example.nl', '--channel', 'PHONE');
  expect(unsubscribed.code, unsubscribed.stderr).toBe(0);
  mailingId = await kit.newMailing('Herbevestiging');
}, 60_000);

afterAll(async () => {
  await kit.close();
});

describe('optin reconfirm: re-permission through the opt-in service', () => {
  it('refuses clearly, in both languages, while not paired', async () => {
    const en = await kit.cli('optin', 'reconfirm', mailingId);
    expect(en.code).not.toBe(0);
    expect(en.stderr).toContain('OPTIN_NOT_PAIRED');
    expect(en.stderr).toContain('Pair first: optin pair');
    const nl = await kit.cli('optin', 'reconfirm', mailingId, '--lang', 'nl');
    expect(nl.stderr).toContain('Koppel eerst: optin pair');
    expect(kit.serviceSmtp.messages).toHaveLength(0);
  });

  it('asks the phone and single opt-in contacts (not the unsubscribed one); one confirms; 1 of 2 confirmed, judged as WEB_DOI with its phone evidence kept', async () => {
    const paired = await kit.cli('optin', 'pair', kit.base, '--token', FEED_TOKEN, '--entity', 'bakkerij');
    expect(paired.code, paired.stderr).toBe(0);
    expect((await kit.cliJson('optin', 'reconfirm-status', mailingId)).candidates).toBe(2);

    const asked = await kit.cli('optin', 'reconfirm', mailingId, '--language', 'nl');
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toContain('2 contact(s) may be asked to confirm: 2 request(s) sent');
    await kit.serviceSmtp.waitFor(2);
    expect(kit.serviceSmtp.receivedBy('telefoon@example.nl')).toHaveLength(1);
    expect(kit.serviceSmtp.receivedBy('formulier@example.nl')).toHaveLength(1);
    expect(kit.serviceSmtp.receivedBy('afgemeld@example.nl')).toHaveLength(0);
    expect(kit.serviceSmtp.receivedBy('telefoon@example.nl')[0]?.parsed.subject).toBe(
      'Wil je onze mail blijven ontvangen?',
    );
    // Nobody is offered twice.
    expect((await kit.cliJson('optin', 'reconfirm-status', mailingId)).candidates).toBe(0);

    await kit.confirmFromMail('telefoon@example.nl');
    const pulled = await kit.cliJson('optin', 'pull');
    expect(pulled.confirmed).toBe(1);
    const status = await kit.cli('optin', 'reconfirm-status', mailingId);
    expect(status.stdout).toContain('1 of 2 asked contact(s) confirmed.');
    const nl = await kit.cli('optin', 'reconfirm-status', mailingId, '--lang', 'nl');
    expect(nl.stdout).toContain('1 van 2 gevraagde contact(en) hebben bevestigd.');

    // The original consent stays (method, the phone agent) and gains the confirmation.
    const detail = await kit.cliJson('contact', 'show', 'telefoon@example.nl');
    expect(detail.records).toHaveLength(1);
    const record = detail.records[0];
    expect(record).toMatchObject({ method: 'PHONE', phoneAgent: 'Petra', confirmIp: '127.0.0.1' });
    expect(record.reconfirmedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(record.confirmedAt).toBe(record.reconfirmedAt);

    const contactFile = join(kit.dir, 'telefoon.json');
    const mailingFile = join(kit.dir, 'mailing.json');
    writeFileSync(contactFile, JSON.stringify(record));
    writeFileSync(
      mailingFile,
      JSON.stringify({ id: 'm', senderEntityId: 'bakkerij', listId: detail.lists[0], content: 'MARKETING' }),
    );
    const explained = await kit.cliJson(
      'policy',
      'explain',
      '--contact',
      contactFile,
      '--mailing',
      mailingFile,
    );
    const codes = explained.reasons.map((r: { code: string }) => r.code);
    // Judged by the double opt-in rules now; a phone consent has no sign-up IP or browser, so D2, not D1.
    expect(codes).toContain('D2');
    expect(codes).not.toContain('D1');
    expect(codes).not.toContain('P1');
    expect(explained.classification).toBe('ALLOWED_GREY');
    const d2 = explained.reasons.find((r: { code: string }) => r.code === 'D2');
    expect(JSON.stringify(d2)).toContain('signupIp');

    // The one who did not confirm stays as they were.
    const soi = await kit.cliJson('contact', 'show', 'formulier@example.nl');
    expect(soi.records[0].method).toBe('WEB_SOI');
    expect(soi.records[0].reconfirmedAt).toBeUndefined();

    // One chained event per batch sent to the service, with its digest and no addresses.
    const store = await openStore({ path: kit.db() });
    try {
      const events = await store.db
        .selectFrom('event')
        .select('data')
        .where('type', '=', 'optin.reconfirmation_requested')
        .execute();
      expect(events).toHaveLength(1);
      const data = JSON.parse(events[0]?.data ?? '{}') as Record<string, unknown>;
      expect(data).toMatchObject({ mailingId, counts: { sent: 2, suppressed: 0 } });
      expect(data.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(events[0]?.data).not.toContain('@example.nl');
    } finally {
      await store.close();
    }
    const verified = await kit.cli('audit', 'verify');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it('sends a large group in batches of 200, one chained event per batch', async () => {
    expect((await kit.cli('list', 'create', 'Aanbiedingen', '--entity', 'bakkerij')).code).toBe(0);
    const store = await openStore({ path: kit.db() });
    try {
      const list = await store.db
        .selectFrom('list')
        .select('id')
        .where('name', '=', 'Aanbiedingen')
        .executeTakeFirstOrThrow();
      const at = new Date().toISOString();
      const ids: number[] = [];
      for (let i = 0; i < 201; i += 1) {
        const consent = {
          method: 'PHONE' as const,
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL' as const,
          signupAt: '2026-06-01T09:00:00Z',
          phoneAgent: 'Petra',
          consentTextVersionId: 'belscript-1',
        };
        ids.push(
          (await upsertContact(store.db, { email: `klant${i}@example.nl`, consent }, { at })).contactId,
        );
      }
      await addToList(store.db, list.id, ids, { at, source: 'test' });
    } finally {
      await store.close();
    }
    const html = join(kit.dir, 'aanbieding.html');
    writeFileSync(html, '<html><body><p>Aanbieding</p></body></html>');
    const mailing = await kit.cliJson(
      'mailing',
      'create',
      '--name',
      'Aanbieding',
      '--entity',
      'bakkerij',
      '--list',
      'Aanbiedingen',
      '--smtp',
      'main',
      '--subject',
      'Aanbieding',
      '--html-file',
      html,
    );
    const before = kit.serviceSmtp.messages.length;
    const result = await kit.cliJson('optin', 'reconfirm', mailing.id, '--language', 'en');
    expect(result).toMatchObject({ candidates: 201, counts: { sent: 201 } });
    await kit.serviceSmtp.waitFor(before + 201);
    expect(kit.serviceSmtp.receivedBy('klant200@example.nl')[0]?.parsed.subject).toBe(
      'Do you want to keep getting our mail?',
    );
    const check = await openStore({ path: kit.db() });
    try {
      const events = await check.db
        .selectFrom('event')
        .select('data')
        .where('type', '=', 'optin.reconfirmation_requested')
        .orderBy('seq')
        .execute();
      const batches = events
        .map((e) => JSON.parse(e.data) as { mailingId: string; contactIds: number[] })
        .filter((d) => d.mailingId === mailing.id)
        .map((d) => d.contactIds.length);
      expect(batches).toEqual([200, 1]);
    } finally {
      await check.close();
    }
  }, 120_000);

  it('refuses to ask through the service for a mailing of another sender, in both languages, and mails nobody', async () => {
    const added = await kit.cli(
      'entity',
      'add',
      '--legal-name',
      'Winkel de Vries B.V.',
      '--address',
      'Marktplein 2, 1234 AB Ergens',
      '--email',
      'info@winkel.example',
      '--kvk',
      '23456789',
      '--id',
      'winkel',
    );
    expect(added.code, added.stderr).toBe(0);
    expect((await kit.cli('list', 'create', 'Winkelnieuws', '--entity', 'winkel')).code).toBe(0);
    await seedPhoneContacts(kit, 'Winkelnieuws', 'winkel', ['winkelklant@example.nl']);
    const html = join(kit.dir, 'winkel.html');
    writeFileSync(html, '<html><body><p>Winkelnieuws</p></body></html>');
    const mailing = await kit.cliJson(
      'mailing',
      'create',
      '--name',
      'Winkel',
      '--entity',
      'winkel',
      '--list',
      'Winkelnieuws',
      '--smtp',
      'main',
      '--subject',
      'Winkelnieuws',
      '--html-file',
      html,
    );
    const before = kit.serviceSmtp.messages.length;

    const en = await kit.cli('optin', 'reconfirm', mailing.id);
    expect(en.code).not.toBe(0);
    expect(en.stderr).toContain('OPTIN_RECONFIRM_OTHER_ENTITY');
    expect(en.stderr).toContain('This mailing is sent for "winkel"');
    expect(en.stderr).toContain('the opt-in service collects consent for "bakkerij"');
    const nl = await kit.cli('optin', 'reconfirm', mailing.id, '--lang', 'nl');
    expect(nl.code).not.toBe(0);
    expect(nl.stderr).toContain('de opt-in-service verzamelt toestemming voor "bakkerij"');

    // Nothing reached the service, nothing was recorded, and the mailing offers nobody to ask.
    expect(kit.serviceSmtp.messages).toHaveLength(before);
    expect(kit.serviceSmtp.attempts.get('winkelklant@example.nl')).toBeUndefined();
    expect(await reconfirmEvents(kit, mailing.id)).toEqual([]);
    expect((await kit.cliJson('optin', 'reconfirm-status', mailing.id)).candidates).toBe(0);
  });
});

describe("optin reconfirm when the service's SMTP server turns some recipients away", () => {
  let faulty: OptinKit;
  beforeAll(async () => {
    faulty = await startOptinKit('cm-optin-reconfirm-smtp-', {
      serviceSmtpFaults: {
        onRcpt: (address) =>
          address === 'weg@example.nl'
            ? { code: 550, message: '5.1.1 No such user' }
            : address === 'vol@example.nl'
              ? { code: 452, message: '4.2.2 Mailbox full' }
              : undefined,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await faulty.close();
  });

  it('reports exactly who was not sent a request, and asks nobody twice', async () => {
    const [een, weg, twee, vol] = await seedPhoneContacts(faulty, 'Nieuwsbrief', 'bakkerij', [
      'een@example.nl',
      'weg@example.nl',
      'twee@example.nl',
      'vol@example.nl',
    ]);
    const paired = await faulty.cli(
      'optin',
      'pair',
      faulty.base,
      '--token',
      FEED_TOKEN,
      '--entity',
      'bakkerij',
    );
    expect(paired.code, paired.stderr).toBe(0);
    const mailing = await faulty.newMailing('Herbevestiging');

    const first = await faulty.cli('optin', 'reconfirm', mailing, '--language', 'nl');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('4 contact(s) may be asked to confirm: 2 request(s) sent');
    expect(first.stdout).toContain('2 mail failed');
    await faulty.serviceSmtp.waitFor(2);
    expect(faulty.serviceSmtp.messages.map((m) => m.to[0]).sort()).toEqual([
      'een@example.nl',
      'twee@example.nl',
    ]);
    // The chain names exactly who was sent a request; the other two of the batch were not.
    const [batch] = await reconfirmEvents(faulty, mailing);
    expect(batch?.contactIds.sort()).toEqual([een, weg, twee, vol].sort());
    expect(batch?.sentContactIds.sort()).toEqual([een, twee].sort());
    expect(batch?.counts).toMatchObject({ sent: 2, mail_failed: 2 });
    const status = await faulty.cliJson('optin', 'reconfirm-status', mailing);
    expect(status).toMatchObject({ requested: 2, notSent: 2, candidates: 2 });

    // Asking again offers only the two who got nothing; the service does not try them again the same day.
    const second = await faulty.cliJson('optin', 'reconfirm', mailing, '--language', 'nl');
    expect(second).toMatchObject({ candidates: 2, counts: { sent: 0, limited: 2, mail_failed: 0 } });
    for (const address of ['een@example.nl', 'weg@example.nl', 'twee@example.nl', 'vol@example.nl'])
      expect(faulty.serviceSmtp.attempts.get(address), address).toBe(1);
    expect(faulty.serviceSmtp.messages).toHaveLength(2);
  });
});
