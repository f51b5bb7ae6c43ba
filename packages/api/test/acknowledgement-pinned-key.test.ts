import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import { verifyEvidenceBundleText } from '../src/acknowledgement/bundle-verifier.js';
import { serializeEvidenceBundle } from '../src/acknowledgement/evidence-bundle.js';
import { buildEvidenceBundle } from '../src/acknowledgement/evidence-export.js';
import { generateSigningKey } from '../src/acknowledgement/signing-key.js';
import { normalizeFingerprint, parseTrustedKeys } from '../src/acknowledgement/trusted-keys.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  phoneContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';
import { resignEditedBundle } from './forged-bundle.js';

describe('offline verification against a pinned key', () => {
  let fixture: AcknowledgementFixture;
  let original: string;
  let fingerprint: string;

  beforeAll(async () => {
    fixture = await createAcknowledgementFixture();
    const contacts = Array.from({ length: 12 }, (_, i) => phoneContact(`klant${i}@example.nl`));
    const signed = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment: assess(contacts, fixture.now.value),
      signer: { name: 'Anna de Vries', role: 'directeur' },
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS,
    });
    fingerprint = signed.keyFingerprint;
    original = serializeEvidenceBundle(await buildEvidenceBundle(fixture.store.db, signed.id));
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('accepts the genuine export with the business key pinned', () => {
    const result = verifyEvidenceBundleText(original, { trustedFingerprints: [fingerprint] });
    expect(result).toMatchObject({ valid: true, keyPinned: true, problems: [] });
  });

  it('without a pinned key reports that only the key inside the file was used', () => {
    const result = verifyEvidenceBundleText(original);
    expect(result.keyPinned).toBe(false);
    expect(result.summary?.keyFingerprint).toBe(fingerprint);
  });

  it('refuses an export edited (signer, KvK, 10 recipients removed) and re-signed with a fresh key', () => {
    const forged = resignEditedBundle(original, {
      signerName: 'Iemand Anders',
      kvkNumber: '87654321',
      removeRecipients: 10,
    });
    // The forgery is consistent in itself: that is exactly why the key inside the file proves nothing.
    const unpinned = verifyEvidenceBundleText(forged.text);
    expect(unpinned).toMatchObject({ valid: true, keyPinned: false });
    expect(unpinned.summary).toMatchObject({
      signer: 'Iemand Anders (directeur)',
      kvkNumber: '87654321',
      recipientCount: 2,
      keyFingerprint: forged.fingerprint,
    });
    const pinned = verifyEvidenceBundleText(forged.text, { trustedFingerprints: [fingerprint] });
    expect(pinned.valid).toBe(false);
    expect(pinned.problems.map((problem) => problem.field)).toEqual(['publicKey']);
    expect(pinned.problems[0]?.text.en).toContain(forged.fingerprint);
    expect(pinned.problems[0]?.text.nl).toContain('geen vertrouwde sleutel');
  });

  it("refuses the genuine export when another installation's key is the trusted one", () => {
    const foreign = generateSigningKey().key.fingerprint;
    const result = verifyEvidenceBundleText(original, { trustedFingerprints: [foreign] });
    expect(result.valid).toBe(false);
    expect(result.problems.map((problem) => problem.field)).toEqual(['publicKey']);
  });
});

describe('trusted key fingerprints as people type them', () => {
  const hex = 'ab'.repeat(32);

  it('accepts the prefix in any case, spaces and colons between groups', () => {
    expect(normalizeFingerprint(`sha256:${hex}`)).toBe(`sha256:${hex}`);
    expect(normalizeFingerprint(`SHA256:${hex.toUpperCase()}`)).toBe(`sha256:${hex}`);
    expect(normalizeFingerprint(hex.match(/.{4}/g)?.join(' ') ?? '')).toBe(`sha256:${hex}`);
    expect(normalizeFingerprint(`sha256:${hex.slice(2)}`)).toBeUndefined();
    expect(normalizeFingerprint('not a key')).toBeUndefined();
  });

  it('reads fingerprints and PEM public keys from a file, and names the lines it cannot read', () => {
    const { key } = generateSigningKey();
    const file = `# Bakkerij Jansen, read out by phone\nsha256:${hex}\n\n${key.publicKeyPem}typo here\n`;
    expect(parseTrustedKeys(file)).toEqual({
      fingerprints: [key.fingerprint, `sha256:${hex}`],
      invalid: ['typo here'],
    });
  });
});
