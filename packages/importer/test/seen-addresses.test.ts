import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenAddresses } from '../src/seen-addresses.js';

describe('SeenAddresses', () => {
  it('answers like a Set of the addresses, across growth of its table', () => {
    fc.assert(
      fc.property(fc.array(fc.emailAddress(), { maxLength: 1500 }), fc.nat(), (list, cut) => {
        // Every address again after the first pass, and a slice of them a third time.
        const addresses = [...list, ...list, ...list.slice(cut % (list.length + 1))];
        const seen = new SeenAddresses();
        const reference = new Set<string>();
        for (const address of addresses) {
          expect(seen.add(address)).toBe(!reference.has(address));
          reference.add(address);
        }
        expect(seen.size).toBe(reference.size);
      }),
      { numRuns: 50 },
    );
  });

  it('tells 200,000 distinct addresses apart and knows each again', () => {
    const seen = new SeenAddresses();
    const addresses = Array.from({ length: 200_000 }, (_, index) => `klant.${index}@example.nl`);
    expect(addresses.filter((address) => seen.add(address))).toHaveLength(200_000);
    expect(addresses.filter((address) => seen.add(address))).toHaveLength(0);
    expect(seen.size).toBe(200_000);
  });
});
