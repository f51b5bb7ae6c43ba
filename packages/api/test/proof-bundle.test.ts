import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import jsonld from 'jsonld';
import { addressHash, canonicalJson, pairOptinService, recordOptinFeed } from '@consent-mailer/store';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutCanonicalJson } from '../src/acknowledgement/evidence-bundle.js';
import { generateSigningKey, signText, SIGNING_KEY_SECRET } from '../src/acknowledgement/signing-key.js';
import type { ProofManifest } from '../src/proof/proof-manifest.js';
import { DPV_CONTEXT, DPV_CONTEXT_URL } from '../src/proof/dpv-context.js';
import { verifyProofBundle } from '../src/proof/proof-verifier.js';
import { pdfText } from './pdf-text.js';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

type ExpandInput = Parameters<typeof jsonld.expand>[0];
type ExpandOptions = Parameters<typeof jsonld.expand>[1];

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const CONSENT_TEXT = 'Ja, ik wil de nieuwsbrief van Bakkerij de Vries ontvangen. Afmelden kan altijd.';

/** Two consenting contacts, one consent text, one mailing sent through the real SMTP test server. */
async function sentMailing() {
  fx = await createSendingFixture();
  const text = await fx.caller.settings.consentTexts.add({
    kind: 'CONSENT',
    language: 'nl',
    label: 'Website 2026',
    body: CONSENT_TEXT,
  });
  await fx.seed([
    {
      email: 'klager@example.nl',
      consent: { ...doubleOptInConsent('bakkerij'), consentTextVersionId: text.id },
    },
    {
      email: 'tevreden@example.nl',
      consent: { ...doubleOptInConsent('bakkerij'), consentTextVersionId: text.id },
    },
  ]);
  const mailing = await fx.caller.mailings.create({
    name: 'December',
    senderEntityId: 'bakkerij',
    listId: 'nieuwsbrief',
    smtpProfile: 'main',
    subject: 'Kerstbrood',
    html: '<p>Ons kerstbrood is er weer.</p>',
  });
  const start = await fx.caller.mailings.send({ id: mailing.id });
  await fx.ctx.jobs.wait(start.jobId);
  const sent = fx.server.messages.find((message) => message.to.includes('klager@example.nl'));
  if (!sent) throw new Error('the test server got no message for klager@example.nl');
  // The installation key, made here so the test pins a fingerprint it knows apart from the bundle.
  const { key, secret } = generateSigningKey();
  await fx.ctx.secrets.set(SIGNING_KEY_SECRET, secret);
  return {
    fx,
    mailingId: mailing.id,
    textId: text.id,
    original: sent.raw,
    fingerprint: key.fingerprint,
    key,
  };
}

/** The raw message the SMTP test server got for the complainer. */
function original(fixture: SendingFixture): Buffer {
  const sent = fixture.server.messages.find((message) => message.to.includes('klager@example.nl'));
  if (!sent) throw new Error('no message for klager@example.nl');
  return sent.raw;
}

/** A hoster's abuse desk forwarding the complaint with our message attached (message/rfc822). */
function hosterForward(original: Buffer): string {
  return [
    'From: abuse@hoster.example',
    'To: info@bakkerij.nl',
    'Subject: Spam complaint / spamklacht over uw verzending',
    'Date: Sat, 28 Nov 2026 11:00:00 +0000',
    'Message-ID: <case-4711@hoster.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'We received a spam complaint about the attached message. Please answer within 48 hours.',
    '',
    '--b1',
    'Content-Type: message/rfc822',
    'Content-Disposition: attachment; filename="original.eml"',
    '',
    original.toString('utf8'),
    '--b1--',
    '',
  ].join('\r\n');
}

function dossierZip(result: { base64: string | null }): Uint8Array {
  if (result.base64 === null) throw new Error('no bundle returned');
  return new Uint8Array(Buffer.from(result.base64, 'base64'));
}

/** The confirmation mail as the opt-in service sent it (its raw MIME travels in the signed feed). */
const CONFIRMATION_MIME = [
  'From: nieuwsbrief@bakkerij.example',
  'To: aanmelder@example.nl',
  'Subject: Bevestig je aanmelding',
  'Message-ID: <bevestig-1@optin.bakkerij.example>',
  '',
  'Open deze link en druk op de knop om je aanmelding te bevestigen.',
  '',
].join('\r\n');

/**
 * A contact that came through the opt-in service: the service's events, signed with its Ed25519 key,
 * pulled into the real database as the desktop pulls them (the key pinned at pairing).
 */
async function throughOptinService(fixture: SendingFixture): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const service = await pairOptinService(fixture.store.db, {
    id: randomUUID(),
    url: 'https://optin.bakkerij.example',
    publicKey: pem,
    senderEntityId: 'bakkerij',
    tokenRef: 'optin:feed-token',
    at: '2026-11-20T09:00:00Z',
  });
  const emailHash = addressHash('aanmelder@example.nl');
  const common = {
    signupId: 'signup-1',
    email: 'aanmelder@example.nl',
    emailHash,
    language: 'nl',
    formId: 'newsletter',
    formVersion: '4',
    consentTextVersion: 'v1',
    consentText: 'Ja, stuur mij de nieuwsbrief.',
    lists: ['nieuwsbrief'],
    signupAt: '2026-11-20T10:00:00Z',
    signupIp: '192.0.2.7',
    signupUserAgent: 'Firefox',
    source: 'https://bakkerij.example/nieuwsbrief',
  };
  const events = [
    { type: 'signed_up', at: '2026-11-20T10:00:00Z', data: common },
    {
      type: 'confirmed',
      at: '2026-11-20T10:05:00Z',
      data: {
        ...common,
        confirmTokenId: 'token-1',
        confirmMailSentAt: '2026-11-20T10:00:02Z',
        confirmMessageId: '<bevestig-1@optin.bakkerij.example>',
        confirmSmtpReply: '250 2.0.0 Ok: queued as 4711',
        confirmRawMime: CONFIRMATION_MIME,
        confirmedAt: '2026-11-20T10:05:00Z',
        confirmMethod: 'LINK_PAGE_BUTTON_POST',
        confirmIp: '192.0.2.7',
        confirmUserAgent: 'Firefox',
      },
    },
  ].map((event, index) => {
    const id = randomUUID();
    const body = canonicalJson({ id, type: event.type, at: event.at, data: event.data });
    return {
      seq: index + 1,
      id,
      ...event,
      signature: sign(null, Buffer.from(body), privateKey).toString('base64'),
    };
  });
  await recordOptinFeed(fixture.store.db, { serviceId: service.id, events, at: '2026-11-20T11:00:00Z' });
  return service.key_fingerprint;
}

describe('complaint dossier and proof bundle', () => {
  it("carries the opt-in service's signed events and the confirmation mail as sent; verify checks their signatures offline", async () => {
    const { fx, fingerprint, key } = await sentMailing();
    const serviceKey = await throughOptinService(fx);
    const zip = dossierZip(await fx.caller.proof.contactBundle({ email: 'aanmelder@example.nl' }));
    const files = unzipSync(zip);
    const mailFile = Object.keys(files).find((path) => path.endsWith('.eml'));
    expect(mailFile).toMatch(/^optin\/confirmation-mail-.+-2\.eml$/);
    expect(Buffer.from(files[mailFile ?? ''] ?? []).toString('utf8')).toBe(CONFIRMATION_MIME);
    const signup = JSON.parse(Buffer.from(files['signup.json'] ?? []).toString('utf8')) as {
      consents: { confirmation: { mailAsSent: Record<string, unknown> | null; note: unknown } }[];
    };
    expect(signup.consents[0]?.confirmation.mailAsSent).toMatchObject({
      messageId: '<bevestig-1@optin.bakkerij.example>',
      smtpReply: '250 2.0.0 Ok: queued as 4711',
      file: mailFile,
      sha256: createHash('sha256').update(CONFIRMATION_MIME).digest('hex'),
    });
    expect(signup.consents[0]?.confirmation.note).toBeNull();
    const feed = JSON.parse(Buffer.from(files['optin/feed-events.json'] ?? []).toString('utf8')) as {
      services: { keyFingerprint: string; events: { type: string; signature: string }[] }[];
    };
    expect(feed.services[0]?.keyFingerprint).toBe(serviceKey);
    expect(feed.services[0]?.events.map((e) => e.type)).toEqual(['signed_up', 'confirmed']);

    const checked = verifyProofBundle(zip, { trustedFingerprints: [fingerprint] });
    expect(checked.problems).toEqual([]);
    expect(checked.summary?.optinEvents).toBe(2);

    // Re-signed with the installation key, but the service's signature cannot be forged: refused.
    const resign = (changed: Record<string, Uint8Array>) => {
      const all = { ...files, ...changed };
      const manifest = JSON.parse(Buffer.from(all['manifest.json'] ?? []).toString('utf8')) as ProofManifest;
      manifest.files = manifest.files.map((file) => {
        const data = all[file.path] ?? new Uint8Array();
        return { ...file, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.byteLength };
      });
      const text = layoutCanonicalJson(manifest);
      return zipSync({
        ...all,
        'manifest.json': Buffer.from(text),
        'manifest.sig': Buffer.from(`${signText(key, text)}\n`),
      });
    };
    const feedText = Buffer.from(files['optin/feed-events.json'] ?? []).toString('utf8');
    const changedIp = resign({
      'optin/feed-events.json': Buffer.from(feedText.replaceAll('192.0.2.7', '192.0.2.8')),
    });
    const ipCheck = verifyProofBundle(changedIp, { trustedFingerprints: [fingerprint] });
    expect(ipCheck.valid).toBe(false);
    expect(ipCheck.problems.map((p) => p.text.en).join(' ')).toContain(
      'does not carry a valid signature of its pinned key',
    );
    const changedMail = resign({ [mailFile ?? '']: Buffer.from(CONFIRMATION_MIME.replace('knop', 'link')) });
    const mailCheck = verifyProofBundle(changedMail, { trustedFingerprints: [fingerprint] });
    expect(mailCheck.valid).toBe(false);
    expect(mailCheck.problems.map((p) => p.text.nl).join(' ')).toContain(
      'niet de bevestigingsmail die een ondertekende gebeurtenis',
    );
  });

  it('finds the right contact from a forwarded complaint, records it, and the bundle verifies offline', async () => {
    const { fx, mailingId, textId, original, fingerprint } = await sentMailing();
    const dossier = await fx.caller.proof.complaintDossier({
      eml: hosterForward(original),
      source: 'HOSTER',
    });
    expect(dossier).toMatchObject({ email: 'klager@example.nl', mailingId, complaintRate: 0.5 });
    expect(['HEADER_TOKEN', 'LIST_UNSUBSCRIBE_TOKEN', 'MESSAGE_ID']).toContain(dossier.tier);

    // Recorded through the chain, the address suppressed, the other recipient untouched.
    const suppressions = await fx.caller.suppressions.list({});
    expect(suppressions.map((s) => s.reason)).toEqual(['COMPLAINT']);
    const events = await fx.store.db
      .selectFrom('event')
      .select('type')
      .where('type', '=', 'complaint.recorded')
      .execute();
    expect(events).toHaveLength(1);
    expect(await fx.caller.audit.verify({})).toMatchObject({ ok: true });

    const zip = dossierZip(dossier);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'manifest.sig',
        'consent-record.jsonld',
        'context/dpv-consent-record-v1.jsonld',
        `notices/consent-${textId}.txt`,
        'signup.json',
        'mailings.json',
        'complaints.json',
        'chain/anchor.json',
        'chain/events.json',
        'chain/rows.json',
        'proof-nl.pdf',
        'proof-en.pdf',
        'letter-nl.txt',
        'letter-en.txt',
        'letter-nl.pdf',
        'letter-en.pdf',
        'complaint/complained-message.eml',
      ]),
    );
    expect(Buffer.from(files[`notices/consent-${textId}.txt`] ?? []).toString('utf8')).toBe(CONSENT_TEXT);
    const letter = Buffer.from(files['letter-nl.txt'] ?? []).toString('utf8');
    expect(letter).toContain('klager@example.nl');
    expect(letter).toContain('Kerstbrood');
    expect(letter).toContain('geblokkeerd');
    // The same letter as a PDF for letter paper: the facts readable in it, the sender's letterhead on top.
    const letterPdf = pdfText(files['letter-nl.pdf'] ?? new Uint8Array()).replace(/\s+/g, ' ');
    expect(letterPdf).toContain('Bakkerij de Vries');
    expect(letterPdf).toContain('klager@example.nl');
    expect(letterPdf).toContain('Kerstbrood');
    expect(letterPdf).toContain('direct geblokkeerd');
    expect(letterPdf).toContain('consent-mailer verify BUNDEL.zip --key VINGERAFDRUK');
    expect(pdfText(files['letter-en.pdf'] ?? new Uint8Array()).replace(/\s+/g, ' ')).toContain(
      'blocked the address at once',
    );
    const mailings = JSON.parse(Buffer.from(files['mailings.json'] ?? []).toString('utf8')) as {
      mailings: { mailingId: string; legalBasis: { basis: string } }[];
    };
    expect(mailings.mailings).toMatchObject([{ mailingId, legalBasis: { basis: 'eu-gdpr:A6-1-a' } }]);

    const result = verifyProofBundle(zip, { trustedFingerprints: [fingerprint] });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ valid: true, keyPinned: true });
    expect(result.summary?.addressSha256).toBe(addressHash('klager@example.nl'));
    // Contact, consent, suppression and delivery rows are each proven against the chain.
    expect(result.summary?.rows).toBeGreaterThanOrEqual(4);
    expect(result.summary?.personEvents).toBeGreaterThanOrEqual(3);

    // Another key pinned: refused.
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    const otherPrint = `sha256:${createHash('sha256').update(other).digest('hex')}`;
    expect(verifyProofBundle(zip, { trustedFingerprints: [otherPrint] }).valid).toBe(false);
  });

  it("takes the complainant's saved copy (spamklacht.nl) by its token; the next mailing shows M13", async () => {
    const { fx, mailingId, fingerprint } = await sentMailing();
    const dossier = await fx.caller.proof.complaintDossier({
      eml: original(fx).toString('utf8'),
      source: 'SPAMKLACHT',
      reference: 'ACM-2026-0815',
    });
    expect(dossier).toMatchObject({ email: 'klager@example.nl', mailingId, tier: 'HEADER_TOKEN' });
    const files = unzipSync(dossierZip(dossier));
    expect(Buffer.from(files['letter-en.txt'] ?? []).toString('utf8')).toContain('ACM (spamklacht.nl)');
    expect(Buffer.from(files['letter-en.txt'] ?? []).toString('utf8')).toContain('ACM-2026-0815');
    expect(verifyProofBundle(dossierZip(dossier), { trustedFingerprints: [fingerprint] }).valid).toBe(true);

    const next = await fx.caller.mailings.create({
      name: 'Januari',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      smtpProfile: 'main',
      subject: 'Nieuwjaarsbrood',
      html: '<p>Gelukkig nieuwjaar.</p>',
    });
    const assessment = await fx.caller.mailings.assess({ id: next.id, lang: 'en' });
    expect(assessment.reasons.map((reason) => reason.code)).toContain('M13');
    // The complainer is suppressed: not among the recipients of the next mailing.
    expect(assessment.counts.included).toBe(1);
  });

  it('refuses a message that names neither a delivery nor a contact, and records nothing', async () => {
    const { fx } = await sentMailing();
    const stranger = [
      'From: iemand@example.org',
      'To: vreemde@example.org',
      'Subject: hallo',
      '',
      'tekst',
      '',
    ].join('\r\n');
    await expect(fx.caller.proof.complaintDossier({ eml: stranger, source: 'HOSTER' })).rejects.toMatchObject(
      {
        cause: { code: 'PROOF_CONTACT_UNKNOWN' },
      },
    );
    expect(await fx.store.db.selectFrom('complaint').selectAll().execute()).toEqual([]);
  });

  it('refuses a one-byte change in every file of the bundle', async () => {
    const { fx, fingerprint } = await sentMailing();
    const bundle = await fx.caller.proof.contactBundle({ email: 'tevreden@example.nl' });
    const files = unzipSync(dossierZip(bundle));
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(12);
    for (const [path, data] of Object.entries(files)) {
      for (const offset of [0, Math.floor(data.byteLength / 2), data.byteLength - 1]) {
        const changed = new Uint8Array(data);
        changed[offset] = (changed[offset] ?? 0) ^ 0x01;
        const tampered = zipSync({ ...files, [path]: changed });
        const result = verifyProofBundle(tampered, { trustedFingerprints: [fingerprint] });
        expect(result.valid, `${path} byte ${offset}`).toBe(false);
      }
    }
    // An added file is refused too; the untouched bundle re-zipped still holds.
    expect(verifyProofBundle(zipSync({ ...files, 'extra.txt': new Uint8Array([1]) })).valid).toBe(false);
    expect(verifyProofBundle(zipSync(files), { trustedFingerprints: [fingerprint] }).valid).toBe(true);
  });

  it('writes a consent record that expands as JSON-LD against the shipped DPV context', async () => {
    const { fx, textId } = await sentMailing();
    const bundle = await fx.caller.proof.contactBundle({ email: 'klager@example.nl' });
    const files = unzipSync(dossierZip(bundle));
    const record = JSON.parse(
      Buffer.from(files['consent-record.jsonld'] ?? []).toString('utf8'),
    ) as ExpandInput;
    const shipped = JSON.parse(
      Buffer.from(files['context/dpv-consent-record-v1.jsonld'] ?? []).toString('utf8'),
    ) as Record<string, unknown>;
    expect(shipped).toEqual(JSON.parse(JSON.stringify(DPV_CONTEXT)));
    const loaded: string[] = [];
    // Serves the shipped context only: nothing may come from the network.
    const documentLoader = (url: string) => {
      loaded.push(url);
      if (url !== DPV_CONTEXT_URL) return Promise.reject(new Error(`no network: ${url}`));
      return Promise.resolve({ contextUrl: undefined, documentUrl: url, document: shipped });
    };
    // `safe` (JSON-LD 1.1 processors: fail on anything dropped) is newer than @types/jsonld.
    const options = { documentLoader, safe: true } as unknown as ExpandOptions;
    const expanded = (await jsonld.expand(record, options)) as unknown as Record<string, unknown>[];
    expect(loaded).toEqual([DPV_CONTEXT_URL]);
    const node = expanded.find((item) =>
      (item['@type'] as string[] | undefined)?.includes('https://w3id.org/dpv#ConsentRecord'),
    );
    expect(node).toBeDefined();
    const iri = (property: string) =>
      (node?.[property] as { '@id'?: string }[] | undefined)?.map((value) => value['@id']);
    expect(iri('https://w3id.org/dpv#hasLegalBasis')).toEqual(['https://w3id.org/dpv/legal/eu/gdpr#A6-1-a']);
    expect(iri('https://w3id.org/dpv#hasConsentStatus')).toEqual(['https://w3id.org/dpv#ConsentGiven']);
    expect(iri('https://w3id.org/dpv#hasPurpose')).toEqual(['https://w3id.org/dpv#DirectMarketing']);
    expect(iri('https://w3id.org/dpv#hasNotice')).toEqual([`urn:consent-mailer:text:${textId}`]);
    expect(iri('http://purl.org/dc/terms/conformsTo')).toEqual([
      'https://w3id.org/dpv/schema/dpv-27560#record-GDPR',
    ]);
  });

  it('refuses a changed event or row even when the manifest is signed again with the installation key', async () => {
    // Whoever holds the key can re-sign any manifest; the chain proof must still catch a rewritten history.
    const { fx, fingerprint, key } = await sentMailing();
    const files = unzipSync(dossierZip(await fx.caller.proof.contactBundle({ email: 'klager@example.nl' })));
    const resign = (changed: Record<string, Uint8Array>) => {
      const all = { ...files, ...changed };
      const manifest = JSON.parse(Buffer.from(all['manifest.json'] ?? []).toString('utf8')) as ProofManifest;
      manifest.files = manifest.files.map((file) => {
        const data = all[file.path] ?? new Uint8Array();
        return { ...file, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.byteLength };
      });
      const text = layoutCanonicalJson(manifest);
      return zipSync({
        ...all,
        'manifest.json': Buffer.from(text),
        'manifest.sig': Buffer.from(`${signText(key, text)}\n`),
      });
    };
    expect(verifyProofBundle(resign({}), { trustedFingerprints: [fingerprint] }).valid).toBe(true);
    const edit = (path: string, change: (value: Record<string, unknown>) => void) => {
      const value = JSON.parse(Buffer.from(files[path] ?? []).toString('utf8')) as Record<string, unknown>;
      change(value);
      return { [path]: Buffer.from(layoutCanonicalJson(value)) };
    };
    // The sign-up moved to another day in the consent row: not the state the chain committed.
    const rows = edit('chain/rows.json', (value) => {
      const consent = (value.rows as { table: string; row: Record<string, unknown> }[]).find(
        (r) => r.table === 'consent',
      );
      if (consent) consent.row.signup_at = '2026-01-01T00:00:00Z';
    });
    const rowCheck = verifyProofBundle(resign(rows), { trustedFingerprints: [fingerprint] });
    expect(rowCheck.valid).toBe(false);
    expect(rowCheck.problems.map((p) => p.text.en).join(' ')).toContain('not the state the chain committed');
    // An event of the chain edited: its hash no longer holds.
    const events = edit('chain/events.json', (value) => {
      const first = (value.segment as { at: string }[])[0];
      if (first) first.at = '2020-01-01T00:00:00Z';
    });
    const eventCheck = verifyProofBundle(resign(events), { trustedFingerprints: [fingerprint] });
    expect(eventCheck.valid).toBe(false);
    expect(eventCheck.problems.map((p) => p.text.en).join(' ')).toContain('does not match its hash');
  });

  it('writes the bundle to a granted path and refuses an unknown address', async () => {
    const { fx } = await sentMailing();
    const outDir = mkdtempSync(join(tmpdir(), 'cm-proof-out-'));
    const out = join(outDir, 'proof.zip');
    await expect(fx.caller.proof.contactBundle({ email: 'klager@example.nl', out })).rejects.toMatchObject({
      cause: { code: 'API_PATH_NOT_ALLOWED' },
    });
    fx.ctx.files.grant(out);
    const written = await fx.caller.proof.contactBundle({ email: 'klager@example.nl', out });
    expect(written.path).toBe(out);
    expect(verifyProofBundle(new Uint8Array(readFileSync(out))).valid).toBe(true);
    await expect(fx.caller.proof.contactBundle({ email: 'niemand@example.nl' })).rejects.toMatchObject({
      cause: { code: 'PROOF_CONTACT_UNKNOWN' },
    });
  });
});
