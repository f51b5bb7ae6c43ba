import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUserError } from '@consent-mailer/policy';
import { addressHash } from '@consent-mailer/store';
import { rawWrite } from '@consent-mailer/store/testing';
import { exportAcknowledgementYear } from '../src/acknowledgement/acknowledgement-files.js';
import {
  getAcknowledgementDetail,
  listAcknowledgementItems,
  yearRange,
} from '../src/acknowledgement/acknowledgement-review.js';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import { verifyEvidenceBundleText } from '../src/acknowledgement/bundle-verifier.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  insertMailing,
  phoneContact,
  webSoiContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';

describe('reviewing and exporting acknowledgements', () => {
  let fixture: AcknowledgementFixture;
  beforeEach(async () => {
    fixture = await createAcknowledgementFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  async function signAt(at: string, mailingId: string, name: string, emails: string[]) {
    fixture.now.value = new Date(at);
    return signAcknowledgement(fixture.ctx, {
      mailingId,
      assessment: assess(
        emails.map((email, index) => (index % 2 === 0 ? phoneContact(email) : webSoiContact(email))),
        fixture.now.value,
        { mailingId },
      ),
      signer: { name, role: 'eigenaar' },
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS,
    });
  }

  async function seedThreeAcknowledgements() {
    await insertMailing(fixture.store, 'mailing-2', 'Paasbrood');
    await insertMailing(fixture.store, 'mailing-3', 'Nieuwjaar');
    const first = await signAt('2026-03-01T09:00:00.000Z', fixture.mailingId, 'Anna de Vries', [
      'a@example.nl',
      'b@example.nl',
    ]);
    const second = await signAt('2026-12-31T23:30:00.000Z', 'mailing-2', 'Bram Bakker', ['c@example.nl']); // 1 Jan 2027 in Amsterdam
    const third = await signAt('2026-06-15T12:00:00.000Z', 'mailing-3', 'anna de vries', [
      'd@example.nl',
      'e@example.nl',
      'f@example.nl',
    ]);
    return { first, second, third };
  }

  it('lists by Dutch calendar year, by signer (any case) and by mailing, oldest first', async () => {
    const { first, second, third } = await seedThreeAcknowledgements();
    const in2026 = await listAcknowledgementItems(fixture.store.db, yearRange(2026));
    expect(in2026.map((item) => item.id)).toEqual([first.id, third.id]);
    expect(
      (await listAcknowledgementItems(fixture.store.db, yearRange(2027))).map((item) => item.id),
    ).toEqual([second.id]);
    expect(
      (await listAcknowledgementItems(fixture.store.db, { signer: 'ANNA' })).map((item) => item.signerName),
    ).toEqual(['Anna de Vries', 'anna de vries']);
    expect(
      (await listAcknowledgementItems(fixture.store.db, { mailingId: 'mailing-2' })).map((item) => item.id),
    ).toEqual([second.id]);
    expect(await listAcknowledgementItems(fixture.store.db, { senderEntityId: 'nobody' })).toEqual([]);
    expect(in2026[0]).toMatchObject({
      legalName: 'Bakkerij Jansen B.V.',
      kvkNumber: '12345678',
      recipientCount: 2,
      verificationCode: first.verificationCode,
    });
  });

  it('shows whom it covered and what happened to them: deliveries, bounces, complaints, unsubscribes', async () => {
    const signed = await signAt('2026-11-28T10:00:00.000Z', fixture.mailingId, 'Anna de Vries', [
      'a@example.nl',
      'b@example.nl',
      'c@example.nl',
    ]);
    const at = '2026-11-28T12:00:00.000Z';
    const delivery = (email: string, state: 'SENT' | 'FAILED') => ({
      mailing_id: fixture.mailingId,
      contact_id: null,
      email,
      address_hash: addressHash(email),
      classification: 'TRANSFER_RISK' as const,
      acknowledgement_id: signed.id,
      state,
      next_attempt_at: null,
      claimed_at: null,
      claimed_by: null,
      sent_at: state === 'SENT' ? at : null,
      smtp_code: state === 'SENT' ? 250 : 550,
      smtp_reply: null,
      message_id: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    });
    await rawWrite(
      fixture.store,
      fixture.store.db
        .insertInto('delivery')
        .values([
          delivery('a@example.nl', 'SENT'),
          delivery('b@example.nl', 'SENT'),
          delivery('c@example.nl', 'FAILED'),
        ]),
    );
    await rawWrite(
      fixture.store,
      fixture.store.db.insertInto('bounce').values({
        address_hash: addressHash('c@example.nl'),
        contact_id: null,
        mailing_id: fixture.mailingId,
        delivery_id: null,
        kind: 'HARD',
        status: '5.1.1',
        diagnostic: null,
        received_at: at,
        created_at: at,
      }),
    );
    await rawWrite(
      fixture.store,
      fixture.store.db.insertInto('complaint').values({
        address_hash: addressHash('a@example.nl'),
        contact_id: null,
        mailing_id: fixture.mailingId,
        delivery_id: null,
        source: 'ARF',
        received_at: at,
        reference: null,
        detail: null,
        created_at: at,
      }),
    );
    await rawWrite(
      fixture.store,
      fixture.store.db.insertInto('suppression').values({
        address_hash: addressHash('b@example.nl'),
        reason: 'UNSUBSCRIBED',
        source: 'UNSUBSCRIBE_LINK',
        note: null,
        created_at: at,
      }),
    );

    const detail = await getAcknowledgementDetail(fixture.store.db, signed.id);
    expect(detail).toMatchObject({
      signerName: 'Anna de Vries',
      signerRole: 'eigenaar',
      signedAt: '2026-11-28T10:00:00.000Z',
      mailing: { subject: 'Kerstbrood' },
    });
    expect(detail.counts).toEqual({
      total: 3,
      byMethod: { PHONE: 2, WEB_SOI: 1 },
      byReason: { P1: 2, S1: 1 },
    });
    expect(detail.outcome).toEqual({
      covered: 3,
      delivered: 2,
      notDelivered: 1,
      pending: 0,
      hardBounces: 1,
      softBounces: 0,
      complaints: 1,
      unsubscribes: 1,
    });
    const byHash = new Map(detail.recipients.map((item) => [item.addressHash, item]));
    expect(byHash.get(addressHash('b@example.nl'))).toMatchObject({
      method: 'WEB_SOI',
      reasons: ['S1'],
      suppressions: [{ reason: 'UNSUBSCRIBED' }],
    });
    expect(byHash.get(addressHash('c@example.nl'))?.bounces).toEqual([
      { kind: 'HARD', status: '5.1.1', receivedAt: at },
    ]);
  });

  it('refuses an unknown id with a message that says how to find one', async () => {
    await expect(getAcknowledgementDetail(fixture.store.db, 'nope')).rejects.toSatisfy(
      (error) => isUserError(error) && error.code === 'ACK_NOT_FOUND',
    );
  });

  it('exports a year as PDF + JSON with an index, and every JSON verifies after the database is gone', async () => {
    const { first, third } = await seedThreeAcknowledgements();
    const out = join(fixture.dir, 'accountant');
    const result = await exportAcknowledgementYear(fixture.store.db, { year: 2026, dir: out });
    expect(result.count).toBe(2);
    const files = readdirSync(result.dir).sort();
    expect(files).toContain('index.csv');
    expect(files).toContain('index.json');
    expect(files).toContain('README.txt');
    expect(files.filter((file) => file.endsWith('.pdf'))).toHaveLength(2);
    expect(files.filter((file) => file.endsWith('.partial'))).toEqual([]);
    const csv = readFileSync(result.index.csv, 'utf8');
    expect(csv).toContain(first.verificationCode);
    expect(csv).toContain(third.verificationCode);
    expect(csv.split('\r\n')[0]).toContain('"signedAt","signer","role","legalName","kvkNumber"');

    // No database on the accountant's machine: close and delete it, then verify from the files alone.
    await fixture.store.close();
    rmSync(join(fixture.dir, 'consent-mailer.sqlite'), { force: true });
    expect(existsSync(join(fixture.dir, 'consent-mailer.sqlite'))).toBe(false);
    for (const file of files.filter((name) => name.endsWith('.json') && name !== 'index.json')) {
      const result = verifyEvidenceBundleText(readFileSync(join(out, 'acknowledgements-2026', file), 'utf8'));
      expect(result.problems, file).toEqual([]);
    }
    fixture.close = () => {
      rmSync(fixture.dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  }, 60_000); // two PDFs with embedded fonts: seconds on a busy 2-core machine

  it('says so when a year has nothing to export', async () => {
    await expect(
      exportAcknowledgementYear(fixture.store.db, { year: 2020, dir: fixture.dir }),
    ).rejects.toSatisfy((error) => isUserError(error) && error.code === 'ACK_EXPORT_EMPTY');
  });
});
