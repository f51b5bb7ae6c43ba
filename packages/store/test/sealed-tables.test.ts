import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addConsentTextVersion,
  createIntakeMailbox,
  markIntakeMessagesMoved,
  recordBounce,
  recordComplaint,
  recordIntakeMessage,
  saveAuthenticationCheck,
  setDomainPacing,
  verifyChain,
  type ChainVerification,
} from '../src/index.js';
import { ledgerFixture, type LedgerFixture } from './ledger-fixture.js';
import { AT } from '../src/testing/index.js';

// Issue 12: the tables sealed since migration 0195 (which server and sender mail goes out through and
// at what pace, the authentication verdict, bounces and complaints, the consent texts, the messages the
// intake read). An edit straight in the file is found at open and by `audit verify`, naming the table.

let fixture: LedgerFixture;
let intakeMessageId: number;
beforeEach(async () => {
  fixture = await ledgerFixture();
  const store = await fixture.open();
  await recordComplaint(
    store.db,
    { email: 'klager@example.net', source: 'SPAMKLACHT', receivedAt: AT, mailingId: fixture.mailingId },
    AT,
  );
  await recordBounce(
    store.db,
    { email: 'weg@example.org', kind: 'HARD', status: '5.1.1', diagnostic: 'no such user', receivedAt: AT },
    AT,
  );
  await saveAuthenticationCheck(store.db, {
    smtpProfileId: 'smtp-1',
    checkedAt: AT,
    spfPass: true,
    dkimPass: false,
    dmarcPresent: true,
    aligned: false,
    report: { spf: 'pass' },
  });
  await setDomainPacing(store.db, { smtpProfileId: 'smtp-1', domain: 'gmail.com', perMinute: 20 }, AT);
  await addConsentTextVersion(store.db, {
    kind: 'CONSENT',
    language: 'nl',
    label: 'Website 2026',
    body: 'Ja, stuur mij de nieuwsbrief.',
    at: AT,
  });
  await createIntakeMailbox(
    store.db,
    {
      id: 'mbox-1',
      name: 'info',
      host: '127.0.0.1',
      port: 993,
      security: 'TLS',
      username: 'info@bakkerij.nl',
      secretRef: 'imap:info',
      folder: 'INBOX',
      processedFolder: 'Processed',
      unrecognisedFolder: 'Unrecognised',
      pollSeconds: 300,
    },
    AT,
  );
  const message = await recordIntakeMessage(
    store.db,
    {
      mailboxId: 'mbox-1',
      folder: 'INBOX',
      uidValidity: 1,
      uid: 7,
      sourceSha256: 'a'.repeat(64),
      kind: 'COMPLAINT',
      attribution: 'HEADER_TOKEN',
      mailingId: fixture.mailingId,
      outcome: { suppressed: 1 },
      moveTo: 'Processed',
    },
    AT,
  );
  intakeMessageId = message.id;
  await store.close();
});
afterEach(() => {
  fixture.cleanup();
});

async function findings(): Promise<{ openCode: string; verification: ChainVerification }> {
  let openCode = '(opened)';
  try {
    await (await fixture.open()).close();
  } catch (error) {
    openCode = (error as { code?: string }).code ?? String(error);
  }
  const store = await fixture.open({ openDamaged: true });
  try {
    return { openCode, verification: await verifyChain(store.db) };
  } finally {
    await store.close();
  }
}

describe('rows of the tables sealed since 0195', () => {
  it('open clean when written through the store', async () => {
    expect(await findings()).toMatchObject({ openCode: '(opened)', verification: { ok: true } });
  });

  const attacks: [string, string, string, string][] = [
    [
      'the sending server of a profile',
      'smtp_profile',
      'ROW_CHANGED',
      `UPDATE smtp_profile SET host = 'smtp.elders.example'`,
    ],
    [
      'the sender address of a profile',
      'smtp_profile',
      'ROW_CHANGED',
      `UPDATE smtp_profile SET from_address = 'info@andere.nl'`,
    ],
    [
      'a failed authentication check made to pass',
      'authentication_check',
      'ROW_CHANGED',
      'UPDATE authentication_check SET dkim_pass = 1, aligned = 1',
    ],
    ['a domain limit raised', 'domain_pacing', 'ROW_CHANGED', 'UPDATE domain_pacing SET per_minute = 5000'],
    ['a hard bounce made soft', 'bounce', 'ROW_CHANGED', `UPDATE bounce SET kind = 'SOFT'`],
    ['a complaint deleted', 'complaint', 'ROW_REMOVED', 'DELETE FROM complaint'],
    [
      'a complaint added behind the store',
      'complaint',
      'ROW_ADDED',
      `INSERT INTO complaint (address_hash, source, received_at, created_at) VALUES ('${'b'.repeat(64)}', 'MANUAL', '${AT}', '${AT}')`,
    ],
    [
      'the text people consented to rewritten',
      'consent_text_version',
      'ROW_CHANGED',
      `DROP TRIGGER consent_text_version_refuse_update; UPDATE consent_text_version SET body = 'Iets anders.';
       CREATE TRIGGER consent_text_version_refuse_update BEFORE UPDATE ON consent_text_version BEGIN SELECT RAISE(ABORT, 'append-only'); END;`,
    ],
    [
      'what the intake attributed a message to',
      'intake_message',
      'ROW_CHANGED',
      `UPDATE intake_message SET attribution = 'NONE'`,
    ],
  ];
  it.each(attacks)('finds %s', async (_what, table, reason, statements) => {
    fixture.tamper(statements);
    const { openCode, verification } = await findings();
    expect(openCode).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({ ok: false, reason, table });
  });

  it('leaves the intake moving a message on the server to itself (a volatile column)', async () => {
    const store = await fixture.open();
    await markIntakeMessagesMoved(store.db, [intakeMessageId], AT);
    await store.close();
    fixture.tamper(`UPDATE intake_message SET moved_at = NULL`);
    expect(await findings()).toMatchObject({ openCode: '(opened)', verification: { ok: true } });
  });
});

describe('a file from before 0195', () => {
  it('opens clean, commits the rows of the newly sealed tables, and holds the file to them from then on', async () => {
    // As an older version left it: 0195 not run, and a profile written when smtp_profile was not sealed.
    fixture.tamper(`DELETE FROM kysely_migration WHERE name = '0195_seal_sending_and_feedback';
      INSERT INTO smtp_profile (id, name, host, port, security, from_address, created_at, updated_at)
        VALUES ('smtp-old', 'oud', 'mail.oud.example', 587, 'STARTTLS', 'oud@bakkerij.nl', '${AT}', '${AT}');`);
    const store = await fixture.open();
    const resealed = store.sqlite
      .prepare(`SELECT data FROM event WHERE type = 'ledger.resealed' ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get() as string;
    expect(JSON.parse(resealed)).toMatchObject({ migrations: ['0195_seal_sending_and_feedback'] });
    await store.close();
    expect(await findings()).toMatchObject({ openCode: '(opened)', verification: { ok: true } });
    fixture.tamper(`UPDATE smtp_profile SET host = 'smtp.elders.example' WHERE id = 'smtp-old'`);
    expect(await findings()).toMatchObject({
      openCode: 'STORE_CHAIN_BROKEN',
      verification: { ok: false, reason: 'ROW_CHANGED', table: 'smtp_profile', rowKey: '["smtp-old"]' },
    });
  });
});
