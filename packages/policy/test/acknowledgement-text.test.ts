import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ACKNOWLEDGEMENT_STATEMENT_IDS,
  assessMailing,
  renderAcknowledgement,
  type RenderAcknowledgementInput,
} from '../src/index.js';
import { MAILING, NOW, doi, goodFacts, imported, phone, soi } from '../src/testing/index.js';

const assessment = assessMailing(
  {
    mailing: MAILING,
    facts: goodFacts(),
    recipients: [
      doi(),
      soi({ email: 'a@x.nl' }),
      soi({ email: 'b@x.nl' }),
      phone({ email: 'c@x.nl' }),
      imported({ email: 'd@x.nl', attestationId: 'att' }),
    ].map((contact) => ({ contact, firstMarketingMailing: false })),
  },
  { now: NOW },
);

function input(over: Partial<RenderAcknowledgementInput> = {}): RenderAcknowledgementInput {
  return {
    assessment,
    signer: { name: 'Anna de Vries', role: 'directeur' },
    entity: { legalName: 'Bakkerij Jansen B.V.', kvkNumber: '1234 5678' },
    mailing: { id: MAILING.id, subject: 'Kerstbrood' },
    signedAt: '2026-11-28T12:00:00Z',
    lang: 'nl',
    ...over,
  };
}

describe('renderAcknowledgement', () => {
  it.each(['nl', 'en'] as const)('renders every element of section 6 in %s', (lang) => {
    const ack = renderAcknowledgement(input({ lang }));
    expect(ack.textVersionId).toBe(`ack-${lang}-2026.11.1`);
    expect(ack.sha256).toBe(createHash('sha256').update(ack.text, 'utf8').digest('hex'));
    for (const part of [
      'Bakkerij Jansen B.V.',
      '12345678',
      'Anna de Vries',
      'directeur',
      'mailing-1',
      'Kerstbrood',
      assessment.recipientSetHash,
      assessment.policyVersion,
      ack.textVersionId,
      '(WEB_SOI): 2',
      '(PHONE): 1',
      '(IMPORTED_UNKNOWN): 1',
      'S1',
      'P1',
      'U2',
      'spamklacht.nl',
      '900',
    ]) {
      expect(ack.text).toContain(part);
    }
    expect(ack.text).toContain(lang === 'nl' ? '28 november 2026 om 13:00' : '28 November 2026 at 13:00');
    expect(ack.text).toContain(lang === 'nl' ? 'precies deze 4 ontvangers' : 'exactly these 4 recipients');
    expect(ack.statements.map((s) => s.id)).toEqual([...ACKNOWLEDGEMENT_STATEMENT_IDS]);
    for (const statement of ack.statements) expect(ack.text).toContain(statement.text);
  });

  it('the same input gives the same text and hash; any change gives another hash', () => {
    expect(renderAcknowledgement(input()).sha256).toBe(renderAcknowledgement(input()).sha256);
    expect(
      renderAcknowledgement(input({ signer: { name: 'Anna de Vries', role: 'eigenaar' } })).sha256,
    ).not.toBe(renderAcknowledgement(input()).sha256);
  });

  it.each<[string, Partial<RenderAcknowledgementInput>, string]>([
    ['an empty signer name', { signer: { name: ' ', role: 'directeur' } }, 'acknowledgement.signer.name'],
    [
      'a KvK number of 7 digits',
      { entity: { legalName: 'X B.V.', kvkNumber: '1234567' } },
      'acknowledgement.entity.kvkNumber',
    ],
    ['an invalid date', { signedAt: 'gisteren' }, 'acknowledgement.signedAt'],
  ])('refuses %s, naming the field', (_name, over, field) => {
    expect(() => renderAcknowledgement(input(over))).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID_INPUT', message: expect.stringContaining(field) }),
    );
  });

  it('refuses an assessment of another mailing', () => {
    expect(() => renderAcknowledgement(input({ mailing: { id: 'other' } }))).toThrow(
      expect.objectContaining({ code: 'POLICY_ACK_MAILING_MISMATCH' }),
    );
  });

  it('refuses when there is nothing to cover', () => {
    const clean = assessMailing(
      {
        mailing: MAILING,
        facts: goodFacts(),
        recipients: [{ contact: doi(), firstMarketingMailing: false }],
      },
      { now: NOW },
    );
    expect(() => renderAcknowledgement(input({ assessment: clean }))).toThrow(
      expect.objectContaining({ code: 'POLICY_ACK_NOTHING_TO_COVER' }),
    );
  });
});
