import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMailing } from '@consent-mailer/store/testing';
import { renderAcknowledgementPdf } from '../src/acknowledgement/acknowledgement-pdf.js';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import { buildEvidenceBundle } from '../src/acknowledgement/evidence-export.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  phoneContact,
  webSoiContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';
import { pdfText } from './pdf-text.js';

describe('the acknowledgement PDF', () => {
  let fixture: AcknowledgementFixture;
  let code: string;
  let fingerprint = '';
  let text: { nl: string; en: string };

  beforeAll(async () => {
    fixture = await createAcknowledgementFixture();
    const contacts = [
      phoneContact('piet@example.nl'),
      phoneContact('kees@example.nl'),
      webSoiContact('sara@example.nl'),
    ];
    const pdfs: Partial<Record<'nl' | 'en', string>> = {};
    for (const lang of ['nl', 'en'] as const) {
      await seedMailing(fixture.store.db, {
        id: `mailing-${lang}`,
        senderEntityId: fixture.entityId,
        listId: fixture.listId,
        name: `Nieuwsbrief ${lang}`,
        subject: 'Kerstbrood voor {{firstName}}',
        at: '2026-11-01T00:00:00.000Z',
      });
      const signed = await signAcknowledgement(fixture.ctx, {
        mailingId: `mailing-${lang}`,
        assessment: assess(contacts, fixture.now.value, { mailingId: `mailing-${lang}` }),
        // The English one has a name outside Latin-1: it must come out of the PDF as written.
        signer: {
          name: lang === 'nl' ? 'Anna de Vries' : 'Łukasz Wiśniewski',
          role: lang === 'nl' ? 'directeur' : 'director',
        },
        lang,
        confirmedStatementIds: ALL_STATEMENTS,
      });
      code = signed.verificationCode;
      fingerprint = signed.keyFingerprint;
      const path = join(fixture.dir, `${lang}.pdf`);
      writeFileSync(
        path,
        await renderAcknowledgementPdf(await buildEvidenceBundle(fixture.store.db, signed.id)),
      );
      pdfs[lang] = pdfText(path);
    }
    text = { nl: pdfs.nl ?? '', en: pdfs.en ?? '' };
  }, 60_000);
  afterAll(async () => {
    await fixture.close();
  });

  it('shows the signer, the entity, the date and the verification code', () => {
    expect(text.en).toContain('Risk-transfer acknowledgement');
    expect(text.en).toContain('Łukasz Wiśniewski (director)');
    expect(text.en).toContain('Bakkerij Jansen B.V.');
    expect(text.en).toContain('12345678');
    expect(text.en).toContain('28 November 2026');
    expect(text.en).toContain('2026-11-28T10:00:00.000Z');
    expect(text.en).toContain(code);
  });

  it('prints the signing key fingerprint and how to obtain it independently, in both languages', () => {
    // pdftotext may wrap the long fingerprint: compare without whitespace.
    expect(text.en.replace(/\s/g, '')).toContain(`Signingkeyfingerprint:${fingerprint}`);
    expect(text.en).toMatch(/consent-mailer\s+acknowledgements\s+key/);
    expect(text.en).toMatch(/read\s+the\s+fingerprint\s+out\s+to\s+you\s+by\s+phone/);
    expect(text.en).toContain('--key');
    expect(text.nl.replace(/\s/g, '')).toContain(`Vingerafdrukvandeondertekeningssleutel:${fingerprint}`);
    expect(text.nl).toMatch(/consent-mailer\s+acknowledgements\s+key/);
    expect(text.nl).toMatch(/telefonisch\s+aan\s+u\s+voorlezen/);
  });

  it('shows the counts per consent method and per reason', () => {
    expect(text.en).toMatch(/Recipients covered:\s*3/);
    expect(text.en).toMatch(/\(PHONE\): 2/);
    expect(text.en).toMatch(/\(WEB_SOI\): 1/);
    expect(text.en).toMatch(/P1 .*: 2/);
    expect(text.en).toMatch(/S1 .*: 1/);
  });

  it('is in Dutch when signed in Dutch, with the signed text itself', () => {
    expect(text.nl).toContain('Verklaring risico-overdracht');
    expect(text.nl).toContain('Ondertekend door: Anna de Vries (directeur)');
    expect(text.nl).toContain('28 november 2026');
    expect(text.nl).toContain('VERKLARING RISICO-OVERDRACHT');
    expect(text.nl).toMatch(/Gedekte ontvangers:\s*3/);
  });

  it('names the mailing by its subject with the merge fields in words, as the signer read it', () => {
    expect(text.nl).toContain('"Kerstbrood voor [voornaam]"');
    expect(text.en).toContain('"Kerstbrood voor [first name]"');
    expect(text.nl + text.en).not.toContain('{{');
  });
});
