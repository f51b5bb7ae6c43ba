import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToList, openStore, upsertContact } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_TOKEN, startOptinKit, type OptinKit } from './optin-kit.js';

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
});
