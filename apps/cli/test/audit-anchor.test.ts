import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@consent-mailer/api';
import { anchorPathFor, openStore, readAnchorFile, upsertContact } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawWrite } from '@consent-mailer/store/testing';
import { runCli } from './cli-harness.js';

// Issue 12, from the command line: a database whose anchor is gone is refused by every command and by
// `audit verify`; the owner, who holds the installation key, can adopt its head (`audit anchor --adopt`),
// which the event log records; a head printed by `audit anchor` is checked with `--expect SEQ:HASH`.

const KEY_VARIABLE = 'CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY';
const at = '2026-11-28T12:00:00.000Z';
let dir: string;
let db: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-anchor-'));
  db = join(dir, 'consent-mailer.sqlite');
  env = { [KEY_VARIABLE]: generateSigningKey().secret };
  const store = await openStore({ path: db });
  await rawWrite(
    store,
    store.db.insertInto('sender_entity').values({
      id: 'bakkerij',
      legal_name: 'Bakkerij de Vries B.V.',
      trade_name: null,
      postal_address: null,
      contact_email: null,
      kvk_number: null,
      created_at: at,
      updated_at: at,
    }),
  );
  await upsertContact(
    store.db,
    {
      email: 'jan@example.nl',
      recipientKind: 'CONSUMER',
      consent: { method: 'PHONE', senderEntityId: 'bakkerij', scopeLists: 'ALL', phoneAgent: 'Kees' },
    },
    { at },
  );
  await store.close();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('consent-mailer audit anchor', () => {
  it('refuses a database whose anchor was deleted until the key holder adopts its head', async () => {
    // The first command with the key signs the head and pins the key in the event log.
    const first = await runCli(['audit', 'anchor', '--db', db, '--json'], { env });
    expect(first.code).toBe(0);
    const fingerprint = (JSON.parse(first.stdout) as { keyFingerprint: string }).keyFingerprint;
    expect(fingerprint).toMatch(/^sha256:/);
    rmSync(anchorPathFor(db));

    const refused = await runCli(['contacts', 'list', '--db', db], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('STORE_ANCHOR_INVALID');
    expect(refused.stderr).toContain('is missing, while the event log has events');
    const audit = await runCli(['audit', 'verify', '--db', db], { env });
    expect(audit.code).toBe(1);
    expect(audit.stderr).toContain('AUDIT_ANCHOR_INVALID');
    expect(audit.stderr).toContain('(MISSING;');

    // Without the key the head cannot be adopted.
    const keyless = await runCli(['audit', 'anchor', '--adopt', '--db', db]);
    expect(keyless.code).not.toBe(0);
    expect(keyless.stderr).toContain('AUDIT_ANCHOR_NO_KEY');

    const adopted = await runCli(['audit', 'anchor', '--adopt', '--db', db, '--json'], { env });
    expect(adopted.code).toBe(0);
    const anchor = JSON.parse(adopted.stdout) as { seq: number; hash: string; keyFingerprint: string };
    expect(anchor.keyFingerprint).toBe(fingerprint);
    expect(readAnchorFile(anchorPathFor(db))).toMatchObject({ seq: anchor.seq, hash: anchor.hash });
    const store = await openStore({ path: db, check: false });
    const recorded = store.sqlite
      .prepare(`SELECT data FROM event WHERE type = 'ledger.anchor_adopted'`)
      .pluck()
      .get() as string;
    await store.close();
    expect(JSON.parse(recorded)).toMatchObject({ problem: 'MISSING', keyFingerprint: fingerprint });

    expect((await runCli(['contacts', 'list', '--db', db], { env })).code).toBe(0);
    const expected = await runCli(
      ['audit', 'verify', '--db', db, '--expect', `${anchor.seq}:${anchor.hash}`],
      {
        env,
      },
    );
    expect(expected.code).toBe(0);
    expect(expected.stdout).toContain(`The chain contains the expected head ${anchor.seq}:${anchor.hash}`);
  });
});
