import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assessMailing,
  type ContactRecord,
  type MailingFacts,
  type MailingAssessment,
} from '@consent-mailer/policy';
import { doi, goodFacts, phone, soi } from '@consent-mailer/policy/testing';
import { openStore, type Store } from '@consent-mailer/store';
import { rawWrite, seedMailing } from '@consent-mailer/store/testing';
import { createApiContext, type ApiContext } from '../src/context.js';
import { createMemorySecretStore, type SecretStore } from '../src/secrets/secret-store.js';

/** A real store in a temp folder with one sender entity, list and marketing mailing. */
export interface AcknowledgementFixture {
  dir: string;
  store: Store;
  ctx: ApiContext;
  secrets: SecretStore;
  now: { value: Date };
  mailingId: string;
  entityId: string;
  listId: string;
  close(): Promise<void>;
}

export const ENTITY_ID = 'entity-1';
export const LIST_ID = 'list-1';
export const MAILING_ID = 'mailing-1';

export async function createAcknowledgementFixture(
  options: { kvkNumber?: string | null } = {},
): Promise<AcknowledgementFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-ack-'));
  const store = await openStore({ path: join(dir, 'consent-mailer.sqlite') });
  const now = { value: new Date('2026-11-28T10:00:00.000Z') };
  const secrets = createMemorySecretStore();
  const ctx = createApiContext({ store, secrets, dataDir: dir, clock: () => now.value });
  const at = '2026-11-01T00:00:00.000Z';
  await rawWrite(
    store,
    store.db.insertInto('sender_entity').values({
      id: ENTITY_ID,
      legal_name: 'Bakkerij Jansen B.V.',
      trade_name: null,
      postal_address: 'Dorpsstraat 1, 1234 AB Ergens',
      contact_email: 'info@bakkerij-jansen.nl',
      kvk_number: options.kvkNumber === undefined ? '12345678' : options.kvkNumber,
      created_at: at,
      updated_at: at,
    }),
  );
  await rawWrite(
    store,
    store.db.insertInto('list').values({
      id: LIST_ID,
      sender_entity_id: ENTITY_ID,
      name: 'Nieuwsbrief',
      description: null,
      created_at: at,
      updated_at: at,
      archived_at: null,
    }),
  );
  await insertMailing(store, MAILING_ID, 'Kerstbrood');
  return {
    dir,
    store,
    ctx,
    secrets,
    now,
    mailingId: MAILING_ID,
    entityId: ENTITY_ID,
    listId: LIST_ID,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A draft marketing mailing of this fixture's entity and list, written through the store's kit. */
export async function insertMailing(store: Store, id: string, subject: string): Promise<void> {
  await seedMailing(store.db, {
    id,
    senderEntityId: ENTITY_ID,
    listId: LIST_ID,
    subject,
    at: '2026-11-02T00:00:00.000Z',
  });
}

/** The kit's records, as consents of this fixture's entity for all its lists. */
const OURS = { senderEntityId: ENTITY_ID, scopeLists: 'ALL' } as const;

/** A phone consent with the evidence P1 needs: TRANSFER_RISK. */
export function phoneContact(email: string): ContactRecord {
  return phone({ email, ...OURS });
}

/** A single opt-in web consent with what S1 needs: TRANSFER_RISK. */
export function webSoiContact(email: string): ContactRecord {
  return soi({ email, ...OURS });
}

/** A complete double opt-in: ALLOWED_PROVEN, never part of an acknowledgement. */
export function doubleOptInContact(email: string): ContactRecord {
  return doi({ email, ...OURS });
}

export const GOOD_FACTS: MailingFacts = goodFacts({ expectedDailyVolumeToBigProvider: 10 });

export function assess(
  contacts: readonly ContactRecord[],
  now: Date,
  options: { mailingId?: string; facts?: Partial<MailingFacts> } = {},
): MailingAssessment {
  return assessMailing(
    {
      mailing: {
        id: options.mailingId ?? MAILING_ID,
        senderEntityId: ENTITY_ID,
        listId: LIST_ID,
        content: 'MARKETING',
      },
      facts: { ...GOOD_FACTS, ...options.facts },
      recipients: contacts.map((contact) => ({ contact, firstMarketingMailing: false })),
    },
    { now },
  );
}

export const ALL_STATEMENTS = [
  'SENDER_AND_CONTROLLER',
  'CONSENT_EVIDENCE_ON_REQUEST',
  'ACM_FINES_CHARGED_TO_SENDER',
  'BLOCKLIST_AND_TAKEDOWN_COSTS',
  'COMPLAINT_CHANNELS',
];
