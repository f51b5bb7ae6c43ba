import { describeMethod, type Lang } from '@consent-mailer/policy';
import type { ChainAnchor, PersonEvidence } from '@consent-mailer/store';
import { openPdf } from '../pdf-document.js';
import { mailingBasis } from './legal-basis.js';

const LABELS = {
  en: {
    title: 'Proof of permission to mail',
    person: 'Person',
    addressHash: 'Address (sha256)',
    made: 'Made at',
    consents: 'Recorded permission',
    method: 'How',
    given: 'Given / signed up',
    confirmed: 'Confirmed',
    form: 'Sign-up form',
    text: 'Text shown',
    withdrawn: 'Withdrawn / objected',
    mailings: 'Mailings',
    none: 'none',
    complaints: 'Complaints',
    suppressions: 'Never mailed again because',
    chain: 'Event chain',
    events: (n: number, from: number, to: number) =>
      `${n} events about this person; the chain from event ${from} up to the signed head ${to} is enclosed.`,
    head: 'Signed head',
    key: 'Installation key',
    verify:
      'Check the bundle without the app: consent-mailer verify BUNDLE.zip --key FINGERPRINT. Get the fingerprint from the business itself (by phone or letter), not from this document.',
  },
  nl: {
    title: 'Bewijs van toestemming om te mailen',
    person: 'Persoon',
    addressHash: 'Adres (sha256)',
    made: 'Gemaakt op',
    consents: 'Vastgelegde toestemming',
    method: 'Hoe',
    given: 'Gegeven / aangemeld',
    confirmed: 'Bevestigd',
    form: 'Aanmeldformulier',
    text: 'Getoonde tekst',
    withdrawn: 'Ingetrokken / bezwaar',
    mailings: 'Mailings',
    none: 'geen',
    complaints: 'Klachten',
    suppressions: 'Wordt nooit meer gemaild, omdat',
    chain: 'Gebeurtenisketen',
    events: (n: number, from: number, to: number) =>
      `${n} gebeurtenissen over deze persoon; de keten van gebeurtenis ${from} tot en met de ondertekende kop ${to} is bijgevoegd.`,
    head: 'Ondertekende kop',
    key: 'Sleutel van de installatie',
    verify:
      'Controleer de bundel zonder de app: consent-mailer verify BUNDEL.zip --key VINGERAFDRUK. Vraag de vingerafdruk aan het bedrijf zelf (telefonisch of per brief), neem hem niet uit dit document over.',
  },
} as const;

/**
 * The readable summary of a proof bundle (Dutch or English), drawn from the same evidence as the files
 * beside it. Dates are those of the bundle, so the same evidence gives the same content.
 *
 * @example
 * const pdf = await renderProofPdf(evidence, anchor, key.fingerprint, 'nl', createdAt);
 */
export async function renderProofPdf(
  evidence: PersonEvidence,
  anchor: ChainAnchor,
  fingerprint: string,
  lang: Lang,
  createdAt: string,
): Promise<Buffer> {
  const label = LABELS[lang];
  const { contact, consents } = evidence.detail;
  const made = new Date(createdAt);
  const { pdf, done } = openPdf({
    margin: 50,
    info: { Title: label.title, CreationDate: made, ModDate: made },
  });
  const row = (name: string, value: string) =>
    pdf.font('bold').fontSize(10).text(`${name}: `, { continued: true }).font('regular').text(value);
  const heading = (text: string) => {
    pdf.moveDown(0.6);
    pdf.font('bold').fontSize(12).text(text);
    pdf.fontSize(10);
  };

  pdf.font('bold').fontSize(18).text(label.title);
  pdf.moveDown(0.3);
  row(label.person, contact.email);
  row(label.addressHash, contact.address_hash);
  row(label.made, createdAt);

  heading(label.consents);
  for (const consent of consents) {
    const entity = evidence.entities.find((e) => e.id === consent.sender_entity_id);
    pdf.font('bold').text(entity?.legal_name ?? consent.sender_entity_id);
    row(label.method, describeMethod(consent.method, lang));
    row(label.given, consent.signup_at ?? consent.order_at ?? consent.created_at);
    if (consent.confirmed_at !== null) row(label.confirmed, consent.confirmed_at);
    if (consent.source !== null) row(label.form, consent.source);
    for (const id of [consent.consent_text_version_id, consent.collection_text_version_id]) {
      const text = evidence.texts.find((t) => t.id === id);
      if (text) row(label.text, `${text.label} (${text.language}, sha256 ${text.id.slice(0, 16)}…)`);
    }
    const withdrawn = consent.objected_at ?? consent.unsubscribed_at ?? consent.complaint_at;
    if (withdrawn !== null) row(label.withdrawn, withdrawn);
  }

  heading(label.mailings);
  if (evidence.deliveries.length === 0) pdf.font('regular').text(label.none);
  for (const delivery of evidence.deliveries) {
    const method = consents.find((c) => c.sender_entity_id === delivery.senderEntityId)?.method ?? null;
    const basis = mailingBasis(delivery.content, method);
    pdf
      .font('bold')
      .text(`${delivery.mailingName}: "${delivery.subject}"`)
      .font('regular')
      .text(
        `${delivery.sentAt ?? delivery.state}${delivery.smtpReply ? ` · SMTP ${delivery.smtpReply}` : ''}`,
        { indent: 12 },
      )
      .text(basis.text[lang], { indent: 12 });
  }

  heading(label.complaints);
  if (evidence.complaints.length === 0) pdf.font('regular').text(label.none);
  for (const complaint of evidence.complaints) {
    pdf
      .font('regular')
      .text(
        `${complaint.receivedAt} · ${complaint.source}${complaint.reference ? ` · ${complaint.reference}` : ''}`,
      );
  }
  if (evidence.suppressions.length > 0) {
    heading(label.suppressions);
    for (const suppression of evidence.suppressions) {
      pdf.font('regular').text(`${suppression.createdAt} · ${suppression.reason} (${suppression.source})`);
    }
  }

  heading(label.chain);
  pdf
    .font('regular')
    .text(label.events(evidence.personEvents.length, evidence.segment[0]?.seq ?? anchor.seq, anchor.seq));
  row(label.head, `${anchor.seq}:${anchor.hash}`);
  row(label.key, fingerprint);
  pdf.moveDown();
  pdf.font('regular').fontSize(9).text(label.verify);
  return done();
}
