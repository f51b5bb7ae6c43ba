import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appRouter,
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
  generateSigningKey,
} from '@consent-mailer/api';
import { addToList, createList, openStore, upsertContact } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The forger an attacker would write: edit the export, then make everything in it consistent again.
import { resignEditedBundle } from '../../../packages/api/test/forged-bundle.js';
import { runCli } from './cli-harness.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const KEY_VARIABLE = 'CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY';

let dir: string;
let db: string;
let mailingId: string;
let signingKey: string;

async function seed(): Promise<string> {
  const store = await openStore({ path: db });
  try {
    const caller = createCallerFactory(appRouter)(
      createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir, clock: () => NOW }),
    );
    await caller.entities.add({
      id: 'bakkerij',
      legalName: 'Bakkerij Jansen B.V.',
      postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
      contactEmail: 'info@bakkerij.example',
      kvkNumber: '12345678',
    });
    await caller.smtp.add({
      name: 'main',
      senderEntityId: 'bakkerij',
      host: '127.0.0.1',
      port: 2525,
      security: 'NONE',
      fromAddress: 'nieuws@bakkerij.example',
      spfDeclared: true,
      dmarcDeclared: true,
    });
    await createList(store.db, {
      id: 'news',
      name: 'Nieuwsbrief',
      senderEntityId: 'bakkerij',
      at: NOW.toISOString(),
    });
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { contactId } = await upsertContact(
        store.db,
        {
          email: `klant${i}@example.nl`,
          recipientKind: 'CONSUMER',
          consent: {
            method: 'PHONE',
            senderEntityId: 'bakkerij',
            scopeLists: 'ALL',
            signupAt: '2026-10-01T09:00:00Z',
            phoneAgent: 'Piet',
            consentTextVersionId: 'script-1',
          },
        },
        { at: NOW.toISOString() },
      );
      ids.push(contactId);
    }
    await addToList(store.db, 'news', ids, { at: NOW.toISOString() });
    const mailing = await caller.mailings.create({
      name: 'December',
      senderEntityId: 'bakkerij',
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
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-pin-'));
  db = join(dir, 'consent-mailer.sqlite');
  mailingId = await seed();
  signingKey = generateSigningKey().secret;
}, 30_000);

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: NodeJS.ProcessEnv = { [KEY_VARIABLE]: signingKey }) {
  return runCli(['--db', db, ...args], { env, clock: () => NOW });
}

/** Signs the mailing from the CLI and exports it; returns the JSON file and the installation's fingerprint. */
async function signAndExport(): Promise<{ json: string; id: string; fingerprint: string }> {
  const signed = await run([
    'acknowledge',
    mailingId,
    '--name',
    'Anna de Vries',
    '--role',
    'directeur',
    '--yes',
    '--json',
  ]);
  expect(signed.code, signed.stderr).toBe(0);
  const { id, keyFingerprint } = JSON.parse(signed.stdout) as { id: string; keyFingerprint: string };
  const exported = await run(['acknowledgements', 'export', id, '--dir', join(dir, 'out'), '--json']);
  expect(exported.code, exported.stderr).toBe(0);
  return { json: (JSON.parse(exported.stdout) as { json: string }).json, id, fingerprint: keyFingerprint };
}

describe('verify with a pinned key', () => {
  it('the business reads out the same fingerprint that "acknowledgements key" shows', async () => {
    const { fingerprint } = await signAndExport();
    const key = await run(['acknowledgements', 'key']);
    expect(key.code).toBe(0);
    expect(key.stdout.split('\n')[0]).toBe(fingerprint);
  });

  it('refuses an export edited (signer, KvK, 10 recipients removed) and re-signed with a fresh key', async () => {
    const { json, fingerprint } = await signAndExport();
    const forged = resignEditedBundle(readFileSync(json, 'utf8'), {
      signerName: 'Iemand Anders',
      kvkNumber: '87654321',
      removeRecipients: 10,
    });
    const file = join(dir, 'forged.json');
    writeFileSync(file, forged.text);

    // Without a pinned key the forgery is consistent, and verify says plainly what that is worth.
    const unpinned = await run(['verify', file], {});
    expect(unpinned.code, unpinned.stderr).toBe(0);
    expect(unpinned.stdout).toContain(`CHECKED AGAINST THE KEY INSIDE THE FILE ONLY (${forged.fingerprint})`);
    expect(unpinned.stdout).toContain('--key FINGERPRINT');
    expect(unpinned.stdout).not.toMatch(/^VALID/m);
    const dutch = await run(['verify', file, '--lang', 'nl'], {});
    expect(dutch.stdout).toContain('ALLEEN GECONTROLEERD TEGEN DE SLEUTEL IN HET BESTAND');
    expect(dutch.stdout).not.toMatch(/^GELDIG/m);

    const pinned = await run(['verify', file, '--key', fingerprint], {});
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toContain('NOT VALID');
    expect(pinned.stderr).toContain('publicKey');
    expect(pinned.stderr).toContain(forged.fingerprint);

    const keys = join(dir, 'trusted-keys.txt');
    writeFileSync(keys, `# Bakkerij Jansen, by phone on 1 December\n${fingerprint.toUpperCase()}\n`);
    const fromFile = await run(['verify', file, '--trusted-keys', keys], {});
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain('not a trusted key');

    // The genuine export passes against the same pins.
    const genuine = await run(['verify', json, '--trusted-keys', keys], {});
    expect(genuine.code, genuine.stderr).toBe(0);
    expect(genuine.stdout).toContain(`VALID: signed with the trusted key ${fingerprint}`);
  }, 60_000);

  it('says what is wrong with a --key or trusted-keys file it cannot use', async () => {
    const { json } = await signAndExport();
    const badKey = await run(['verify', json, '--key', 'abc'], {});
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('--key expects a key fingerprint');
    const keys = join(dir, 'keys.txt');
    writeFileSync(keys, 'sha256:1234\n');
    const badFile = await run(['verify', json, '--trusted-keys', keys], {});
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain('"sha256:1234"');
  }, 60_000);
});

describe('acknowledgements check', () => {
  it("fails for an acknowledgement signed with another installation's key", async () => {
    const { id } = await signAndExport();
    expect((await run(['acknowledgements', 'check', id])).code).toBe(0);
    const foreign = await run(['acknowledgements', 'check', id], {
      [KEY_VARIABLE]: generateSigningKey().secret,
    });
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).not.toContain('VALID');
    expect(foreign.stderr).toContain("which is not this installation's key");
    const none = await run(['acknowledgements', 'check', id], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No signing key of this installation is set here');
  }, 60_000);
});
