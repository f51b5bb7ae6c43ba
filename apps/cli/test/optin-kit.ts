import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpTestServer, type SmtpFaults, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import type { OptinServer } from '@consent-mailer/optin';
import { startOptinTestService, TEST_BROWSER, TEST_FEED_TOKEN } from '@consent-mailer/optin/testing';
import { expect } from 'vitest';
import { runCli } from './cli-harness.js';

/** The feed token the kit's service is configured with (and the CLI gets as its secret). */
export const FEED_TOKEN = TEST_FEED_TOKEN;
/** The browser the test people use (the evidence records it). */
export const BROWSER = TEST_BROWSER;

/**
 * A running opt-in service on 127.0.0.1 (its own SQLite file, key and SMTP test server), a desktop database
 * driven through the CLI in process (entity "bakkerij", list "nieuwsbrief", SMTP profile "main" to a second
 * SMTP test server), and the steps a person takes in between. The CLI's clock moves with `cliOffset`
 * (milliseconds); the service's moves on by itself when a person confirms.
 */
export interface OptinKit {
  dir: string;
  base: string;
  service: OptinServer;
  serviceSmtp: SmtpTestServer;
  desktopSmtp: SmtpTestServer;
  cliOffset: number;
  db(): string;
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI JSON output is checked field by field
  cliJson(...args: string[]): Promise<any>;
  /** A person signing up with the form (POST as the browser sends it), then confirming from the mail. */
  signUpAndConfirm(email: string, lists: string[], confirm?: boolean): Promise<void>;
  /** The person opens the latest confirmation link mailed to `email` (GET page, POST with its nonce). */
  confirmFromMail(email: string): Promise<void>;
  newMailing(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the kit (about a second); `close` stops the servers and removes the files. `serviceSmtpFaults`:
 * what the service's SMTP server refuses (a relay that turns some recipients away).
 */
export async function startOptinKit(
  prefix = 'cm-optin-',
  { serviceSmtpFaults }: { serviceSmtpFaults?: SmtpFaults } = {},
): Promise<OptinKit> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const serviceSmtp = await startSmtpTestServer(serviceSmtpFaults ? { faults: serviceSmtpFaults } : {});
  const desktopSmtp = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist' } });
  const optin = await startOptinTestService({
    smtp: serviceSmtp,
    config: {
      controller: {
        legalName: 'Bakkerij de Vries B.V.',
        postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
        contactEmail: 'info@bakkerij.example',
        kvkNumber: '12345678',
      },
      forms: [
        {
          id: 'newsletter',
          version: '4',
          lists: [
            { id: 'nieuwsbrief', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } },
            { id: 'aanbiedingen', name: { nl: 'Aanbiedingen', en: 'Offers' } },
          ],
          consentTexts: [
            {
              version: 'v1',
              text: {
                nl: 'Ja, stuur mij de nieuwsbrief van Bakkerij de Vries.',
                en: 'Yes, send me the Bakkerij de Vries newsletter.',
              },
            },
          ],
        },
      ],
    },
  });
  const base = optin.base;
  const db = () => join(dir, 'consent-mailer.sqlite');

  const kit: OptinKit = {
    dir,
    base,
    service: optin.server,
    serviceSmtp,
    desktopSmtp,
    cliOffset: 0,
    db,
    cli: (...args) =>
      runCli(args, {
        env: {
          CONSENT_MAILER_DB: db(),
          CONSENT_MAILER_SECRET_SMTP_MAIN: 'juist',
          CONSENT_MAILER_SECRET_OPTIN_FEED_TOKEN: FEED_TOKEN,
        },
        clock: () => new Date(Date.now() + kit.cliOffset),
      }),
    async cliJson(...args) {
      const result = await kit.cli(...args, '--json');
      if (result.code !== 0)
        throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stdout}${result.stderr}`);
      return JSON.parse(result.stdout) as unknown;
    },
    async signUpAndConfirm(email, lists, confirm = true) {
      await optin.signUp(email, { lists, formVersion: '4', confirm });
    },
    confirmFromMail: (email) => optin.confirmFromMail(email),
    async newMailing(name) {
      const html = join(dir, `${name}.html`);
      writeFileSync(html, '<html><body><p>Het kerstbrood is er.</p></body></html>');
      const mailing = await kit.cliJson(
        'mailing',
        'create',
        '--name',
        name,
        '--entity',
        'bakkerij',
        '--list',
        'nieuwsbrief',
        '--smtp',
        'main',
        '--subject',
        'Kerstbrood',
        '--html-file',
        html,
      );
      return mailing.id as string;
    },
    async close() {
      await optin.close().catch(() => undefined);
      await serviceSmtp.close();
      await desktopSmtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  expect((await kit.cli('init')).code).toBe(0);
  const entity = await kit.cli(
    'entity',
    'add',
    '--legal-name',
    'Bakkerij de Vries B.V.',
    '--address',
    'Dorpsstraat 1, 1234 AB Ergens',
    '--email',
    'info@bakkerij.example',
    '--kvk',
    '12345678',
    '--id',
    'bakkerij',
  );
  expect(entity.code, entity.stderr).toBe(0);
  expect((await kit.cli('list', 'create', 'Nieuwsbrief', '--entity', 'bakkerij')).code).toBe(0);
  await kit.cliJson(
    'smtp',
    'add',
    'main',
    '--host',
    '127.0.0.1',
    '--port',
    String(desktopSmtp.port),
    '--security',
    'none',
    '--user',
    'nieuws',
    '--from',
    'nieuws@bakkerij.example',
    '--spf',
    '--dmarc',
  );
  return kit;
}
