import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData, withDataDirCaller } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const TEXT = {
  nl: {
    entity: (name: string) => `Afzender ${name} verwijderen`,
    entityDeleted: 'Afzender verwijderd',
    entityKept: 'blijft bewaard als bewijs',
    del: (name: string) => `Lijst ${name} verwijderen`,
    kept: 'blijft bewaard als bewijs',
    deleted: 'Lijst verwijderd',
  },
  en: {
    entity: (name: string) => `Delete sender ${name}`,
    entityDeleted: 'Sender deleted',
    entityKept: 'is kept as evidence',
    del: (name: string) => `Delete list ${name}`,
    kept: 'is kept as evidence',
    deleted: 'List deleted',
  },
} as const;

describe.each(['nl', 'en'] as const)('deleting lists and senders (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    await withDataDirCaller(dataDir, async (caller) => {
      await caller.settings.lists.create({ name: 'Oude acties', senderEntityId: 'bakkerij' });
      await caller.entities.add({
        id: 'tikfout',
        legalName: 'Bakkerij de Vris B.V.',
        postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
        contactEmail: 'info@bakkerijdevries.nl',
        kvkNumber: '12345678',
      });
      await caller.mailings.create({
        name: 'Voorjaar',
        senderEntityId: 'bakkerij',
        listId: 'nieuwsbrief',
        smtpProfile: 'hoofd',
        subject: 'Nieuws',
        html: '<p>Hallo</p>',
        content: 'MARKETING',
        promotesThirdParty: false,
        lang: 'nl',
      });
    });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes an unused list, and says why a list a mailing used is kept', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/settings/lists`);
    await page.getByRole('button', { name: text.del('Oude acties') }).click();
    await page.getByText(text.deleted).waitFor();
    await expect.poll(() => page.getByRole('button', { name: text.del('Oude acties') }).count()).toBe(0);

    await page.getByRole('button', { name: text.del('Nieuwsbrief') }).click();
    await page.getByRole('alert').filter({ hasText: text.kept }).waitFor();
    expect(await page.getByRole('button', { name: text.del('Nieuwsbrief') }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`lists-delete-${language}`);
  });

  it('deletes a mistyped sender, keeps the one consents refer to', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/settings/entities`);
    await page.getByRole('button', { name: text.entity('Bakkerij de Vris B.V.') }).click();
    await page.getByText(text.entityDeleted).waitFor();
    await expect
      .poll(() => page.getByRole('button', { name: text.entity('Bakkerij de Vris B.V.') }).count())
      .toBe(0);
    await page.getByRole('button', { name: text.entity('Bakkerij de Vries B.V.') }).click();
    await page.getByRole('alert').filter({ hasText: text.entityKept }).waitFor();
    expect(await page.getByRole('button', { name: text.entity('Bakkerij de Vries B.V.') }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`entities-delete-${language}`);
  });
});
