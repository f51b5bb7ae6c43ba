import { generateKeyPairSync, sign, verify, createHash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  addSuppression,
  createImportBatch,
  createList,
  createMailing,
  createSenderEntity,
  createSmtpProfile,
  finishImportBatch,
  insertAcknowledgement,
  openStore,
  queueDeliveries,
  recordDeliveryOutcomes,
  saveAssessment,
  upsertContact,
  writeImportChunk,
  type AnchorSigner,
  type ImportContactRow,
  type OpenStoreOptions,
  type Store,
} from '../src/index.js';
import { AT, tempDir } from '../src/testing/index.js';

/** An installation key for anchors, as the api makes one (Ed25519), without the api. */
export function testSigner(): AnchorSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    fingerprint: `sha256:${createHash('sha256').update(der).digest('hex')}`,
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
    verify: (message, signature) => {
      try {
        return verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'base64'));
      } catch {
        // A malformed signature is simply not valid.
        return false;
      }
    },
  };
}

function unknownOrigin(index: number): ImportContactRow {
  return {
    email: `onbekend${index}@example.nl`,
    recipientKind: 'CONSUMER',
    method: 'IMPORTED_UNKNOWN',
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
  };
}

/** The database of a small business after an import, an unsubscribe, an acknowledgement and a send. */
export interface LedgerFixture {
  path: string;
  dir: string;
  signer: AnchorSigner;
  mailingId: string;
  cleanup: () => void;
  open: (options?: Partial<OpenStoreOptions>) => Promise<Store>;
  /** Runs SQL on the file with a plain connection: what someone with the file can do. */
  tamper: (statements: string) => void;
}

/**
 * Builds the fixture through the store's own functions (every change written as the app writes it), on a
 * real file, and closes it; the anchor beside it is signed with a test key.
 */
export async function ledgerFixture(): Promise<LedgerFixture> {
  const { dir, cleanup } = tempDir('ledger-test-');
  const path = join(dir, 'consent-mailer.sqlite');
  const signer = testSigner();
  const store = await openStore({ path, anchorSigner: signer });
  await createSenderEntity(
    store.db,
    {
      id: 'bakkerij',
      legalName: 'Bakkerij de Vries B.V.',
      postalAddress: 'Dorpsstraat 1, Utrecht',
      contactEmail: 'info@bakkerij.nl',
      kvkNumber: '12345678',
    },
    AT,
  );
  await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
  const batch = await createImportBatch(store.db, {
    id: 'batch-1',
    fileName: 'klanten.csv',
    fileSha256: 'a'.repeat(64),
    fileSize: 1234,
    senderEntityId: 'bakkerij',
    listId: 'nieuwsbrief',
    mapping: { email: 'E-mail' },
    defaultMethod: 'IMPORTED_UNKNOWN',
    attestation: { signerName: 'J. de Vries', signedAt: AT, claimedBasis: 'old customers' },
    sourceTool: 'generic',
    encoding: 'utf-8',
    delimiter: ';',
    rowsTotal: 50,
    at: AT,
  });
  await writeImportChunk(
    store.db,
    batch.id,
    {
      rows: Array.from({ length: 50 }, (_, index) => unknownOrigin(index)),
      suppress: [],
      duplicates: 0,
      rejected: 0,
      rowsDone: 50,
    },
    { at: AT, listId: 'nieuwsbrief' },
  );
  await finishImportBatch(store.db, batch.id, { status: 'DONE', at: AT });
  await upsertContact(
    store.db,
    {
      email: 'jan@example.nl',
      recipientKind: 'CONSUMER',
      consent: {
        method: 'WEB_DOI',
        senderEntityId: 'bakkerij',
        scopeLists: 'ALL',
        signupAt: '2026-01-05T10:00:00Z',
        confirmedAt: '2026-01-05T10:05:00Z',
        signupIp: '192.0.2.1',
      },
    },
    { at: AT },
  );
  const profile = await createSmtpProfile(
    store.db,
    {
      id: 'smtp-1',
      name: 'main',
      host: '127.0.0.1',
      port: 2525,
      security: 'NONE',
      fromAddress: 'info@bakkerij.nl',
      connections: 1,
    },
    AT,
  );
  const mailingId = 'mailing-1';
  await createMailing(
    store.db,
    {
      id: mailingId,
      name: 'Nieuwsbrief december',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      smtpProfileId: profile.id,
      subject: 'Nieuws',
      html: '<p>Hallo</p>',
      content: 'MARKETING',
      lang: 'nl',
    },
    AT,
  );
  await saveAssessment(
    store.db,
    {
      id: 'assessment-1',
      mailingId,
      policyVersion: '1',
      classification: 'TRANSFER_RISK',
      counts: {},
      reasons: {},
      recipientSetHash: 'b'.repeat(64),
      recipientCount: 3,
      includedCount: 3,
      excludedCount: 0,
      needsAcknowledgementCount: 2,
    },
    AT,
  );
  const contacts = await store.db
    .selectFrom('contact')
    .select(['id', 'email', 'address_hash'])
    .orderBy('id')
    .limit(3)
    .execute();
  await insertAcknowledgement(
    store.db,
    {
      id: 'ack-1',
      mailing_id: mailingId,
      assessment_id: 'assessment-1',
      sender_entity_id: 'bakkerij',
      signer_name: 'J. de Vries',
      signer_role: 'eigenaar',
      legal_name: 'Bakkerij de Vries B.V.',
      kvk_number: '12345678',
      signed_at: AT,
      policy_version: '1',
      text_version_id: 'c'.repeat(64),
      text_hash: 'c'.repeat(64),
      language: 'nl',
      counts: '{}',
      recipient_set_hash: 'b'.repeat(64),
      recipient_count: 2,
      payload: '{}',
      signature: 'signature',
      public_key: 'key',
    },
    contacts.slice(0, 2).map((contact) => ({
      address_hash: contact.address_hash,
      method: 'IMPORTED_UNKNOWN' as const,
      reasons: '[]',
    })),
    { documentSha256: 'd'.repeat(64) },
  );
  await queueDeliveries(store.db, {
    mailingId,
    at: AT,
    recipients: contacts.map((contact, index) => ({
      contactId: contact.id,
      email: contact.email,
      classification: 'TRANSFER_RISK' as const,
      method: 'IMPORTED_UNKNOWN' as const,
      firstMailing: true,
      unsubscribeToken: `token-${index}`,
      acknowledgementId: 'ack-1',
    })),
  });
  const deliveries = await store.db.selectFrom('delivery').select('id').orderBy('id').execute();
  await recordDeliveryOutcomes(
    store.db,
    deliveries.map((delivery) => ({
      id: delivery.id,
      outcome: { kind: 'SENT', reply: '250 2.0.0 Ok', code: 250 },
    })),
    AT,
    store.sqlite,
  );
  // The unsubscribe comes last: the newest events, the ones a tail cut would remove.
  await addSuppression(store.db, {
    email: 'onbekend3@example.nl',
    reason: 'UNSUBSCRIBED',
    source: 'UNSUBSCRIBE_LINK',
    at: AT,
  });
  await store.close();
  return {
    path,
    dir,
    signer,
    mailingId,
    cleanup,
    open: (options = {}) => openStore({ path, anchorSigner: signer, ...options }),
    tamper: (statements) => {
      const sqlite = new BetterSqlite3(path);
      try {
        sqlite.exec(statements);
      } finally {
        sqlite.close();
      }
    },
  };
}

/** SQL that drops the append-only triggers of the event log (the first step of every rewrite). */
export const DROP_EVENT_TRIGGERS = `
  DROP TRIGGER event_refuse_update; DROP TRIGGER event_refuse_delete;
  DROP TRIGGER event_row_refuse_update; DROP TRIGGER event_row_refuse_delete;`;

/** SQL that puts them back, so only the change itself is left to find. */
export const CREATE_EVENT_TRIGGERS = `
  CREATE TRIGGER event_refuse_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  CREATE TRIGGER event_refuse_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  CREATE TRIGGER event_row_refuse_update BEFORE UPDATE ON event_row BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  CREATE TRIGGER event_row_refuse_delete BEFORE DELETE ON event_row BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;`;
