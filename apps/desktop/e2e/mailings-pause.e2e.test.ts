import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData } from './support/mailings-seed.js';

/** A real SMTP server on 127.0.0.1 that takes a moment per message, so a send lasts long enough to pause. */
async function startSlowSmtpServer(delayMs: number) {
  const received: string[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        setTimeout(() => {
          received.push(...session.envelope.rcptTo.map((recipient) => recipient.address));
          callback();
        }, delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** 152 mailable contacts: more than one outbox batch (100), which is where a pause takes effect. */
const MORE_PROVEN = 150;

describe('pausing and resuming a send', () => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSlowSmtpServer>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSlowSmtpServer(80);
    dataDir = await seedMailingData({ smtpPort: smtp.port, moreProven: MORE_PROVEN });
    app = await startE2eApp({ language: 'nl', dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops at once on pause (issue 14), and resume sends the rest, each recipient once', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Mailings', exact: true }).click();
    await page.getByRole('link', { name: 'Nieuwe mailing' }).click();
    const form = page.getByRole('form', { name: 'Mailing schrijven' });
    await form.getByLabel('Naam (alleen voor jezelf)').fill('Grote mailing');
    await form.getByLabel('Onderwerp').fill('Nieuws');
    // HTML of the owner's own (the editor is the default; its own test is mailings-composer).
    await form.locator('label').getByText('HTML', { exact: true }).click();
    await form.getByLabel('Inhoud (HTML)').fill('<p>Nieuws van de bakker.</p>');
    await form.getByRole('button', { name: 'Opslaan en beoordelen' }).click();
    await expect.poll(() => page.locator('[data-count="included"]').textContent()).toBe('152');

    await page.getByRole('button', { name: 'Nu versturen' }).click();
    await page
      .getByRole('dialog', { name: 'Mailing versturen?' })
      .getByRole('button', { name: 'Ja, versturen' })
      .click();
    const pause = page.getByRole('button', { name: 'Pauzeren' });
    await pause.waitFor();
    await pause.click();
    await page.getByRole('status').filter({ hasText: 'Gepauzeerd' }).waitFor();
    // Issue 14: only what was already on the way goes out; the progress shows exactly what arrived.
    await expect
      .poll(
        async () =>
          (await page.getByTestId('send-progress').textContent()) ===
          `${smtp.received.length} van 152 afgehandeld`,
        { timeout: 60_000 },
      )
      .toBe(true);
    await app.screenshot('mailings-paused-nl');
    const afterPause = smtp.received.length;
    expect(afterPause).toBeLessThan(100);

    await page.getByRole('button', { name: 'Hervatten' }).click();
    await page.getByRole('status').filter({ hasText: 'Klaar met versturen' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('send-progress').textContent()).toBe('152 van 152 afgehandeld');
    expect(smtp.received).toHaveLength(152);
    expect(new Set(smtp.received).size).toBe(152);
  });

  it('cancels what has not gone out yet after a pause', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Terug naar de mailings' }).click();
    await page.getByRole('link', { name: 'Nieuwe mailing' }).click();
    const form = page.getByRole('form', { name: 'Mailing schrijven' });
    await form.getByLabel('Naam (alleen voor jezelf)').fill('Tweede mailing');
    await form.getByLabel('Onderwerp').fill('Meer nieuws');
    // HTML of the owner's own (the editor is the default; its own test is mailings-composer).
    await form.locator('label').getByText('HTML', { exact: true }).click();
    await form.getByLabel('Inhoud (HTML)').fill('<p>Meer nieuws van de bakker.</p>');
    await form.getByRole('button', { name: 'Opslaan en beoordelen' }).click();
    await expect.poll(() => page.locator('[data-count="included"]').textContent()).toBe('152');
    const before = smtp.received.length;
    await page.getByRole('button', { name: 'Nu versturen' }).click();
    await page
      .getByRole('dialog', { name: 'Mailing versturen?' })
      .getByRole('button', { name: 'Ja, versturen' })
      .click();
    await page.getByRole('button', { name: 'Pauzeren' }).click();
    await page.getByRole('status').filter({ hasText: 'Gepauzeerd' }).waitFor();
    await expect
      .poll(
        async () =>
          (await page.getByTestId('send-progress').textContent()) ===
          `${smtp.received.length - before} van 152 afgehandeld`,
        { timeout: 60_000 },
      )
      .toBe(true);
    const sent = smtp.received.length - before;
    expect(sent).toBeLessThan(100);
    await page.getByRole('button', { name: 'Annuleren' }).click();
    await page
      .getByRole('dialog', { name: 'Annuleren' })
      .getByRole('button', { name: 'Ja, annuleren' })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: `Geannuleerd: ${152 - sent} berichten niet verstuurd.` })
      .waitFor();
    expect(await page.getByRole('table', { name: 'Aantallen per afleverstatus' }).textContent()).toContain(
      `Geannuleerd${152 - sent}`,
    );
    expect(smtp.received.length - before).toBe(sent);
    expect(await page.getByRole('button', { name: 'Hervatten' }).count()).toBe(0);
    await app.screenshot('mailings-cancelled-nl');
  });
});
