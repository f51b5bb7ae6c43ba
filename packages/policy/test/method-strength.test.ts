import { describe, expect, it } from 'vitest';
import { CONSENT_METHODS, METHOD_STRENGTH, isStrongerMethod } from '../src/index.js';

describe('method strength', () => {
  it('ranks every consent method exactly once', () => {
    expect([...METHOD_STRENGTH].sort()).toEqual([...CONSENT_METHODS].sort());
  });

  it('puts a confirmed double opt-in above everything and a bought list below everything', () => {
    for (const method of CONSENT_METHODS) {
      if (method !== 'WEB_DOI') expect(isStrongerMethod('WEB_DOI', method)).toBe(true);
      if (method !== 'THIRD_PARTY') expect(isStrongerMethod('THIRD_PARTY', method)).toBe(false);
    }
    expect(isStrongerMethod('CUSTOMER', 'WEB_SOI')).toBe(true);
    expect(isStrongerMethod('PAPER', 'PHONE')).toBe(false);
  });

  it('keeps the current method on a tie', () => {
    expect(isStrongerMethod('PHONE', 'PHONE')).toBe(false);
  });
});
