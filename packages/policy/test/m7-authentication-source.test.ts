import { describe, expect, it } from 'vitest';
import { assessMailing, explainReason, type MailingFacts } from '../src/index.js';
import { MAILING, NOW, doi, goodFacts } from '../src/testing/index.js';

function m7(authentication: MailingFacts['authentication']) {
  const assessment = assessMailing(
    {
      mailing: MAILING,
      facts: goodFacts({ authentication }),
      recipients: [{ contact: doi(), firstMarketingMailing: true }],
    },
    { now: NOW },
  );
  const reason = assessment.reasons.find((r) => r.code === 'M7');
  if (!reason) throw new Error('no M7');
  return { reason, en: explainReason(reason, 'en'), nl: explainReason(reason, 'nl') };
}

const failing = { spfPass: false, dkimPass: false, dmarcPresent: false, aligned: false };

describe('M7 says where its SPF / DKIM / DMARC results come from', () => {
  it('checked in DNS, with the time of the check', () => {
    const { reason, en, nl } = m7({ ...failing, source: 'DNS', checkedAt: '2026-11-30T09:00:00Z' });
    expect(reason.classification).toBe('BLOCKED');
    expect(en).toMatch(/Checked in DNS on .*2026/);
    expect(nl).toMatch(/Gecontroleerd in de DNS op .*2026/);
  });

  it('only declared by the owner: "declared, not checked"', () => {
    const { en, nl } = m7({
      spfPass: true,
      dkimPass: true,
      dmarcPresent: false,
      aligned: true,
      source: 'DECLARED',
    });
    expect(en).toContain('Declared, not checked');
    expect(nl).toContain('Opgegeven, niet gecontroleerd');
  });

  it('the last DNS check when DNS could not be reached', () => {
    const { en } = m7({ ...failing, source: 'CACHED', checkedAt: '2026-11-01T09:00:00Z' });
    expect(en).toContain('DNS could not be reached; this is the last DNS check');
  });

  it('says nothing about the source when it is not given (older callers)', () => {
    const { en } = m7(failing);
    expect(en).not.toMatch(/DNS on|Declared/);
  });
});
