import { addressHash, importContacts, recordClassifications, upsertContact } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity } from '@consent-mailer/store/testing';
import { NOW, openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
beforeEach(async () => {
  fixture = await openApiFixture('cm-api-contacts-');
  await addSenderEntity(fixture.store);
  const rows = Array.from({ length: 120 }, (_, index) => ({
    email: `klant${index}@${index % 4 === 0 ? 'bakkerij.nl' : 'example.nl'}`,
    recipientKind: 'CONSUMER' as const,
    method: index % 3 === 0 ? ('PAPER' as const) : ('WEB_SOI' as const),
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL' as const,
  }));
  await importContacts(fixture.store.db, rows, { at: NOW.toISOString() });
});
afterEach(async () => {
  await fixture.cleanup();
});

describe('contacts.list', () => {
  it('filters and pages with a cursor', async () => {
    const first = await fixture.caller.contacts.list({ method: 'PAPER', limit: 25 });
    expect(first.items).toHaveLength(25);
    const second = await fixture.caller.contacts.list({
      method: 'PAPER',
      limit: 25,
      after: first.nextCursor,
    });
    expect(second.items).toHaveLength(15);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].every((item) => item.methods.includes('PAPER'))).toBe(true);
    expect((await fixture.caller.contacts.list({ search: 'bakkerij', limit: 1000 })).items).toHaveLength(30);
  });

  it('rejects an unknown method with the field named', async () => {
    await expect(fixture.caller.contacts.list({ method: 'CARRIER_PIGEON' as 'PAPER' })).rejects.toMatchObject(
      { code: 'BAD_REQUEST' },
    );
  });
});

describe('contacts.get and contacts.erase', () => {
  it('shows the evidence and history, then erases the person leaving only the hash', async () => {
    await upsertContact(
      fixture.store.db,
      {
        email: 'sanne@example.nl',
        firstName: 'Sanne',
        recipientKind: 'CONSUMER',
        consent: {
          method: 'PHONE',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
          phoneAgent: 'Kees',
          signupAt: '2026-05-01T10:00:00Z',
        },
      },
      { at: NOW.toISOString() },
    );
    const detail = await fixture.caller.contacts.get({ email: 'Sanne@Example.NL'.replace('Sanne', 'sanne') });
    expect(detail.records[0]).toMatchObject({ method: 'PHONE', phoneAgent: 'Kees' });
    expect(detail.history.map((entry) => entry.type)).toEqual(['contact.created', 'consent.recorded']);
    expect(detail.history[1]?.personal).toMatchObject({ email: 'sanne@example.nl' });

    const erased = await fixture.caller.contacts.erase({ email: 'sanne@example.nl' });
    expect(erased).toMatchObject({ erased: true, addressHash: addressHash('sanne@example.nl') });
    // The receipt says what stays and why: pseudonymous data kept to honour the objection.
    expect(erased.receipt.en).toContain('pseudonymous personal data, kept only to honour the objection');
    expect(erased.receipt.en).toContain('art. 17(3)');
    expect(erased.receipt.nl).toContain('art. 21(3)');
    expect(erased.receipt.nl).toContain(addressHash('sanne@example.nl'));
    await expect(fixture.caller.contacts.get({ email: 'sanne@example.nl' })).rejects.toMatchObject({
      cause: { code: 'CONTACT_NOT_FOUND' },
    });
    expect((await fixture.caller.audit.verify()).ok).toBe(true);
  });
});

describe('contacts.countByClass', () => {
  it('counts contacts per last class, with the never-assessed ones apart', async () => {
    const before = await fixture.caller.contacts.countByClass();
    expect(before).toEqual({
      ALLOWED_PROVEN: 0,
      ALLOWED_GREY: 0,
      TRANSFER_RISK: 0,
      BLOCKED: 0,
      UNASSESSED: 120,
      total: 120,
    });

    const { items } = await fixture.caller.contacts.list({ limit: 1000 });
    const classes = ['ALLOWED_PROVEN', 'ALLOWED_GREY', 'TRANSFER_RISK'] as const;
    // 100 of the 120 assessed: 34 / 33 / 33 over three classes; 20 stay unassessed.
    await recordClassifications(fixture.store.db, {
      mailingId: 'm1',
      at: NOW.toISOString(),
      items: items
        .slice(0, 100)
        .map((item, index) => ({ contactId: item.id, classification: classes[index % 3] ?? 'BLOCKED' })),
    });
    expect(await fixture.caller.contacts.countByClass()).toEqual({
      ALLOWED_PROVEN: 34,
      ALLOWED_GREY: 33,
      TRANSFER_RISK: 33,
      BLOCKED: 0,
      UNASSESSED: 20,
      total: 120,
    });
  });

  it('reads the class index, not the contact rows (stays fast at a million contacts)', () => {
    const plan = fixture.store.sqlite
      .prepare(
        'EXPLAIN QUERY PLAN SELECT last_classification, count(*) AS count FROM contact GROUP BY last_classification',
      )
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toContain(
      'USING COVERING INDEX contact_by_last_classification_id',
    );
  });
});
