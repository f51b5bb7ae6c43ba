import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subtractMonths, toEpochMs } from '../src/policy-time.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('toEpochMs', () => {
  it('equals Date.parse for every valid UTC timestamp, with and without milliseconds', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString();
          expect(toEpochMs(iso)).toBe(Date.parse(iso));
          const seconds = `${iso.slice(0, 19)}Z`;
          expect(toEpochMs(seconds)).toBe(Date.parse(seconds));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('equals Date.parse for digit soup in the same shape (invalid months, days, hours, leap days)', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1900, max: 2100 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          fc.integer({ min: 0, max: 61 }),
        ),
        ([y, mo, d, h, mi, s]) => {
          const iso = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}Z`;
          expect(toEpochMs(iso)).toEqual(Date.parse(iso));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2026-11-28T12:00:00+01:00',
    '2026-11-28T12:00:00.1Z',
    '2026-11-28',
    'not a date',
    '2026-11-28T24:00:00Z',
  ])('equals Date.parse for %s', (value) => {
    expect(toEpochMs(value)).toEqual(Date.parse(value));
  });
});

describe('subtractMonths', () => {
  it.each([
    ['2026-11-28T12:00:00Z', 24, '2024-11-28T12:00:00.000Z'],
    ['2026-03-31T08:00:00Z', 1, '2026-02-28T08:00:00.000Z'],
    ['2028-02-29T00:00:00Z', 24, '2026-02-28T00:00:00.000Z'],
    ['2026-01-15T00:00:00Z', 36, '2023-01-15T00:00:00.000Z'],
  ])('%s minus %i months is %s', (from, months, expected) => {
    expect(new Date(subtractMonths(Date.parse(from), months)).toISOString()).toBe(expected);
  });
});
