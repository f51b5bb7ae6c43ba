import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  appRouter,
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
  generateSigningKey,
} from '@consent-mailer/api';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import {
  paper as paperRecord,
  phone as phoneRecord,
  thirdParty as thirdPartyRecord,
} from '@consent-mailer/policy/testing';
import { openStore } from '@consent-mailer/store';
import { consentOf, doubleOptInConsent, seedList } from '@consent-mailer/store/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const ENTITY = 'bakkerij';
const NOW = new Date('2026-11-28T10:00:00.000Z');
const KEY_VARIABLE = 'CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY';
const BIN = resolve(import.meta.dirname, '..', 'bin', 'consent-mailer.js');

const OURS = { senderEntityId: ENTITY, scopeLists: 'ALL' } as const;
const phone = consentOf(phoneRecord(OURS));
const paper = consentOf(paperRecord(OURS));
const doubleOptIn = doubleOptInConsent(ENTITY);
const thirdParty = consentOf(thirdPartyRecord(OURS));

let dir: string;
let db: string;
let smtp: SmtpTestServer;
let mailingId: string;
let signingKey: string;

/** A database with a sender entity, an SMTP profile on the test server, a list of four contacts and a mailing. */
async function seed(): Promise<string> {
  const store = await openStore({ path: db });
  try {
    const caller = createCallerFactory(appRouter)(
      createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir, clock: () => NOW }),
    );
    await caller.entities.add({
      id: ENTITY,
      legalName: 'Bakkerij Jansen B.V.',
      postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
      contactEmail: 'info@bakkerij.example',
      kvkNumber: '12345678',
    });
    await caller.smtp.add({
      name: 'main',
      senderEntityId: ENTITY,
      host: '127.0.0.1',
      port: smtp.port,
      security: 'NONE',
      fromAddress: 'nieuws@bakkerij.example',
      spfDeclared: true,
      dmarcDeclared: true,
    });
    await seedList(
      store.db,
      'news',
      [
        { email: 'piet@example.nl', consent: phone },
        { email: 'mies@example.nl', consent: paper },
        { email: 'jan@example.nl', consent: doubleOptIn },
        { email: 'spam@example.nl', consent: thirdParty },
      ],
      { at: NOW.toISOString(), list: { name: 'Nieuwsbrief', senderEntityId: ENTITY } },
    );
    const mailing = await caller.mailings.create({
      name: 'December',
      senderEntityId: ENTITY,
      listId: 'news',
      smtpProfile: 'main',
      subject: 'Kerstbrood',
      html: '<p>Ons kerstbrood is er weer.</p>',
      lang: 'nl',
    });
    return mailing.id;
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-ack-'));
  db = join(dir, 'consent-mailer.sqlite');
  smtp = await startSmtpTestServer();
  mailingId = await seed();
  signingKey = generateSigningKey().secret;
}, 30_000);

afterEach(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  return runCli(['--db', db, ...args], {
    env: options.env ?? { [KEY_VARIABLE]: signingKey },
    clock: () => NOW,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
  });
}

const countAcknowledgements = async () => {
  const store = await openStore({ path: db });
  try {
    return (await store.db.selectFrom('acknowledgement').select('id').execute()).length;
  } finally {
    await store.close();
  }
};

describe('consent-mailer acknowledge', () => {
  it('signs from the CLI; the send then reaches exactly the covered recipients; the JSON verifies and an altered one is refused', async () => {
    const signed = await run([
      'acknowledge',
      mailingId,
      '--name',
      'Anna de Vries',
      '--role',
      'directeur',
      '--lang',
      'nl',
      '--yes',
      '--json',
    ]);
    expect(signed.code, signed.stderr + signed.stdout).toBe(0);
    const acknowledgement = JSON.parse(signed.stdout) as {
      id: string;
      recipientCount: number;
      verificationCode: string;
      keyFingerprint: string;
    };
    expect(acknowledgement.recipientCount).toBe(2);

    const sent = await run(['mailing', 'send', mailingId]);
    expect(sent.code, sent.stderr + sent.stdout).toBe(0);
    // The phone and paper contacts go under the signature, the proven one anyway, the bought address never.
    expect(smtp.messages.flatMap((message) => message.to).sort()).toEqual([
      'jan@example.nl',
      'mies@example.nl',
      'piet@example.nl',
    ]);

    const shown = await run(['acknowledgements', 'show', acknowledgement.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Anna de Vries (directeur)');
    expect(shown.stdout).toMatch(/piet@example\.nl\s+PHONE\s+P1\s+delivery SENT/);
    expect(shown.stdout).toContain('2 delivered');

    const exported = await run([
      'acknowledgements',
      'export',
      acknowledgement.id,
      '--dir',
      join(dir, 'out'),
      '--json',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const files = JSON.parse(exported.stdout) as { pdf: string; json: string };
    expect(readFileSync(files.pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const verified = await run(['verify', files.json, '--key', acknowledgement.keyFingerprint], { env: {} });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`VALID: signed with the trusted key ${acknowledgement.keyFingerprint}`);
    expect(verified.stdout).toContain(acknowledgement.verificationCode);

    const text = readFileSync(files.json, 'utf8');
    const altered = join(dir, 'altered.json');
    writeFileSync(altered, text.replace('"recipients": [', '"recipients": [ '));
    const layout = await run(['verify', altered], { env: {} });
    expect(layout.code).toBe(1);
    expect(layout.stderr).toMatch(/line \d+, column \d+/);
    writeFileSync(altered, text.replace('"count": 2', '"count": 3'));
    const count = await run(['verify', altered], { env: {} });
    expect(count.code).toBe(1);
    expect(count.stdout).toContain('NOT VALID');
    expect(count.stderr).toContain('acknowledgement.recipients.count');
  }, 60_000);

  it('mailing send refuses, and mails nobody, when the only acknowledgement is a row forged in the database', async () => {
    // Another mailing to the same list, genuinely signed: its payload is what the attacker copies.
    const store = await openStore({ path: db });
    let otherId: string;
    try {
      const caller = createCallerFactory(appRouter)(
        createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir, clock: () => NOW }),
      );
      otherId = (
        await caller.mailings.create({
          name: 'November',
          senderEntityId: ENTITY,
          listId: 'news',
          smtpProfile: 'main',
          subject: 'Oliebollen',
          html: '<p>Oliebollen!</p>',
          lang: 'nl',
        })
      ).id;
    } finally {
      await store.close();
    }
    const signed = await run(['acknowledge', otherId, '--name', 'Anna', '--role', 'eigenaar', '--yes']);
    expect(signed.code, signed.stderr).toBe(0);
    const edit = await openStore({ path: db });
    try {
      // Signature AAAA, no acknowledgement.signed event, another mailing's payload.
      edit.sqlite
        .prepare(
          "INSERT INTO acknowledgement (id, mailing_id, assessment_id, sender_entity_id, signer_name, signer_role, legal_name, kvk_number, signed_at, policy_version, text_version_id, text_hash, language, counts, recipient_set_hash, recipient_count, payload, signature, public_key) SELECT 'forged', ?, assessment_id, sender_entity_id, signer_name, signer_role, legal_name, kvk_number, signed_at, policy_version, text_version_id, text_hash, language, counts, recipient_set_hash, recipient_count, payload, 'AAAA', public_key FROM acknowledgement",
        )
        .run(mailingId);
    } finally {
      await edit.close();
    }
    const sent = await run(['mailing', 'send', mailingId]);
    expect(sent.code).toBe(1);
    // The gate names the row it refuses (a check at open that refuses the database first is fine too).
    expect(sent.stderr).toContain('forged');
    expect(smtp.messages).toHaveLength(0);
  }, 60_000);

  it('asks for each statement on a terminal, and signs nothing when one is declined', async () => {
    const declined = await run(
      ['acknowledge', mailingId, '--name', 'Anna', '--role', 'eigenaar', '--lang', 'nl'],
      { stdin: 'j\nj\nnee\n' },
    );
    expect(declined.code, declined.stderr).toBe(1);
    expect(declined.stderr).toContain('Bevestigt u deze verklaring?');
    expect(declined.stderr, declined.stderr).toContain('ACM_FINES_CHARGED_TO_SENDER');
    expect(await countAcknowledgements()).toBe(0);

    const accepted = await run(['acknowledge', mailingId, '--name', 'Anna', '--role', 'eigenaar'], {
      stdin: 'y\ny\ny\ny\nyes\n',
    });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('RISK-TRANSFER ACKNOWLEDGEMENT');
    expect(accepted.stdout).toMatch(
      /Signed: acknowledgement .* verification code [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}, 2 recipients/,
    );
    expect(await countAcknowledgements()).toBe(1);
  }, 60_000);

  it('refuses without a terminal unless --yes, and without a signing key says how to make one', async () => {
    const noTerminal = await run(['acknowledge', mailingId, '--name', 'Anna', '--role', 'eigenaar']);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('--yes');
    const noKey = await run(['acknowledge', mailingId, '--name', 'Anna', '--role', 'eigenaar', '--yes'], {
      env: {},
    });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('acknowledgements keygen');
    expect(noKey.stderr).toContain(KEY_VARIABLE);
    expect(await countAcknowledgements()).toBe(0);

    const keygen = await run(['acknowledgements', 'keygen'], { env: {} });
    expect(keygen.code).toBe(0);
    const [variable, value] = keygen.stdout.trim().split('=', 2);
    expect(variable).toBe(KEY_VARIABLE);
    const withKey = await run(['acknowledge', mailingId, '--name', 'Anna', '--role', 'eigenaar', '--yes'], {
      env: { [KEY_VARIABLE]: value },
    });
    expect(withKey.code, withKey.stderr).toBe(0);
  }, 60_000);

  it('lists by year and signer, and exports a year with an index', async () => {
    expect(
      (await run(['acknowledge', mailingId, '--name', 'Anna de Vries', '--role', 'directeur', '--yes'])).code,
    ).toBe(0);
    const listed = await run(['acknowledgements', 'list', '--year', '2026', '--signer', 'anna', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { signerName: 'Anna de Vries', legalName: 'Bakkerij Jansen B.V.', recipientCount: 2 },
    ]);
    expect(JSON.parse((await run(['acknowledgements', 'list', '--year', '2025', '--json'])).stdout)).toEqual(
      [],
    );
    const [item] = JSON.parse(listed.stdout) as { id: string }[];
    const checked = await run(['acknowledgements', 'check', item?.id ?? '']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('VALID: acknowledgement');
    expect(checked.stdout).toContain("signed with this installation's key");

    const year = await run([
      'acknowledgements',
      'export',
      '--year',
      '2026',
      '--dir',
      join(dir, 'accountant'),
    ]);
    expect(year.code, year.stderr).toBe(0);
    const folder = join(dir, 'accountant', 'acknowledgements-2026');
    const files = readdirSync(folder);
    expect(files.filter((file) => file.endsWith('.pdf'))).toHaveLength(1);
    expect(files).toContain('index.csv');
    expect(readFileSync(join(folder, 'index.csv'), 'utf8')).toContain('Anna de Vries');
  }, 60_000);

  it('verify runs as its own process with no database anywhere', async () => {
    const signed = await run([
      'acknowledge',
      mailingId,
      '--name',
      'Anna',
      '--role',
      'eigenaar',
      '--yes',
      '--json',
    ]);
    const { id } = JSON.parse(signed.stdout) as { id: string };
    const exported = JSON.parse(
      (await run(['acknowledgements', 'export', id, '--dir', join(dir, 'out'), '--json'])).stdout,
    ) as { json: string };
    rmSync(db, { force: true });
    const empty = mkdtempSync(join(tmpdir(), 'cm-cli-nodb-'));
    try {
      const child = spawnSync(process.execPath, [BIN, 'verify', exported.json], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: empty, CONSENT_MAILER_DATA_DIR: join(empty, 'none') },
        cwd: empty,
      });
      expect(child.status, child.stderr).toBe(0);
      // No key pinned: it says which key it checked against, and never a bare VALID.
      expect(child.stdout).toContain('CHECKED AGAINST THE KEY INSIDE THE FILE ONLY');
      expect(child.stdout).not.toMatch(/^VALID/m);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
