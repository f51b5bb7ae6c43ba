import { describe, expect, it } from 'vitest';
import {
  CONSENT_COLUMNS,
  evidenceToColumns,
  writeConsentValues,
  type ConsentEvidence,
} from '../src/consent-evidence.js';

const EVIDENCE: ConsentEvidence[] = [
  { method: 'PAPER', senderEntityId: 'bakkerij', scopeLists: 'ALL', paperScanRef: 'ordner 3' },
  {
    method: 'WEB_DOI',
    senderEntityId: 'bakkerij',
    scopeLists: ['nieuwsbrief', 'acties'],
    signupAt: '2024-03-01T08:30:00.000Z',
    signupIp: '46.140.110.82',
    confirmedAt: '2024-03-01T08:31:00.000Z',
    confirmIp: '46.140.110.83',
    consentTextVersionId: 'ctv-1',
  },
  {
    method: 'CUSTOMER',
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
    orderRef: 'B-1001',
    orderPaid: false,
    purchaseCategories: ['brood', 'taart'],
    softBounces: [{ at: '2024-05-01T00:00:00.000Z', mailingId: 'm1' }],
    unsubscribedAt: '2024-06-01T00:00:00.000Z',
  },
  { method: 'CUSTOMER', senderEntityId: 'slagerij', scopeLists: 'ALL', orderPaid: true },
  {
    method: 'CUSTOMER',
    senderEntityId: 'krant',
    scopeLists: 'ALL',
    orderRef: 'ACC-7',
    orderPaid: false,
    customerRelationship: 'FREE_TIER_OF_PAID_SERVICE',
    trackingConsentAt: '2026-02-01T00:00:00.000Z',
  },
];

// The bulk import writes consent values without an object per row; a merge writes evidenceToColumns. Both
// must put the same value in every column, or a merged row and a fresh one would differ.
describe('writeConsentValues', () => {
  it.each(EVIDENCE)('writes what evidenceToColumns holds, column by column ($method)', (evidence) => {
    const columns = evidenceToColumns(evidence, 'batch-1');
    const values: unknown[] = ['before'];
    const end = writeConsentValues(values, 1, evidence, 'batch-1');
    expect(end).toBe(1 + CONSENT_COLUMNS.length);
    expect(values).toEqual(['before', ...CONSENT_COLUMNS.map((column) => columns[column])]);
  });
});
