import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assessMailing, type ContactRecord } from '@consent-mailer/policy';
import { addressHash } from '@consent-mailer/store';
import { rawWrite } from '@consent-mailer/store/testing';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import {
  checkAcknowledgementCoverage,
  findCoveringAcknowledgement,
} from '../src/acknowledgement/coverage.js';
import {
  ALL_STATEMENTS,
  ENTITY_ID,
  GOOD_FACTS,
  LIST_ID,
  assess,
  createAcknowledgementFixture,
  doubleOptInContact,
  insertMailing,
  phoneContact,
  webSoiContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';

describe('which acknowledgement covers a mailing', () => {
  let fixture: AcknowledgementFixture;
  beforeEach(async () => {
    fixture = await createAcknowledgementFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const recipients = (): ContactRecord[] => [
    phoneContact('piet@example.nl'),
    webSoiContact('sara@example.nl'),
    doubleOptInContact('jan@example.nl'),
  ];

  async function sign(contacts: ContactRecord[]) {
    const assessment = assess(contacts, fixture.now.value);
    const signed = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment,
      signer: { name: 'Anna de Vries', role: 'directeur' },
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS,
    });
    return { assessment, signed };
  }

  const later = (hours: number) => new Date(fixture.now.value.getTime() + hours * 3_600_000);

  it('finds nothing before anyone signed', async () => {
    const assessment = assess(recipients(), fixture.now.value);
    const query = {
      mailingId: fixture.mailingId,
      recipientSetHash: assessment.recipientSetHash,
      now: fixture.now.value,
    };
    expect(await findCoveringAcknowledgement(fixture.ctx, query)).toBeUndefined();
    expect((await checkAcknowledgementCoverage(fixture.ctx, query)).status).toBe('MISSING');
  });

  it('covers exactly the recipient set it was signed for, and the policy then includes those recipients', async () => {
    const { assessment, signed } = await sign(recipients());
    const covering = await findCoveringAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      recipientSetHash: assessment.recipientSetHash,
      now: later(1),
    });
    expect(covering).toMatchObject({ id: signed.id, signerName: 'Anna de Vries', recipientCount: 2 });
    // Handing it to the policy includes exactly the two TRANSFER_RISK recipients besides the proven one.
    const withSignature = assessMailing(
      {
        mailing: { id: fixture.mailingId, senderEntityId: ENTITY_ID, listId: LIST_ID, content: 'MARKETING' },
        facts: GOOD_FACTS,
        recipients: recipients().map((contact) => ({ contact, firstMarketingMailing: false })),
        acknowledgement: {
          recipientSetHash: covering?.recipientSetHash ?? '',
          signedAt: covering?.signedAt ?? '',
        },
      },
      { now: later(1) },
    );
    expect(withSignature.acknowledgementStatus).toBe('VALID');
    expect(withSignature.included.map((item) => item.email).sort()).toEqual([
      'jan@example.nl',
      'piet@example.nl',
      'sara@example.nl',
    ]);
    expect(withSignature.needsAcknowledgement).toEqual([]);
  });

  it('does not cover a changed set: a new contact, or changed evidence that moves a contact out', async () => {
    await sign(recipients());
    const added = assess([...recipients(), phoneContact('nieuw@example.nl')], later(1));
    const upgraded = assess(
      [
        doubleOptInContact('piet@example.nl'),
        webSoiContact('sara@example.nl'),
        doubleOptInContact('jan@example.nl'),
      ],
      later(1),
    );
    for (const changed of [added, upgraded]) {
      const query = {
        mailingId: fixture.mailingId,
        recipientSetHash: changed.recipientSetHash,
        now: later(1),
      };
      expect(await findCoveringAcknowledgement(fixture.ctx, query)).toBeUndefined();
      expect((await checkAcknowledgementCoverage(fixture.ctx, query)).status).toBe('MISMATCH');
    }
  });

  it('does not cover the same addresses with changed evidence when the recipients are passed', async () => {
    const { assessment } = await sign(recipients());
    // piet's consent is now on paper instead of by phone: same address, same set hash, other evidence.
    const paper: ContactRecord = {
      ...phoneContact('piet@example.nl'),
      method: 'PAPER',
      paperScanRef: 'scan-1',
    };
    const changed = assess(
      [paper, webSoiContact('sara@example.nl'), doubleOptInContact('jan@example.nl')],
      later(1),
    );
    expect(changed.recipientSetHash).toBe(assessment.recipientSetHash);
    const risky = (from: typeof changed) => [...from.needsAcknowledgement];
    const query = { mailingId: fixture.mailingId, recipientSetHash: changed.recipientSetHash, now: later(1) };
    expect(
      await findCoveringAcknowledgement(fixture.ctx, { ...query, recipients: risky(assessment) }),
    ).toBeDefined();
    expect(
      (await checkAcknowledgementCoverage(fixture.ctx, { ...query, recipients: risky(changed) })).status,
    ).toBe('MISMATCH');
    // …and a new signature for the changed evidence is accepted and covers it.
    fixture.now.value = later(2);
    const resigned = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment: changed,
      signer: { name: 'Anna de Vries', role: 'directeur' },
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS,
    });
    expect(
      await findCoveringAcknowledgement(fixture.ctx, { ...query, now: later(1), recipients: risky(changed) }),
    ).toMatchObject({ id: resigned.id });
  });

  it('does not cover another mailing with the same recipients', async () => {
    const { assessment } = await sign(recipients());
    await insertMailing(fixture.store, 'mailing-2', 'Paasbrood');
    expect(
      await findCoveringAcknowledgement(fixture.ctx, {
        mailingId: 'mailing-2',
        recipientSetHash: assessment.recipientSetHash,
        now: later(1),
      }),
    ).toBeUndefined();
  });

  describe('lapses', () => {
    async function complaint(
      source: 'SPAMKLACHT' | 'HOSTER' | 'DATACENTER' | 'ARF',
      receivedAt: Date,
      mailingId: string | null = null,
    ) {
      await rawWrite(
        fixture.store,
        fixture.store.db.insertInto('complaint').values({
          address_hash: null,
          contact_id: null,
          mailing_id: mailingId,
          delivery_id: null,
          source,
          received_at: receivedAt.toISOString(),
          reference: null,
          detail: null,
          created_at: receivedAt.toISOString(),
        }),
      );
    }

    it('M13: an abuse notice received after signing makes it lapse, and the lapse is recorded', async () => {
      const { assessment, signed } = await sign(recipients());
      const query = {
        mailingId: fixture.mailingId,
        recipientSetHash: assessment.recipientSetHash,
        now: later(48),
      };
      expect(await findCoveringAcknowledgement(fixture.ctx, query)).toBeDefined();
      await complaint('SPAMKLACHT', later(24));
      const check = await checkAcknowledgementCoverage(fixture.ctx, query);
      expect(check.status).toBe('LAPSED');
      expect(check.lapse?.rule).toBe('M13');
      const row = await fixture.store.db
        .selectFrom('acknowledgement')
        .select(['lapsed_at', 'lapse_reason'])
        .where('id', '=', signed.id)
        .executeTakeFirstOrThrow();
      expect(row.lapse_reason).toMatch(/^M13 /);
      const events = await fixture.store.db
        .selectFrom('event')
        .select('type')
        .where('entity_id', '=', signed.id)
        .execute();
      expect(events.map((event) => event.type)).toEqual(['acknowledgement.signed', 'acknowledgement.lapsed']);
    });

    it('M13: a notice known when signing does not make it lapse, nor does an ordinary ARF complaint', async () => {
      await complaint('HOSTER', new Date(fixture.now.value.getTime() - 3_600_000));
      const { assessment } = await sign(recipients());
      await complaint('ARF', later(2));
      expect(
        await findCoveringAcknowledgement(fixture.ctx, {
          mailingId: fixture.mailingId,
          recipientSetHash: assessment.recipientSetHash,
          now: later(3),
        }),
      ).toBeDefined();
    });

    it('M10: the previous marketing mailing reaching 0.3% complaints makes it lapse; 0.2% does not', async () => {
      const { assessment } = await sign(recipients());
      await insertMailing(fixture.store, 'previous', 'Oktober');
      const sentAt = later(1).toISOString();
      const rows = Array.from({ length: 1000 }, (_, index) => ({
        mailing_id: 'previous',
        contact_id: null,
        email: null,
        address_hash: addressHash(`r${index}@example.nl`),
        classification: null,
        acknowledgement_id: null,
        state: 'SENT' as const,
        next_attempt_at: null,
        claimed_at: null,
        claimed_by: null,
        sent_at: sentAt,
        smtp_code: 250,
        smtp_reply: null,
        message_id: null,
        last_error: null,
        created_at: sentAt,
        updated_at: sentAt,
      }));
      for (let start = 0; start < rows.length; start += 100)
        await rawWrite(
          fixture.store,
          fixture.store.db.insertInto('delivery').values(rows.slice(start, start + 100)),
        );
      const query = {
        mailingId: fixture.mailingId,
        recipientSetHash: assessment.recipientSetHash,
        now: later(5),
      };
      await complaint('ARF', later(2), 'previous');
      await complaint('ARF', later(2), 'previous');
      expect(await findCoveringAcknowledgement(fixture.ctx, query)).toBeDefined();
      await complaint('ARF', later(3), 'previous');
      const check = await checkAcknowledgementCoverage(fixture.ctx, query);
      expect(check.status).toBe('LAPSED');
      expect(check.lapse?.rule).toBe('M10');
    });

    it('M14: a blocklisting reported by the caller makes it lapse for good', async () => {
      const { assessment } = await sign(recipients());
      const query = {
        mailingId: fixture.mailingId,
        recipientSetHash: assessment.recipientSetHash,
        now: later(1),
      };
      expect(
        await findCoveringAcknowledgement(fixture.ctx, { ...query, facts: { blocklisted: false } }),
      ).toBeDefined();
      const check = await checkAcknowledgementCoverage(fixture.ctx, {
        ...query,
        facts: { blocklisted: true },
      });
      expect(check.lapse?.rule).toBe('M14');
      // Delisted again: the signature stays lapsed; a new one is needed.
      expect(
        await findCoveringAcknowledgement(fixture.ctx, { ...query, facts: { blocklisted: false } }),
      ).toBeUndefined();
    });

    it('a new signature after a lapse covers again', async () => {
      const { assessment } = await sign(recipients());
      const query = {
        mailingId: fixture.mailingId,
        recipientSetHash: assessment.recipientSetHash,
        now: later(1),
      };
      await checkAcknowledgementCoverage(fixture.ctx, { ...query, facts: { blocklisted: true } });
      fixture.now.value = later(2);
      const { signed } = await sign(recipients());
      expect(await findCoveringAcknowledgement(fixture.ctx, { ...query, now: later(3) })).toMatchObject({
        id: signed.id,
      });
    });
  });
});
