import { describeMergeFields } from '@consent-mailer/mailer';
import {
  CONSENT_METHODS,
  CONTACT_REASON_CODES,
  describeMethod,
  reasonTitle,
  type Lang,
} from '@consent-mailer/policy';
import { openPdf } from '../pdf-document.js';
import { canonicalSha256 } from './canonical-json.js';
import type { EvidenceBundle } from './evidence-bundle.js';

const LABELS = {
  en: {
    title: 'Risk-transfer acknowledgement',
    code: 'Verification code',
    signer: 'Signed by',
    entity: 'Legal entity',
    kvk: 'KvK number',
    signedAt: 'Signed at',
    mailing: 'Mailing',
    policy: 'Policy version',
    textVersion: 'Text version',
    recipients: 'Recipients covered',
    byMethod: 'By consent method',
    byReason: 'By reason',
    statements: 'Statements confirmed one by one',
    hashes: 'Hashes and key',
    textHash: 'Text (sha256)',
    setHash: 'Recipient set (sha256)',
    listHash: 'Recipient list (sha256)',
    documentHash: 'Signed document (sha256)',
    key: 'Public key (Ed25519)',
    signature: 'Signature (base64)',
    drawn: 'Drawn signature',
    text: 'Text as signed',
    verify:
      "Check this acknowledgement with its JSON evidence bundle and the business's key: consent-mailer verify FILE.json --key FINGERPRINT. The verification code must match.",
    fingerprint: 'Signing key fingerprint',
    obtainKey:
      'Do not take the fingerprint from this PDF or from the JSON file: whoever could edit them could also sign them again with a new key. Obtain it independently: ask the business to run "consent-mailer acknowledgements key" on its own machine (or to open the signing key in the app\'s settings) and read the fingerprint out to you by phone, or get it in a letter you know comes from them. It must equal the fingerprint above; only then does "verify --key" prove that this business signed.',
    confirmed: 'confirmed',
  },
  nl: {
    title: 'Verklaring risico-overdracht',
    code: 'Verificatiecode',
    signer: 'Ondertekend door',
    entity: 'Rechtspersoon',
    kvk: 'KvK-nummer',
    signedAt: 'Ondertekend op',
    mailing: 'Mailing',
    policy: 'Beleidsversie',
    textVersion: 'Tekstversie',
    recipients: 'Gedekte ontvangers',
    byMethod: 'Per manier van toestemming',
    byReason: 'Per reden',
    statements: 'Verklaringen, elk apart bevestigd',
    hashes: 'Hashes en sleutel',
    textHash: 'Tekst (sha256)',
    setHash: 'Ontvangersset (sha256)',
    listHash: 'Ontvangerslijst (sha256)',
    documentHash: 'Ondertekend document (sha256)',
    key: 'Publieke sleutel (Ed25519)',
    signature: 'Handtekening (base64)',
    drawn: 'Getekende handtekening',
    text: 'Tekst zoals ondertekend',
    verify:
      'Controleer deze verklaring met haar JSON-bewijsbundel en de sleutel van het bedrijf: consent-mailer verify BESTAND.json --key VINGERAFDRUK. De verificatiecode moet overeenkomen.',
    fingerprint: 'Vingerafdruk van de ondertekeningssleutel',
    obtainKey:
      'Neem de vingerafdruk niet over uit deze pdf of uit het JSON-bestand: wie die kan bewerken, kan ze ook opnieuw ondertekenen met een nieuwe sleutel. Vraag hem langs een andere weg op: laat het bedrijf op de eigen computer "consent-mailer acknowledgements key" uitvoeren (of de ondertekeningssleutel openen in de instellingen van de app) en de vingerafdruk telefonisch aan u voorlezen, of krijg hem in een brief waarvan u weet dat die van het bedrijf komt. Hij moet gelijk zijn aan de vingerafdruk hierboven; pas dan bewijst "verify --key" dat dit bedrijf heeft getekend.',
    confirmed: 'bevestigd',
  },
} as const;

const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Amsterdam',
  }),
  nl: new Intl.DateTimeFormat('nl-NL', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Amsterdam',
  }),
};

/**
 * The PDF of an acknowledgement for people: verification code, signer, entity and KvK number, time,
 * mailing, counts per method and reason, the confirmed statements, hashes, key fingerprint and signature,
 * the drawn signature when there is one, and the full text as signed. Built from the evidence bundle, so the
 * PDF never shows anything the JSON cannot prove. Labels follow the language the text was signed in.
 * The PDF's dates are the signing time, so the same acknowledgement always gives the same content.
 *
 * @example
 * const pdf = await renderAcknowledgementPdf(bundle);
 * await writeFile('acknowledgement.pdf', pdf);
 */
export async function renderAcknowledgementPdf(bundle: EvidenceBundle): Promise<Buffer> {
  const document = bundle.acknowledgement;
  const lang: Lang = document.language;
  const label = LABELS[lang];
  const signedAt = new Date(document.signedAt);
  const { pdf, done } = openPdf({
    margin: 50,
    info: {
      Title: `${label.title} ${bundle.verificationCode}`,
      Author: `${document.signer.name} (${document.entity.legalName})`,
      Subject: `${document.mailing.name} (${document.mailing.id})`,
      CreationDate: signedAt,
      ModDate: signedAt,
    },
  });

  pdf.font('bold').fontSize(18).text(label.title);
  pdf.moveDown(0.3);
  pdf
    .font('regular')
    .fontSize(11)
    .text(`${label.code}: `, { continued: true })
    .font('mono')
    .text(bundle.verificationCode);
  // The fingerprint up front: the accountant compares it with the one the business reads out (obtainKey).
  pdf
    .font('regular')
    .fontSize(11)
    .text(`${label.fingerprint}: `, { continued: true })
    .font('mono')
    .fontSize(9)
    .text(document.signingKey.fingerprint);
  pdf.fontSize(10);
  pdf.moveDown();

  const row = (name: string, value: string) => {
    pdf.font('bold').fontSize(10).text(`${name}: `, { continued: true }).font('regular').text(value);
  };
  row(label.signer, `${document.signer.name} (${document.signer.role})`);
  row(label.entity, document.entity.legalName);
  row(label.kvk, document.entity.kvkNumber);
  row(label.signedAt, `${DATE_TIME[lang].format(signedAt)} (${document.signedAt})`);
  // In words also for a document signed before it named the subject so (acknowledgement-review.ts does the same).
  const subject = describeMergeFields(document.mailing.subject, lang);
  row(label.mailing, `${document.mailing.name}: "${subject}" (${document.mailing.id})`);
  row(label.policy, document.policyVersion);
  row(label.textVersion, document.text.versionId);
  row(label.recipients, String(document.recipients.count));
  pdf.moveDown(0.5);

  pdf.font('bold').text(label.byMethod);
  for (const method of CONSENT_METHODS) {
    const count = document.recipients.byMethod[method];
    if (count !== undefined)
      pdf.font('regular').text(`${describeMethod(method, lang)} (${method}): ${count}`, { indent: 12 });
  }
  pdf.font('bold').text(label.byReason);
  for (const code of CONTACT_REASON_CODES) {
    const count = document.recipients.byReason[code];
    if (count !== undefined)
      pdf.font('regular').text(`${code} ${reasonTitle(code, lang)}: ${count}`, { indent: 12 });
  }
  pdf.moveDown(0.5);

  pdf.font('bold').text(label.statements);
  for (const statement of document.statements) {
    pdf
      .font('regular')
      .text(`[${statement.confirmed ? label.confirmed : '-'}] ${statement.text}`, { indent: 12 });
  }
  pdf.moveDown(0.5);

  pdf.font('bold').text(label.hashes);
  const hash = (name: string, value: string) => {
    pdf.font('regular').fontSize(9).text(`${name}:`, { indent: 12 });
    pdf.font('mono').fontSize(8).text(value, { indent: 24 });
  };
  hash(label.textHash, document.text.sha256);
  hash(label.setHash, document.recipients.setHash);
  hash(label.listHash, document.recipients.listHash);
  hash(label.documentHash, canonicalSha256(document));
  hash(label.key, document.signingKey.fingerprint);
  hash(label.signature, bundle.signature.value);
  pdf.fontSize(10);

  if (document.signatureImage !== null) {
    pdf.moveDown(0.5);
    pdf.font('bold').text(label.drawn);
    const png = Buffer.from(
      document.signatureImage.slice(document.signatureImage.indexOf(',') + 1),
      'base64',
    );
    pdf.image(png, { fit: [200, 80] });
  }

  pdf.moveDown();
  pdf.font('regular').fontSize(9).text(label.verify);
  pdf.moveDown(0.3);
  pdf.font('regular').fontSize(9).text(label.obtainKey);

  pdf.addPage();
  pdf.font('bold').fontSize(12).text(label.text);
  pdf.moveDown(0.5);
  pdf.font('regular').fontSize(9).text(document.text.body);

  return done();
}
