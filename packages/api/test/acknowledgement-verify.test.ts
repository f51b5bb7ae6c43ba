import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import { verifyEvidenceBundleText } from '../src/acknowledgement/bundle-verifier.js';
import { buildEvidenceBundle } from '../src/acknowledgement/evidence-export.js';
import { layoutCanonicalJson, serializeEvidenceBundle } from '../src/acknowledgement/evidence-bundle.js';
import { generateSigningKey, signText } from '../src/acknowledgement/signing-key.js';
import { canonicalJson } from '../src/acknowledgement/canonical-json.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  phoneContact,
  webSoiContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';

// A 1x1 transparent PNG: a drawn signature as the UI would send it.
const PNG_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The key path of every leaf of a JSON value (keys may contain dots, as field digests' keys do). */
function leaves(value: Json, path: string[] = []): string[][] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value);
    return entries.flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  return [path];
}

/** The same value with one leaf changed the way a hand edit would change it. */
function tamper(root: Json, path: string | string[]): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  // A dotted path names its first segments one by one; the rest is one key (fieldDigests.signer.name).
  const keys = Array.isArray(path)
    ? path
    : path.startsWith('fieldDigests.')
      ? ['fieldDigests', path.slice(13)]
      : path.split('.');
  let parent = copy as Record<string, Json>;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, Json>;
  const last = keys.at(-1) ?? '';
  const old = parent[last];
  if (typeof old === 'string') {
    // Change one character in the middle (keeps hex and base64 looking plausible).
    const index = Math.floor(old.length / 2);
    const replacement = old[index] === 'A' ? 'B' : 'A';
    parent[last] = old.length === 0 ? 'x' : old.slice(0, index) + replacement + old.slice(index + 1);
  } else if (typeof old === 'number') parent[last] = old + 1;
  else if (typeof old === 'boolean') parent[last] = !old;
  else parent[last] = 'tampered';
  return copy;
}

describe('the evidence bundle', () => {
  let fixture: AcknowledgementFixture;
  let text: string;
  let bundle: Json;

  beforeAll(async () => {
    fixture = await createAcknowledgementFixture();
    const assessment = assess(
      [phoneContact('piet@example.nl'), webSoiContact('sara@example.nl'), phoneContact('kees@example.nl')],
      fixture.now.value,
    );
    const signed = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment,
      signer: { name: 'Anna de Vries', role: 'directeur' },
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS,
      signatureImage: PNG_DATA_URL,
    });
    text = serializeEvidenceBundle(await buildEvidenceBundle(fixture.store.db, signed.id));
    bundle = JSON.parse(text) as Json;
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('verifies as exported, with no database, and says who signed what', () => {
    const result = verifyEvidenceBundleText(text);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.summary).toMatchObject({
      signer: 'Anna de Vries (directeur)',
      signedAt: '2026-11-28T10:00:00.000Z',
      legalName: 'Bakkerij Jansen B.V.',
      kvkNumber: '12345678',
      recipientCount: 3,
      events: 1,
    });
  });

  it('carries recipient hashes but no address', () => {
    expect(text).not.toContain('piet@example.nl');
    expect(text).not.toContain('sara@example.nl');
  });

  describe('refuses a change to any field, naming it', () => {
    const cases = () => leaves(bundle);
    it('has a case for every field of the bundle', () => {
      // Guards the table below against silently shrinking.
      expect(cases().length).toBeGreaterThan(40);
    });
    it.each([
      ['acknowledgement.signer.name', 'acknowledgement.signer.name'],
      ['acknowledgement.signer.role', 'acknowledgement.signer.role'],
      ['acknowledgement.signedAt', 'acknowledgement.signedAt'],
      ['acknowledgement.entity.kvkNumber', 'acknowledgement.entity.kvkNumber'],
      ['acknowledgement.entity.legalName', 'acknowledgement.entity.legalName'],
      ['acknowledgement.text.body', 'acknowledgement.text.body'],
      ['acknowledgement.recipients.count', 'acknowledgement.recipients.count'],
      ['acknowledgement.recipients.byMethod.PHONE', 'acknowledgement.recipients.byMethod.PHONE'],
      ['acknowledgement.recipients.setHash', 'acknowledgement.recipients.setHash'],
      ['acknowledgement.policyVersion', 'acknowledgement.policyVersion'],
      ['acknowledgement.signatureImage', 'acknowledgement.signatureImage'],
      ['recipients.1.method', 'recipients'],
      ['recipients.0.addressSha256', 'recipients'],
      ['verificationCode', 'verificationCode'],
      ['fieldDigests.signer.name', 'fieldDigests.signer.name'],
      ['eventChain.0.data.signature', 'eventChain.0'],
    ])('%s', (path, field) => {
      const result = verifyEvidenceBundleText(layoutCanonicalJson(tamper(bundle, path)));
      expect(result.valid).toBe(false);
      // The named field, or a more precise path inside it.
      expect(result.problems.map((problem) => problem.field)).toSatisfy((fields: string[]) =>
        fields.some((name) => name.startsWith(field)),
      );
    });

    it('every leaf, one at a time', () => {
      for (const path of cases()) {
        const result = verifyEvidenceBundleText(layoutCanonicalJson(tamper(bundle, path)));
        const top = path[0] ?? '';
        expect(result.valid, path.join('.')).toBe(false);
        // The message names the changed part of the bundle (or the signature it breaks).
        expect(
          result.problems.some(
            (problem) =>
              problem.field.split('.')[0] === top ||
              ['signature', 'verificationCode'].includes(problem.field),
          ),
          `${path.join('.')}: ${JSON.stringify(result.problems.map((problem) => problem.field))}`,
        ).toBe(true);
      }
    });
  });

  it('refuses any altered byte of the file', () => {
    // About 600 positions spread over the whole file (every one would be slow to no purpose): spacing,
    // keys and values alike. The step is odd so it does not fall in step with the indentation.
    const step = Math.max(1, Math.floor(text.length / 600)) | 1;
    for (let index = 0; index < text.length; index += step) {
      const character = text[index] ?? '';
      const altered =
        text.slice(0, index) +
        (character === ' ' ? '\t' : character === 'a' ? 'b' : 'a') +
        text.slice(index + 1);
      expect(verifyEvidenceBundleText(altered).valid, `byte ${index} (${JSON.stringify(character)})`).toBe(
        false,
      );
    }
  }, 30_000);

  it('names the position of a formatting-only change', () => {
    const reformatted = JSON.stringify(JSON.parse(text), null, 4);
    const result = verifyEvidenceBundleText(reformatted);
    expect(result.valid).toBe(false);
    expect(result.problems[0]?.field).toBe('(file)');
    expect(result.problems[0]?.text.en).toMatch(/line 2, column/);
  });

  it('refuses a document re-signed with another key, naming the key', () => {
    const other = generateSigningKey().key;
    const forged = JSON.parse(text) as {
      acknowledgement: unknown;
      signature: { value: string };
      publicKey: string;
    };
    forged.signature.value = signText(other, canonicalJson(forged.acknowledgement));
    forged.publicKey = other.publicKeyPem;
    const result = verifyEvidenceBundleText(layoutCanonicalJson(forged));
    expect(result.valid).toBe(false);
    expect(result.problems.map((problem) => problem.field)).toContain('publicKey');
  });

  it('refuses a public key whose PEM text was edited even where the key still parses', () => {
    const edited = JSON.parse(text) as { publicKey: string };
    edited.publicKey = edited.publicKey.replaceAll('\n', '\r\n');
    const result = verifyEvidenceBundleText(layoutCanonicalJson(edited));
    expect(result.valid).toBe(false);
    expect(result.problems.map((problem) => problem.field)).toEqual(['publicKey']);
  });

  it('says plainly when the file is not JSON', () => {
    const result = verifyEvidenceBundleText(text.slice(0, 100));
    expect(result.valid).toBe(false);
    expect(result.problems[0]?.text.en).toMatch(/not valid JSON/);
  });
});
