import { describe, expect, it } from 'vitest';
import { checkEmailAddress } from '../src/email-check.js';

const suggestion = (address: string) => {
  const checked = checkEmailAddress(address);
  return checked.ok ? (checked.domainSuggestion ?? null) : 'refused';
};

describe('a fix offered for a mistyped domain', () => {
  it.each([
    ['jan@hotmail.con', 'jan@hotmail.com'],
    ['jan@bakkerij.con', 'jan@bakkerij.com'],
    ['jan@gmial.com', 'jan@gmail.com'],
    ['jan@gmai.com', 'jan@gmail.com'],
    ['jan@yahoo.cm', 'jan@yahoo.com'],
    ['jan@ziggo.nll', 'jan@ziggo.nl'],
    ['jan@hotmial.nl', 'jan@hotmail.nl'],
    ['jan@outlok.com', 'jan@outlook.com'],
  ])('%s: %s', (typed, fixed) => {
    expect(suggestion(typed)).toBe(fixed);
  });

  // Short names of real businesses sit one or two letters from a provider's: offering aol.com for bol.com
  // would have the owner "correct" a good address.
  it.each(['jan@bol.com', 'jan@kpn.com', 'jan@hema.nl', 'jan@mac.com', 'jan@example.nl', 'jan@kpnmail.nl'])(
    '%s: none',
    (typed) => {
      expect(suggestion(typed)).toBeNull();
    },
  );
});
