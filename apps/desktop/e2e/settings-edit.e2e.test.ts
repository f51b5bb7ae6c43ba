import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySecretStore } from '@consent-mailer/api';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { coveredByNotice } from './support/notice-overlap.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';

const TEXT = {
  nl: {
    entityForm: 'Afzender toevoegen',
    legalName: 'Statutaire naam',
    postalAddress: 'Postadres',
    contactEmail: 'E-mailadres voor contact',
    kvkNumber: 'KvK-nummer',
    website: 'Website',
    saveEntity: 'Afzender opslaan',
    saved: 'Afzender opgeslagen',
    editEntity: (name: string) => `Afzender ${name} wijzigen`,
    saveChanges: 'Wijzigingen opslaan',
    kvkWrong: 'KvK-nummer: een KvK-nummer heeft 8 cijfers',
    smtpForm: 'SMTP-server toevoegen',
    name: 'Naam van dit profiel',
    host: 'Server',
    port: 'Poort',
    security: 'Beveiliging',
    none: 'Geen (alleen voor een server op deze computer)',
    user: 'Gebruikersnaam',
    password: 'Wachtwoord',
    fromAddress: 'Afzenderadres',
    saveSmtp: 'SMTP-server opslaan',
    editSmtp: (name: string) => `SMTP-server ${name} wijzigen`,
    test: (name: string) => `Verbinding testen: ${name}`,
    testOk: 'Verbinding gelukt',
    testFailed: 'mislukt',
  },
  en: {
    entityForm: 'Add sender',
    legalName: 'Legal name',
    postalAddress: 'Postal address',
    contactEmail: 'Contact e-mail address',
    kvkNumber: 'KvK number',
    website: 'Website',
    saveEntity: 'Save sender',
    saved: 'Sender saved',
    editEntity: (name: string) => `Edit sender ${name}`,
    saveChanges: 'Save changes',
    kvkWrong: 'KvK number: a KvK number has 8 digits',
    smtpForm: 'Add SMTP server',
    name: 'Name of this profile',
    host: 'Server',
    port: 'Port',
    security: 'Security',
    none: 'None (only for a server on this computer)',
    user: 'User name',
    password: 'Password',
    fromAddress: 'From address',
    saveSmtp: 'Save SMTP server',
    editSmtp: (name: string) => `Edit SMTP server ${name}`,
    test: (name: string) => `Test connection: ${name}`,
    testOk: 'Connection works',
    testFailed: 'failed',
  },
} as const;

describe.each(['nl', 'en'] as const)('editing senders and SMTP servers (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: SmtpTestServer;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist-wachtwoord' } });
    dataDir = mkdtempSync(join(tmpdir(), 'consent-mailer-e2e-edit-'));
    app = await startE2eApp({ language, dataDir, host: { secrets: createMemorySecretStore() } });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a sender with a website typed without https://, then fixes its KvK number', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/settings/entities`);
    const form = page.getByRole('form', { name: text.entityForm });
    await form.getByLabel(text.legalName).fill('Bakkerij de Vries B.V.');
    await form.getByLabel(text.postalAddress).fill('Dorpsstraat 1, 1234 AB Ergens');
    await form.getByLabel(text.contactEmail).fill('info@bakkerij.nl');
    await form.getByLabel(text.kvkNumber).fill('12345678');
    await form.getByLabel(text.website).fill('bakkerij.nl');
    await form.getByRole('button', { name: text.saveEntity }).click();
    await page.getByText(text.saved).first().waitFor();
    // The notice covers neither the settings heading nor an action of the page.
    expect(await coveredByNotice(page, text.saved)).toEqual([]);
    await app.screenshot(`entity-saved-notice-${language}`);

    await page.getByRole('button', { name: text.editEntity('Bakkerij de Vries B.V.') }).click();
    const edit = page.getByRole('form', { name: text.editEntity('Bakkerij de Vries B.V.') });
    expect(await edit.getByLabel(text.website).inputValue()).toBe('https://bakkerij.nl');
    await edit.getByLabel(text.kvkNumber).fill('8765432');
    await edit.getByRole('button', { name: text.saveChanges }).click();
    // The refusal names the field as the form labels it, in the user's language, with no internal code.
    const alert = edit.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(text.kvkWrong);
    expect(await alert.textContent()).not.toMatch(/kvkNumber|INVALID_INPUT/);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`entity-edit-refused-${language}`);

    await edit.getByLabel(text.kvkNumber).fill('87654321');
    await edit.getByRole('button', { name: text.saveChanges }).click();
    await page.getByRole('cell', { name: '87654321' }).waitFor();
    expect(await page.getByRole('cell', { name: '12345678' }).count()).toBe(0);
  });

  it('fixes a mistyped SMTP password by typing the new one (the connection test then works)', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/settings/smtp`);
    const form = page.getByRole('form', { name: text.smtpForm });
    await form.getByLabel(text.name).fill('hoofd');
    await form.getByLabel(text.host).fill('127.0.0.1');
    await form.getByRole('combobox', { name: text.security }).click();
    await page.getByRole('option', { name: text.none }).click();
    await form.getByLabel(text.port).fill(String(smtp.port));
    await form.getByLabel(text.user).fill('nieuws');
    await form.getByRole('textbox', { name: text.password }).fill('tikfout');
    await form.getByRole('textbox', { name: text.fromAddress }).fill('nieuws@bakkerij.nl');
    await form.getByRole('button', { name: text.saveSmtp }).click();

    await page.getByRole('button', { name: text.test('hoofd') }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: text.testFailed }).count()).toBe(1);

    await page.getByRole('button', { name: text.editSmtp('hoofd') }).click();
    const edit = page.getByRole('form', { name: text.editSmtp('hoofd') });
    expect(await edit.getByLabel(text.port).inputValue()).toBe(String(smtp.port));
    await edit.getByRole('textbox', { name: text.password }).fill('juist-wachtwoord');
    await edit.getByRole('button', { name: text.saveChanges }).click();
    await page.getByRole('form', { name: text.smtpForm }).waitFor();

    await page.getByRole('button', { name: text.test('hoofd') }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: text.testOk }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`smtp-edit-${language}`);
  });
});
