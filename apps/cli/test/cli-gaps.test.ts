import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

// Every test starts from no database at all and ends with messages on a real SMTP server, using
// nothing but the CLI: each shows one command that used to be missing doing its job in that flow.

let cli: CliHarness;
let server: SmtpTestServer;

beforeEach(async () => {
  server = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist' } });
  cli = createCliHarness({ CONSENT_MAILER_SECRET_SMTP_MAIN: 'juist' });
});
afterEach(async () => {
  await server.close();
  cli.cleanup();
});

const DOI_EXPORT =
  'Email Address,First Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\n' +
  'anna@example.nl,Anna,"2026-02-12 17:59:31",192.0.2.1,"2026-02-12 18:06:58",192.0.2.2\n' +
  'bram@example.nl,Bram,"2026-03-01 09:00:00",192.0.2.3,"2026-03-01 09:05:00",192.0.2.3\n';

async function ok(...args: string[]): Promise<void> {
  const result = await cli.run(...args);
  expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
}

/** init, one entity, one list, an import, one SMTP profile: no --entity, --smtp or --list needed after. */
async function freshDatabaseWithContacts(list = 'Nieuwsbrief'): Promise<void> {
  await ok('init');
  await ok(
    'entity',
    'add',
    '--legal-name',
    'Bakkerij de Vries B.V.',
    '--address',
    'Dorpsstraat 1, 1234 AB Ergens',
    '--email',
    'info@bakkerij.nl',
    '--kvk',
    '12345678',
    '--id',
    'bakkerij',
  );
  await ok('list', 'create', list);
  const imported = await cli.json(
    'import',
    cli.file('export.csv', DOI_EXPORT),
    '--method',
    'WEB_DOI',
    '--list',
    list,
    '--evidence',
    'source=https://bakkerij.nl/nieuwsbrief',
  );
  expect(imported).toMatchObject({ imported: 2, rejected: 0 });
  await ok(
    'smtp',
    'add',
    'main',
    '--host',
    '127.0.0.1',
    '--port',
    String(server.port),
    '--security',
    'none',
    '--user',
    'nieuws',
    '--from',
    'nieuws@bakkerij.nl',
    '--spf',
    '--dmarc',
  );
}

async function createMailing(...extra: string[]): Promise<string> {
  const html = cli.file('body.html', '<p>Hallo {{firstName|klant}}, het kerstbrood is er.</p>');
  const mailing = await cli.json(
    'mailing',
    'create',
    '--name',
    'December',
    '--subject',
    'Kerstbrood',
    '--html-file',
    html,
    ...extra,
  );
  return mailing.id as string;
}

async function send(id: string): Promise<void> {
  const sent = await cli.json('mailing', 'send', id);
  expect(sent).toMatchObject({ status: 'SENT', result: { stoppedBecause: 'FINISHED' } });
}

const recipients = () => server.messages.flatMap((m) => m.to).sort();

describe('what a CLI-only user can now do, from a fresh database to a sent mailing', () => {
  it('creates a list, imports into it and mails it, with the only entity and profile as defaults', async () => {
    await freshDatabaseWithContacts();
    const lists = await cli.json('list', 'list');
    expect(lists).toMatchObject([{ name: 'Nieuwsbrief', memberCount: 2 }]);
    const id = await createMailing();
    await send(id);
    expect(recipients()).toEqual(['anna@example.nl', 'bram@example.nl']);
  });

  it('renames a list and mails it under its new name; deletes an unused list; refuses to delete a used one', async () => {
    await freshDatabaseWithContacts('Nieuwsbrief');
    await ok('list', 'rename', 'Nieuwsbrief', 'Klanten');
    await ok('list', 'create', 'Leeg');
    await ok('list', 'delete', 'Leeg');
    expect((await cli.json('list', 'list')).map((l: { name: string }) => l.name)).toEqual(['Klanten']);
    const id = await createMailing('--list', 'Klanten');
    const inUse = await cli.run('list', 'delete', 'Klanten', '--json');
    expect(inUse.code).toBe(1);
    expect(JSON.parse(inUse.stdout).error.code).toBe('STORE_LIST_IN_USE');
    await send(id);
    expect(recipients()).toEqual(['anna@example.nl', 'bram@example.nl']);
  });

  it('stores a consent text, shows it, and imports with its id as evidence before mailing', async () => {
    await ok('init');
    const text = await cli.json(
      'consent-text',
      'add',
      '--label',
      'aanmeldformulier 2026',
      '--body',
      'Ja, stuur mij de nieuwsbrief van Bakkerij de Vries.',
    );
    expect(text.id).toMatch(/^[0-9a-f]{64}$/);
    const shown = await cli.run('consent-text', 'show', text.id);
    expect(shown.stdout).toContain('Ja, stuur mij de nieuwsbrief');
    expect(await cli.json('consent-text', 'list')).toMatchObject([
      { id: text.id, label: 'aanmeldformulier 2026' },
    ]);
    await freshDatabaseWithContacts('Met tekst');
    const more = await cli.json(
      'import',
      cli.file(
        'more.csv',
        'Email Address,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\ncarla@example.nl,"2026-04-01 09:00:00",192.0.2.4,"2026-04-01 09:03:00",192.0.2.4\n',
      ),
      '--method',
      'WEB_DOI',
      '--list',
      'Met tekst',
      '--evidence',
      `consentTextVersionId=${text.id}`,
      '--evidence',
      'source=https://bakkerij.nl/nieuwsbrief',
    );
    expect(more).toMatchObject({ imported: 1 });
    const carla = await cli.json('contact', 'show', 'carla@example.nl');
    expect(JSON.stringify(carla.records)).toContain(text.id);
    await send(await createMailing());
    expect(recipients()).toEqual(['anna@example.nl', 'bram@example.nl', 'carla@example.nl']);
  });

  it('updates the sender entity: the new address is in the footer of what is sent; an unused entity is deleted', async () => {
    await freshDatabaseWithContacts();
    await ok('entity', 'update', 'bakkerij', '--address', 'Kerkstraat 9, 1234 AB Ergens');
    // A second entity makes --entity necessary; deleting it (nothing refers to it) restores the default.
    await ok(
      'entity',
      'add',
      '--legal-name',
      'Typo B.V.',
      '--address',
      'x 1',
      '--email',
      'a@b.nl',
      '--kvk',
      '87654321',
      '--id',
      'typo',
    );
    const ambiguous = await cli.run(
      'mailing',
      'create',
      '--name',
      'x',
      '--subject',
      'x',
      '--html',
      '<p>x</p>',
      '--json',
    );
    expect(JSON.parse(ambiguous.stdout).error.code).toBe('ENTITY_REQUIRED');
    await ok('entity', 'delete', 'typo');
    const inUse = await cli.run('entity', 'delete', 'bakkerij', '--json');
    expect(JSON.parse(inUse.stdout).error.code).toBe('ENTITY_IN_USE');
    await send(await createMailing());
    const anna = server.receivedBy('anna@example.nl')[0]?.parsed;
    expect(anna?.text).toContain('Kerkstraat 9, 1234 AB Ergens');
    expect(anna?.text).not.toContain('Dorpsstraat 1');
  });

  it('updates an SMTP profile (a wrong port fixed) and deletes an unused one', async () => {
    await freshDatabaseWithContacts();
    await ok(
      'smtp',
      'add',
      'spare',
      '--host',
      '127.0.0.1',
      '--port',
      '1',
      '--security',
      'none',
      '--from',
      'x@bakkerij.nl',
    );
    await ok('smtp', 'delete', 'spare');
    await ok('smtp', 'update', 'main', '--port', '1');
    const broken = await cli.run('smtp', 'test', 'main', '--json');
    expect(broken.code).toBe(1);
    await ok('smtp', 'update', 'main', '--port', String(server.port), '--from-name', 'De Bakker');
    const id = await createMailing();
    const inUse = await cli.run('smtp', 'delete', 'main', '--json');
    expect(JSON.parse(inUse.stdout).error.code).toBe('SMTP_PROFILE_IN_USE');
    await send(id);
    expect(server.receivedBy('anna@example.nl')[0]?.parsed.from?.value[0]).toMatchObject({
      name: 'De Bakker',
      address: 'nieuws@bakkerij.nl',
    });
  });

  it('updates a draft (the new subject is sent), duplicates a sent mailing and deletes a draft', async () => {
    await freshDatabaseWithContacts();
    const id = await createMailing();
    await cli.json('mailing', 'assess', id);
    const updated = await cli.json('mailing', 'update', id, '--subject', 'Oliebollen voor {{firstName|u}}');
    // The assessment described the old text: the mailing is a draft again.
    expect(updated).toMatchObject({ status: 'DRAFT' });
    await send(id);
    expect(server.receivedBy('anna@example.nl')[0]?.parsed.subject).toBe('Oliebollen voor Anna');

    const sentAgain = await cli.run('mailing', 'update', id, '--subject', 'Te laat', '--json');
    expect(JSON.parse(sentAgain.stdout).error.code).toBe('MAILING_NOT_DRAFT');
    const copy = await cli.json('mailing', 'duplicate', id, '--name', 'Januari');
    expect(copy).toMatchObject({ name: 'Januari', status: 'DRAFT' });
    const spare = await cli.json('mailing', 'duplicate', id);
    await ok('mailing', 'delete', spare.id);
    const gone = await cli.run('mailing', 'status', spare.id, '--json');
    expect(JSON.parse(gone.stdout).error.code).toBe('MAILING_NOT_FOUND');
    const refuse = await cli.run('mailing', 'delete', id, '--json');
    expect(JSON.parse(refuse.stdout).error.code).toBe('MAILING_NOT_DRAFT');

    await send(copy.id);
    expect(server.receivedBy('anna@example.nl')).toHaveLength(2);
  });

  it('refuses a mistyped --db without creating anything, and prints usage errors as JSON', async () => {
    const typo = join(cli.dir, 'sub', 'consent-mailer.sqllite');
    const missing = await cli.run('--db', typo, 'status', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'DATABASE_NOT_FOUND' });
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(join(cli.dir, 'sub'))).toBe(false);

    const usage = await cli.run('mailing', 'create', '--bogus', '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'USAGE' } });
    expect(usage.stderr).toBe('');
    const unknown = await cli.run('mailnig', '--json');
    expect(JSON.parse(unknown.stdout).error.message).toContain("unknown command 'mailnig'");

    // With a database made by init, the same flow reaches the SMTP server.
    await freshDatabaseWithContacts();
    await send(await createMailing());
    expect(recipients()).toEqual(['anna@example.nl', 'bram@example.nl']);
  });
});
