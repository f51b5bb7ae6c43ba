import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeRecipientSetHash,
  deriveAddressKind,
  emailAddressSpelling,
  normalizeEmailAddress,
} from '../src/index.js';

describe('normalizeEmailAddress', () => {
  it.each([
    ['  Jan@Example.NL ', 'jan@example.nl'],
    ['D1@Example.NL', 'd1@example.nl'],
    ['info@bakkerij.nl', 'info@bakkerij.nl'],
    ['Jan@Bakkerij-Één.NL', 'jan@xn--bakkerij-n-j7aa.nl'],
    ['jan@bücher.example', 'jan@xn--bcher-kva.example'],
    ['JAN@XN--BCHER-KVA.example', 'jan@xn--bcher-kva.example'],
    ['test@münchen.de', 'test@xn--mnchen-3ya.de'],
    // NFD input (u + combining diaeresis) gives the same result as NFC.
    ['test@mu\u0308nchen.de', 'test@xn--mnchen-3ya.de'],
    ['a"b@c"@example.com', 'a"b@c"@example.com'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeEmailAddress(input)).toBe(expected);
  });

  it.each(['', 'jan', '@example.nl', 'jan@', 'jan@exa mple.nl', 'jan@example.nl/path', 'jan@ex:80'])(
    'refuses %j with a UserError',
    (input) => {
      expect(() => normalizeEmailAddress(input)).toThrow(
        expect.objectContaining({ code: 'POLICY_INVALID_EMAIL' }),
      );
    },
  );
});

describe('one address identity', () => {
  it.each([
    ['JAN@example.nl', 'jan@example.nl'],
    ['D1@Example.NL', 'd1@example.nl'],
    ['jan@bücher.example', 'jan@xn--bcher-kva.example'],
    ['Jan@BÜCHER.example', 'jan@xn--bcher-kva.example'],
  ])('%s and %s are the same address', (a, b) => {
    expect(normalizeEmailAddress(a)).toBe(normalizeEmailAddress(b));
  });

  it('keeps the spelling of the local part for sending, with the domain normalised', () => {
    expect(emailAddressSpelling('  Jan.DeVries@Bücher.Example ')).toBe('Jan.DeVries@xn--bcher-kva.example');
    expect(emailAddressSpelling('D1@Example.NL')).toBe('D1@example.nl');
  });

  it('refuses what normalizeEmailAddress refuses', () => {
    expect(() => emailAddressSpelling('jan@ex:80')).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID_EMAIL' }),
    );
  });
});

describe('deriveAddressKind', () => {
  it.each([
    ['info@bakkerij.nl', 'ROLE'],
    ['Sales@bakkerij.nl', 'ROLE'],
    ['admin@x.nl', 'ROLE'],
    ['contact@x.nl', 'ROLE'],
    ['office@x.nl', 'ROLE'],
    ['support@x.nl', 'ROLE'],
    ['verkoop@x.nl', 'ROLE'],
    ['klantenservice@x.nl', 'ROLE'],
    ['sales.nl@x.nl', 'ROLE'],
    ['info+news@x.nl', 'ROLE'],
    ['jan.devries@gmail.com', 'PERSONAL'],
    ['jan.info@x.nl', 'PERSONAL'],
    ['informatica@x.nl', 'PERSONAL'],
    ['no-at-sign', 'UNKNOWN'],
  ])('%s is %s', (email, kind) => {
    expect(deriveAddressKind(email)).toBe(kind);
  });
});

describe('computeRecipientSetHash', () => {
  it('is sha256 over the sorted, de-duplicated normalised addresses joined by newlines', () => {
    const expected = createHash('sha256').update('a@x.nl\nb@x.nl\nc@xn--mnchen-3ya.de').digest('hex');
    expect(computeRecipientSetHash(['c@münchen.de', 'b@X.nl', ' A@x.NL', 'b@x.nl'])).toBe(expected);
  });

  it('differs when one recipient differs', () => {
    expect(computeRecipientSetHash(['a@x.nl', 'b@x.nl'])).not.toBe(
      computeRecipientSetHash(['a@x.nl', 'c@x.nl']),
    );
  });
});
