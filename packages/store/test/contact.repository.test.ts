import { classifyContact, type ContactRecord, type MailingContext } from '@consent-mailer/policy';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addConsentTextVersion,
  addSuppression,
  addToList,
  createList,
  getContactByEmail,
  importContacts,
  listContacts,
  loadContactRecords,
  recordClassifications,
  upsertContact,
  type Database,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;
let entity: string;

beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
  entity = await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

const MAILING: MailingContext = {
  id: 'm1',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  content: 'MARKETING',
};
const NOW = '2026-11-28T12:00:00Z';

function doubleOptIn(email: string, extra: Partial<ContactRecord> = {}): ImportContactRow {
  return {
    email,
    recipientKind: 'CONSUMER',
    method: 'WEB_DOI',
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
    signupAt: '2026-06-01T10:00:00Z',
    signupIp: '192.0.2.10',
    signupUserAgent: 'Mozilla/5.0',
    source: 'https://bakkerij.nl/nieuwsbrief',
    consentTextVersionId: 'a'.repeat(64),
    confirmMailSentAt: '2026-06-01T10:00:05Z',
    confirmTokenId: 'tok-1',
    confirmedAt: '2026-06-01T10:05:00Z',
    confirmIp: '192.0.2.10',
    confirmUserAgent: 'Mozilla/5.0',
    ...extra,
  };
}

function unknownOrigin(email: string, extra: Partial<ImportContactRow> = {}): ImportContactRow {
  return {
    email,
    recipientKind: 'UNKNOWN',
    method: 'IMPORTED_UNKNOWN',
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
    ...extra,
  };
}

describe('upsertContact', () => {
  it('finds the same contact under any spelling of the domain and keeps the address out of the chained events', async () => {
    const first = await upsertContact(
      store.db,
      { email: 'Jan@Example.NL', firstName: 'Jan', recipientKind: 'CONSUMER' },
      { at: AT },
    );
    const second = await upsertContact(
      store.db,
      { email: '  Jan@example.nl ', lastName: 'de Vries' },
      { at: AT },
    );
    expect(second.contactId).toBe(first.contactId);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    const detail = await getContactByEmail(store.db, 'jan@EXAMPLE.nl'.replace('jan', 'Jan'));
    expect(detail?.contact).toMatchObject({
      email: 'jan@example.nl',
      email_spelling: 'Jan@example.nl',
      first_name: 'Jan',
      last_name: 'de Vries',
      address_kind: 'PERSONAL',
    });
    const events = await store.db.selectFrom('event').selectAll().execute();
    expect(events.map((event) => event.type)).toEqual(['contact.created', 'contact.updated']);
    expect(events.some((event) => event.data.includes('example.nl'))).toBe(false);
    const personal = await store.db.selectFrom('event_personal').selectAll().execute();
    expect(personal.map((row) => JSON.parse(row.payload).email)).toEqual([
      'jan@example.nl',
      'jan@example.nl',
    ]);
  });

  it('records a consent whose record the rules judge proven, and refuses a consent for a suppressed address', async () => {
    const { email: _email, recipientKind: _kind, ...consent } = doubleOptIn('anna@example.nl');
    await upsertContact(
      store.db,
      { email: 'anna@example.nl', recipientKind: 'CONSUMER', consent },
      { at: AT },
    );
    const detail = await getContactByEmail(store.db, 'anna@example.nl');
    const record = detail?.records[0];
    expect(record).toBeDefined();
    if (record !== undefined)
      expect(classifyContact(record, MAILING, { now: NOW }).classification).toBe('ALLOWED_PROVEN');

    await addSuppression(store.db, {
      email: 'piet@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at: AT,
    });
    const { email: _e, recipientKind: _k, ...pietConsent } = doubleOptIn('piet@example.nl');
    await expect(
      upsertContact(
        store.db,
        { email: 'Piet@EXAMPLE.nl'.replace('Piet', 'piet'), consent: pietConsent },
        { at: AT },
      ),
    ).rejects.toMatchObject({
      code: 'STORE_ADDRESS_SUPPRESSED',
    });
    expect(await getContactByEmail(store.db, 'piet@example.nl')).toBeNull();
  });
});

describe('importContacts', () => {
  it('counts imported, updated, duplicate and suppressed rows', async () => {
    await importContacts(
      store.db,
      [unknownOrigin('old@example.nl'), unknownOrigin('same@example.nl', { firstName: 'Same' })],
      { at: AT },
    );
    await addSuppression(store.db, {
      email: 'gone@example.nl',
      reason: 'COMPLAINT',
      source: 'SPAMKLACHT',
      at: AT,
    });
    const counts = await importContacts(
      store.db,
      [
        unknownOrigin('new1@example.nl'),
        unknownOrigin('new2@example.nl'),
        unknownOrigin('NEW1@EXAMPLE.NL'.replace('NEW1', 'new1')),
        unknownOrigin('old@example.nl', { firstName: 'Oud' }),
        unknownOrigin('same@example.nl', { firstName: 'Same' }),
        unknownOrigin('gone@example.nl'),
      ],
      { at: AT },
    );
    expect({ ...counts, contactIds: counts.contactIds.length }).toEqual({
      imported: 2,
      updated: 1,
      duplicates: 2,
      suppressed: 1,
      contactIds: 3,
    });
    expect(await getContactByEmail(store.db, 'gone@example.nl')).toBeNull();
    expect((await getContactByEmail(store.db, 'old@example.nl'))?.contact.first_name).toBe('Oud');
    const events = await store.db
      .selectFrom('event')
      .select(['type', 'data'])
      .where('type', '=', 'contacts.imported')
      .execute();
    expect(events).toHaveLength(2);
    const ids = counts.contactIds;
    expect(JSON.parse(events[1]?.data ?? '{}')).toMatchObject({
      imported: 2,
      updated: 1,
      duplicates: 2,
      suppressed: 1,
      // The two new contacts got consecutive ids: one [first, last] range; the updated one its own.
      createdContactIdRanges: [[Math.min(ids[0] ?? 0, ids[1] ?? 0), Math.max(ids[0] ?? 0, ids[1] ?? 0)]],
      updatedContactIdRanges: [[ids[2], ids[2]]],
    });
  });

  it('merges into stored contacts and fills the list through any kysely executor of the connection', async () => {
    const plain = new Kysely<Database>({ dialect: new SqliteDialect({ database: store.sqlite }) });
    await importContacts(store.db, [unknownOrigin('old@example.nl'), doubleOptIn('doi@example.nl')], {
      at: AT,
      listId: null,
    });
    await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
    const counts = await importContacts(
      plain,
      [
        unknownOrigin('old@example.nl', { firstName: 'Oud' }),
        unknownOrigin('doi@example.nl'),
        unknownOrigin('fresh@example.nl'),
        doubleOptIn('fresh2@example.nl'),
      ],
      { at: AT, listId: 'nieuwsbrief' },
    );
    expect({ ...counts, contactIds: counts.contactIds.length }).toEqual({
      imported: 2,
      updated: 1,
      duplicates: 1,
      suppressed: 0,
      contactIds: 3,
    });
    expect((await getContactByEmail(store.db, 'old@example.nl'))?.contact.first_name).toBe('Oud');
    expect((await getContactByEmail(store.db, 'doi@example.nl'))?.consents[0]?.method).toBe('WEB_DOI');
    expect((await getContactByEmail(store.db, 'fresh2@example.nl'))?.consents[0]).toMatchObject({
      method: 'WEB_DOI',
      confirmed_at: '2026-06-01T10:05:00Z',
    });
    const members = await store.db
      .selectFrom('list_membership')
      .select('contact_id')
      .where('list_id', '=', 'nieuwsbrief')
      .execute();
    expect(members).toHaveLength(4);
  });

  it('never downgrades proven evidence and never makes an unsubscribed address mailable again', async () => {
    await importContacts(
      store.db,
      [
        doubleOptIn('doi@example.nl'),
        doubleOptIn('left@example.nl', { unsubscribedAt: '2026-07-01T00:00:00Z' }),
      ],
      { at: AT },
    );
    const counts = await importContacts(
      store.db,
      [
        unknownOrigin('doi@example.nl', { attestationId: 'att-1' }),
        doubleOptIn('left@example.nl', { confirmedAt: '2026-08-01T00:00:00Z' }),
      ],
      { at: AT },
    );
    expect(counts.imported).toBe(0);
    const doi = await getContactByEmail(store.db, 'doi@example.nl');
    expect(doi?.consents[0]).toMatchObject({
      method: 'WEB_DOI',
      confirmed_at: '2026-06-01T10:05:00Z',
      attestation_id: 'att-1',
    });
    const left = await getContactByEmail(store.db, 'left@example.nl');
    expect(left?.consents[0]?.unsubscribed_at).toBe('2026-07-01T00:00:00Z');
    const [record] = await loadContactRecords(store.db, { contactIds: [left?.contact.id ?? -1] });
    expect(record && classifyContact(record.record, MAILING, { now: NOW }).classification).toBe('BLOCKED');
  });

  it('is one transaction: a bad address anywhere leaves nothing written', async () => {
    await expect(
      importContacts(store.db, [unknownOrigin('ok@example.nl'), unknownOrigin('not-an-address')], { at: AT }),
    ).rejects.toMatchObject({
      code: 'POLICY_INVALID_EMAIL',
      text: { en: expect.stringContaining('Row 2') as unknown },
    });
    expect(await store.db.selectFrom('contact').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('event').select('seq').execute()).toEqual([]);
  });
});

describe('listContacts', () => {
  beforeEach(async () => {
    const list = await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
    const rows: ImportContactRow[] = [];
    for (let index = 0; index < 250; index += 1) {
      const email = `klant${String(index).padStart(3, '0')}@${index % 5 === 0 ? 'bakkerij' : 'example'}.nl`;
      rows.push(
        index % 2 === 0
          ? doubleOptIn(email, { lastName: index === 42 ? 'Van Dijk' : null } as Partial<ContactRecord>)
          : unknownOrigin(email),
      );
    }
    const counts = await importContacts(store.db, rows, { at: AT });
    await addToList(store.db, list.id, counts.contactIds.slice(0, 30), { at: AT });
  });

  it('pages through every contact once with the keyset cursor', async () => {
    const seen: number[] = [];
    let after: number | null = null;
    for (;;) {
      const page = await listContacts(store.db, {}, { limit: 100, after });
      seen.push(...page.items.map((item) => item.id));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('filters by method, list, text and stored class, together', async () => {
    expect((await listContacts(store.db, { method: 'WEB_DOI' }, { limit: 1000 })).items).toHaveLength(125);
    expect((await listContacts(store.db, { listId: 'nieuwsbrief' }, { limit: 1000 })).items).toHaveLength(30);
    expect((await listContacts(store.db, { search: 'BAKKERIJ' }, { limit: 1000 })).items).toHaveLength(50);
    expect((await listContacts(store.db, { search: 'van dijk' })).items.map((item) => item.email)).toEqual([
      'klant042@example.nl',
    ]);
    expect((await listContacts(store.db, { search: '100%' })).items).toEqual([]);
    const both = await listContacts(
      store.db,
      { method: 'WEB_DOI', search: 'bakkerij', listId: 'nieuwsbrief' },
      { limit: 1000 },
    );
    expect(both.items.map((item) => item.email)).toEqual([
      'klant000@bakkerij.nl',
      'klant010@bakkerij.nl',
      'klant020@bakkerij.nl',
    ]);
    expect(both.items[0]?.methods).toEqual(['WEB_DOI']);

    const loaded = await loadContactRecords(store.db, { listId: 'nieuwsbrief', senderEntityId: entity });
    await recordClassifications(store.db, {
      mailingId: MAILING.id,
      at: AT,
      items: loaded.map((entry) => ({
        contactId: entry.contactId,
        classification: classifyContact(entry.record, MAILING, { now: NOW }).classification,
      })),
    });
    expect(
      (await listContacts(store.db, { classification: 'ALLOWED_PROVEN' }, { limit: 1000 })).items,
    ).toHaveLength(15);
    expect((await listContacts(store.db, { classification: 'BLOCKED' }, { limit: 1000 })).items).toHaveLength(
      15,
    );
    expect(
      (await listContacts(store.db, { classification: 'UNASSESSED' }, { limit: 1000 })).items,
    ).toHaveLength(220);
  });
});

describe('loadContactRecords', () => {
  it('loads a page or a whole list in the same number of queries, whatever its size', async () => {
    const queries: string[] = [];
    const counting = new Kysely<Database>({
      dialect: new SqliteDialect({ database: store.sqlite }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query.sql);
      },
    });
    await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
    const small = await importContacts(store.db, [doubleOptIn('a@example.nl'), doubleOptIn('b@example.nl')], {
      at: AT,
    });
    const big = await importContacts(
      store.db,
      Array.from({ length: 3000 }, (_, index) => doubleOptIn(`big${index}@example.nl`)),
      { at: AT, listId: 'nieuwsbrief' },
    );
    await addSuppression(store.db, {
      email: 'big7@example.nl',
      reason: 'HARD_BOUNCE',
      source: 'DSN',
      hardBounceStatus: '5.1.1',
      at: AT,
    });

    await loadContactRecords(counting, { contactIds: small.contactIds });
    const forSmall = queries.length;
    queries.length = 0;
    const records = await loadContactRecords(counting, { contactIds: big.contactIds });
    expect(queries.length).toBe(forSmall);
    expect(records).toHaveLength(3000);
    queries.length = 0;
    const mailing = await loadContactRecords(counting, { listId: 'nieuwsbrief', senderEntityId: entity });
    // The members are read on the raw connection (found with two small lookups through this handle, which
    // does not log that statement), then the suppressions: a fixed count, whatever the list's size.
    expect(queries.length).toBe(3);
    expect(mailing).toHaveLength(3000);
    const bounced = mailing.find((entry) => entry.record.email === 'big7@example.nl');
    expect(bounced?.record.hardBounceAt).toBe(AT);
    expect(bounced && classifyContact(bounced.record, MAILING, { now: NOW }).classification).toBe('BLOCKED');
    const proven = mailing.filter(
      (entry) => classifyContact(entry.record, MAILING, { now: NOW }).classification === 'ALLOWED_PROVEN',
    );
    expect(proven).toHaveLength(2999);
    // Kysely's destroy would close the shared connection; the store closes it.
  });

  it('gives a list member without a consent for the sender a record the rules block', async () => {
    await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
    const { contactId } = await upsertContact(
      store.db,
      { email: 'noconsent@example.nl', recipientKind: 'CONSUMER' },
      { at: AT },
    );
    await addToList(store.db, 'nieuwsbrief', [contactId], { at: AT });
    const [entry] = await loadContactRecords(store.db, { listId: 'nieuwsbrief', senderEntityId: entity });
    expect(entry?.consentId).toBeNull();
    expect(entry && classifyContact(entry.record, MAILING, { now: NOW }).classification).toBe('BLOCKED');
  });
});

describe('consent text versions', () => {
  it('are addressed by the sha256 of their text and cannot be changed', async () => {
    const body = 'Ja, ik wil de nieuwsbrief van Bakkerij de Vries ontvangen. Afmelden kan altijd.';
    const first = await addConsentTextVersion(store.db, {
      kind: 'CONSENT',
      language: 'nl',
      label: 'Website 2026',
      body,
      at: AT,
    });
    const again = await addConsentTextVersion(store.db, {
      kind: 'CONSENT',
      language: 'nl',
      label: 'Another label',
      body,
      at: AT,
    });
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ id: first.id, created: false, label: 'Website 2026' });
    expect(() =>
      store.sqlite.prepare("UPDATE consent_text_version SET body = 'Nee' WHERE id = ?").run(first.id),
    ).toThrow(/immutable/);
    expect(() => store.sqlite.prepare('DELETE FROM consent_text_version WHERE id = ?').run(first.id)).toThrow(
      /immutable/,
    );
  });
});

describe('policy 2026.12.1 evidence: customer relationship and tracking consent (migration 0410)', () => {
  const freeTier = (email: string): ImportContactRow => ({
    email,
    recipientKind: 'CONSUMER',
    method: 'CUSTOMER',
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
    orderRef: 'ACC-1',
    orderPaid: false,
    customerRelationship: 'FREE_TIER_OF_PAID_SERVICE',
    lastPurchaseAt: '2026-10-01T00:00:00Z',
    optOutOfferedAtCollection: 'YES',
    collectionTextVersionId: 'signup-1',
    trackingConsentAt: '2026-10-01T00:00:00Z',
  });

  it('keeps both fields through the bulk import and upsert, and the rules see them', async () => {
    await importContacts(store.db, [freeTier('gratis@example.nl')], { at: AT });
    await upsertContact(
      store.db,
      {
        email: 'ook@example.nl',
        recipientKind: 'CONSUMER',
        consent: { ...freeTier('ook@example.nl'), customerRelationship: 'FREE_ONLY' },
      },
      { at: AT },
    );
    const ids = (await store.db.selectFrom('contact').select('id').execute()).map((row) => row.id);
    const records = await loadContactRecords(store.db, { contactIds: ids });
    const byEmail = new Map(records.map((entry) => [entry.record.email, entry.record]));
    expect(byEmail.get('gratis@example.nl')).toMatchObject({
      customerRelationship: 'FREE_TIER_OF_PAID_SERVICE',
      trackingConsentAt: '2026-10-01T00:00:00Z',
    });
    const free = byEmail.get('gratis@example.nl');
    const only = byEmail.get('ook@example.nl');
    expect(free && classifyContact(free, MAILING, { now: NOW }).reasons.map((r) => r.code)).toContain('C11');
    expect(only && classifyContact(only, MAILING, { now: NOW }).classification).toBe('BLOCKED');
  });

  it('refuses a relationship the policy does not know, at the database', async () => {
    await importContacts(store.db, [freeTier('x@example.nl')], { at: AT });
    expect(() => store.sqlite.prepare("UPDATE consent SET customer_relationship = 'FREEMIUM'").run()).toThrow(
      /CHECK constraint/,
    );
  });

  it('leaves records written before it as they were: no relationship, judged by orderPaid', async () => {
    await importContacts(store.db, [{ ...freeTier('oud@example.nl'), customerRelationship: undefined }], {
      at: AT,
    });
    const ids = (await store.db.selectFrom('contact').select('id').execute()).map((row) => row.id);
    const [entry] = await loadContactRecords(store.db, { contactIds: ids });
    expect(entry?.record).not.toHaveProperty('customerRelationship');
    expect(
      entry && classifyContact(entry.record, MAILING, { now: NOW }).reasons.map((r) => r.code),
    ).toContain('C5');
  });
});
