import {
  collectPersonEvidence,
  makeAnchor,
  sha256Hex,
  type ChainAnchor,
  type PersonEvidence,
  chainHead,
} from '@consent-mailer/store';
import { zipSync } from 'fflate';
import { anchorSignerFor } from '../acknowledgement/anchor-signer.js';
import { layoutCanonicalJson, toEventExcerpt } from '../acknowledgement/evidence-bundle.js';
import { installationSigningKey } from '../acknowledgement/installation-key.js';
import { signText } from '../acknowledgement/signing-key.js';
import type { ApiContext } from '../context.js';
import { consentRecord, type NoticeFile } from './consent-record.js';
import { DPV_CONTEXT, DPV_CONTEXT_FILE, DPV_CONTEXT_URL } from './dpv-context.js';
import { mailingBasis } from './legal-basis.js';
import { collectOptinEvidence, OPTIN_EVENTS_FILE } from './optin-evidence.js';
import { renderProofPdf } from './proof-pdf.js';
import {
  CHAIN_ANCHOR_FILE,
  CHAIN_EVENTS_FILE,
  CHAIN_ROWS_FILE,
  MANIFEST_FILE,
  PROOF_BUNDLE_FORMAT,
  SIGNATURE_FILE,
  type ProofManifest,
} from './proof-manifest.js';

/** A built bundle: the ZIP's bytes and what the caller shows. */
export interface ProofBundle {
  zip: Uint8Array;
  evidence: PersonEvidence;
  anchor: ChainAnchor;
  manifest: ProofManifest;
  fileName: string;
}

/** Extra files a complaint dossier adds (the answer letters, the complained message). */
export type ExtraFiles = Record<string, string | Uint8Array>;

/**
 * Builds the proof bundle of one contact: the consent record (ISO/IEC TS 27560 in DPV JSON-LD) with its
 * context, the texts the person saw, the sign-up and confirmation facts, every event about the person
 * with the chain up to a freshly signed anchor and the inclusion proofs of their rows, the mailings with
 * the legal basis of each, the complaints and suppressions, PDFs in Dutch and English, and a manifest of
 * every file's sha256 signed with the installation key. Nothing is written to the database.
 *
 * @throws {UserError} `PROOF_CONTACT_UNKNOWN` when there is no contact with that address.
 * @example
 * const { zip } = await buildProofBundle(ctx, 'jan@example.nl');
 */
export async function buildProofBundle(
  ctx: ApiContext,
  email: string,
  options: { purpose?: ProofManifest['purpose']; extra?: ExtraFiles } = {},
): Promise<ProofBundle> {
  const createdAt = ctx.clock().toISOString();
  const { key } = await installationSigningKey(ctx);
  const anchor = makeAnchor(chainHead(ctx.store.sqlite), anchorSignerFor(key), createdAt);
  const evidence = await collectPersonEvidence(ctx.store.db, ctx.store.sqlite, email, anchor);
  const { contact, consents } = evidence.detail;

  const files = new Map<string, Uint8Array>();
  const put = (path: string, data: string | Uint8Array) =>
    files.set(path, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

  const notices: NoticeFile[] = evidence.texts.map((text) => {
    const file = `notices/${text.kind.toLowerCase()}-${text.id}.txt`;
    put(file, text.body);
    return {
      versionId: text.id,
      kind: text.kind,
      language: text.language,
      label: text.label,
      file,
      sha256: sha256Hex(text.body),
    };
  });
  const entityOf = (id: string) => evidence.entities.find((entity) => entity.id === id);
  const records = consents.map((consent) => {
    const record = consentRecord({
      contact,
      consent,
      entity: entityOf(consent.sender_entity_id),
      notices: notices.filter(
        (notice) =>
          notice.versionId === consent.consent_text_version_id ||
          notice.versionId === consent.collection_text_version_id,
      ),
      generatedAt: createdAt,
    });
    delete record['@context'];
    return record;
  });
  put('consent-record.jsonld', layoutCanonicalJson({ '@context': DPV_CONTEXT_URL, '@graph': records }));
  put(DPV_CONTEXT_FILE, layoutCanonicalJson(DPV_CONTEXT));

  // What the opt-in service signed about the person, checkable offline against the key pinned at pairing.
  const optin = await collectOptinEvidence(ctx.store.db, contact);
  if (optin.services.length > 0) put(OPTIN_EVENTS_FILE, layoutCanonicalJson({ services: optin.services }));
  for (const [path, raw] of Object.entries(optin.files)) put(path, raw);
  const mailOf = (confirmedAt: string | null) =>
    optin.mails.find((mail) => {
      const event = optin.services
        .flatMap((service) => service.events)
        .find((e) => e.seq === mail.eventSeq && e.type === 'confirmed');
      return event !== undefined && event.data.confirmedAt === confirmedAt;
    });

  put(
    'signup.json',
    layoutCanonicalJson({
      consents: consents.map((consent) => ({
        consentId: consent.id,
        senderEntityId: consent.sender_entity_id,
        method: consent.method,
        signupForm: consent.source,
        consentTextVersionId: consent.consent_text_version_id,
        collectionTextVersionId: consent.collection_text_version_id,
        signupAt: consent.signup_at,
        signupIp: consent.signup_ip,
        signupUserAgent: consent.signup_user_agent,
        confirmation: {
          mailSentAt: consent.confirm_mail_sent_at,
          tokenId: consent.confirm_token_id,
          confirmedAt: consent.confirmed_at,
          confirmIp: consent.confirm_ip,
          confirmUserAgent: consent.confirm_user_agent,
          // The confirmation mail as the opt-in service sent it (raw MIME in its own file, from the
          // service's signed `confirmed` event); null when the feed did not carry it.
          mailAsSent: mailOf(consent.confirmed_at) ?? null,
          note:
            consent.confirm_mail_sent_at === null || mailOf(consent.confirmed_at) !== undefined
              ? null
              : {
                  en: 'The confirmation mail was sent by the opt-in service; its text and SMTP reply are kept there, not in this database.',
                  nl: 'De bevestigingsmail is verstuurd door de opt-in-dienst; de tekst en het SMTP-antwoord staan daar, niet in deze database.',
                },
        },
        phone: { agent: consent.phone_agent, recordingRef: consent.phone_recording_ref },
        paperScanRef: consent.paper_scan_ref,
        order: { ref: consent.order_ref, paid: consent.order_paid, at: consent.order_at },
        published: { url: consent.published_url, capturedAt: consent.published_captured_at },
      })),
    }),
  );

  put(
    'mailings.json',
    layoutCanonicalJson({
      mailings: evidence.deliveries.map((delivery) => {
        const consent = consents.find((c) => c.sender_entity_id === delivery.senderEntityId);
        return { ...delivery, legalBasis: mailingBasis(delivery.content, consent?.method ?? null) };
      }),
    }),
  );
  put(
    'complaints.json',
    layoutCanonicalJson({ complaints: evidence.complaints, suppressions: evidence.suppressions }),
  );
  put(CHAIN_ANCHOR_FILE, layoutCanonicalJson(anchor));
  put(
    CHAIN_EVENTS_FILE,
    layoutCanonicalJson({
      personEvents: evidence.personEvents,
      personal: evidence.personal,
      segment: evidence.segment.map(toEventExcerpt),
    }),
  );
  put(CHAIN_ROWS_FILE, layoutCanonicalJson({ rows: evidence.rows }));
  for (const lang of ['nl', 'en'] as const) {
    put(`proof-${lang}.pdf`, await renderProofPdf(evidence, anchor, key.fingerprint, lang, createdAt));
  }
  for (const [path, data] of Object.entries(options.extra ?? {})) put(path, data);
  put('README.txt', README);

  const manifest: ProofManifest = {
    format: PROOF_BUNDLE_FORMAT,
    createdAt,
    subject: { addressSha256: contact.address_hash },
    purpose: options.purpose ?? 'CONTACT',
    signingKey: { algorithm: 'Ed25519', fingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem },
    files: [...files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, data]) => ({ path, sha256: sha256Hex(data), bytes: data.byteLength })),
  };
  const manifestText = layoutCanonicalJson(manifest);
  put(MANIFEST_FILE, manifestText);
  put(SIGNATURE_FILE, `${signText(key, manifestText)}\n`);

  // A fixed time in every entry: the same evidence at the same moment gives the same ZIP.
  const mtime = new Date(createdAt);
  const zip = zipSync(
    Object.fromEntries([...files.entries()].map(([path, data]) => [path, [data, { mtime }]])),
    { level: 6 },
  );
  return {
    zip,
    evidence,
    anchor,
    manifest,
    fileName: `proof-${contact.address_hash.slice(0, 12)}-${createdAt.slice(0, 10)}.zip`,
  };
}

const README = `Proof bundle / Bewijsbundel (consent-mailer/proof-bundle@1)

manifest.json lists every file with its sha256; manifest.sig is the Ed25519 signature over manifest.json
by the installation key named in it. Check the whole bundle without the app's database:

  consent-mailer verify BUNDLE.zip --key FINGERPRINT

Get the fingerprint from the business itself (read out by phone, or in a letter), never from this file.
verify checks the signature, every file's sha256, the chain of events from the first event about the
person up to the signed anchor, the anchor's signature, and that the person's rows are the ones the chain
committed. consent-record.jsonld is an ISO/IEC TS 27560 consent record in W3C DPV JSON-LD; its context is
in context/. The mapping is described in docs/iso27560-mapping.md of Consent Mailer.

manifest.json noemt elk bestand met zijn sha256; manifest.sig is de Ed25519-handtekening erover met de
sleutel van de installatie. Controleren zonder de database van de app:

  consent-mailer verify BUNDEL.zip --key VINGERAFDRUK

Vraag de vingerafdruk aan het bedrijf zelf (telefonisch, of per brief), neem hem nooit uit dit bestand over.
`;
