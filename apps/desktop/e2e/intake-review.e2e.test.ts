import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { addressHash, createIntakeMailbox, openStore, recordIntakeMessage } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/shared/app-database.js';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { SEEDED_CONTACTS, seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const TEXT = {
  nl: {
    review: 'Antwoorden die je moet beoordelen: 2',
    confirm: (who: string) => `Ja, nooit meer mailen: ${who}`,
    dismiss: (who: string) => `Nee, geen afmelding: ${who}`,
    phrase: 'Herkende woorden: “afmelden”',
    suppressed: 'Bezwaar gemaakt',
    notSuppressed: 'Staat niet op de lijst ‘Nooit meer mailen’.',
    perContact: 'Per contact',
  },
  en: {
    review: 'Replies for you to review: 2',
    confirm: (who: string) => `Yes, never mail again: ${who}`,
    dismiss: (who: string) => `No, not a request to stop: ${who}`,
    phrase: 'Words recognised: “afmelden”',
    suppressed: 'Objected',
    notSuppressed: 'Not on the ‘Never mail again’ list.',
    perContact: 'Per contact',
  },
} as const;

const [JAN, PIET] = SEEDED_CONTACTS.proven as [string, string];

describe.each(['nl', 'en'] as const)('replies the intake was unsure about (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    // Two replies as the intake records them when a stop wording comes with a question: flagged, no
    // suppression yet. (The classification itself is tested against Dovecot in packages/intake.)
    const store = await openStore({ path: join(dataDir, DATABASE_FILE) });
    try {
      const at = '2026-11-28T09:00:00.000Z';
      const mailbox = await createIntakeMailbox(
        store.db,
        {
          id: 'mb-info',
          name: 'info',
          host: '127.0.0.1',
          port: 993,
          security: 'TLS',
          username: 'info@bakkerijdevries.nl',
          secretRef: 'imap:info',
          folder: 'INBOX',
          processedFolder: 'Processed',
          unrecognisedFolder: 'Unrecognised',
          pollSeconds: 300,
        },
        at,
      );
      for (const [uid, email] of [JAN, PIET].entries()) {
        const contact = await store.db
          .selectFrom('contact')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
        const hash = addressHash(email);
        await recordIntakeMessage(
          store.db,
          {
            mailboxId: mailbox.id,
            folder: 'INBOX',
            uidValidity: 1,
            uid: uid + 1,
            sourceSha256: String(uid).repeat(64).slice(0, 64),
            kind: 'STOP_REPLY',
            attribution: 'ADDRESS',
            contactId: contact.id,
            addressHash: hash,
            outcome: {
              lines: [{ addressHash: hash, action: 'AWAITING_OWNER', tier: 'ADDRESS', phrase: 'afmelden' }],
            },
            needsReview: true,
            moveTo: null,
            receivedAt: at,
          },
          at,
        );
      }
    } finally {
      await store.close();
    }
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the owner confirm one reply as an objection and dismiss the other', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/arrivals`);
    await page.getByRole('heading', { name: text.review }).waitFor();
    expect(await page.getByText(text.phrase).count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`intake-review-${language}`);

    await page.getByRole('button', { name: text.confirm(JAN) }).click();
    await expect.poll(() => page.getByRole('button', { name: text.confirm(JAN) }).count()).toBe(0);
    await page.getByRole('button', { name: text.dismiss(PIET) }).click();
    await expect.poll(() => page.getByRole('heading', { name: text.review }).count()).toBe(0);

    // The confirmed one is on the block list, the dismissed one is still mailable.
    await page.goto(`${app.host.url}#/contacts/${encodeURIComponent(JAN)}`);
    await page.getByText(text.suppressed, { exact: true }).waitFor();
    await page.goto(`${app.host.url}#/contacts/${encodeURIComponent(PIET)}`);
    await page.getByText(text.notSuppressed).waitFor();
  });
});
