import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '@consent-mailer/store';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawWrite } from '@consent-mailer/store/testing';
import { runCli, type CliResult } from './cli-harness.js';

let dir: string;
let db: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-import-'));
  db = join(dir, 'consent-mailer.sqlite');
  const store = await openStore({ path: db });
  const at = '2026-11-01T00:00:00.000Z';
  await rawWrite(
    store,
    store.db.insertInto('sender_entity').values({
      id: 'bakkerij',
      legal_name: 'Bakkerij B.V.',
      trade_name: null,
      postal_address: 'Dorpsstraat 1',
      contact_email: 'info@bakkerij.nl',
      kvk_number: '12345678',
      created_at: at,
      updated_at: at,
    }),
  );
  await rawWrite(
    store,
    store.db.insertInto('list').values({
      id: 'nieuwsbrief',
      sender_entity_id: 'bakkerij',
      name: 'Nieuwsbrief',
      description: null,
      created_at: at,
      updated_at: at,
      archived_at: null,
    }),
  );
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWith({ tty: false }, ...args);
}

function runWith(options: { tty: boolean }, ...args: string[]): Promise<CliResult> {
  return runCli(args, { env: { CONSENT_MAILER_DB: db }, tty: options.tty });
}

function file(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function consents() {
  const store = await openStore({ path: db });
  try {
    return await store.db
      .selectFrom('consent')
      .innerJoin('contact', 'contact.id', 'consent.contact_id')
      .select([
        'contact.email',
        'contact.first_name',
        'contact.last_name',
        'contact.organisation',
        'contact.address_kind',
        'consent.method',
        'consent.signup_at',
        'consent.signup_ip',
        'consent.confirmed_at',
        'consent.confirm_ip',
        'consent.paper_scan_ref',
        'consent.consent_text_version_id',
        'consent.scope_lists',
        'consent.import_batch_id',
      ])
      .orderBy('contact.id')
      .execute();
  } finally {
    await store.close();
  }
}

// Real files, a real database and (once) a child process on a shared 2-core machine.
describe('consent-mailer import: the files small businesses really have', { timeout: 60_000 }, () => {
  it('imports a Dutch Excel CSV export (windows-1252, semicolons) with the paper evidence given for the file', async () => {
    const excelCsv = Buffer.from(
      'E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Bedrijfsnaam;Aanmelddatum\r\n' +
        'zoe@bakkerij-zoe.nl;Zoë;;Jansen;Bakkerij Zoë;12-03-2024 09:30\r\n' +
        'kees@vantHek.nl;Kees;van \'t;Hek;"Van \'t Hek; B.V.";01-07-2024\r\n' +
        'info@fietsenmaker.nl;;;;Fietsenmaker;\r\n' +
        'geen-adres;Fout;;;;\r\n',
      'latin1',
    );
    const result = await run(
      'import',
      file('klanten.csv', excelCsv),
      '--method',
      'PAPER',
      '--entity',
      'bakkerij',
      '--list',
      'nieuwsbrief',
      '--evidence',
      'paperScanRef=ordner 2024',
      '--evidence',
      'consentTextVersionId=ctv-1',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      batchId: expect.any(String),
      rows: 4,
      imported: 3,
      updated: 0,
      duplicates: 0,
      suppressed: 0,
      rejected: 1,
      encoding: 'windows-1252',
      delimiter: ';',
    });
    expect(await consents()).toEqual([
      expect.objectContaining({
        email: 'zoe@bakkerij-zoe.nl',
        first_name: 'Zoë',
        last_name: 'Jansen',
        organisation: 'Bakkerij Zoë',
        method: 'PAPER',
        signup_at: '2024-03-12T08:30:00.000Z',
        paper_scan_ref: 'ordner 2024',
        consent_text_version_id: 'ctv-1',
        scope_lists: '["nieuwsbrief"]',
        import_batch_id: summary.batchId,
      }),
      expect.objectContaining({
        email: 'kees@vanthek.nl',
        first_name: 'Kees',
        last_name: "van 't Hek",
        organisation: "Van 't Hek; B.V.",
        signup_at: '2024-06-30T22:00:00.000Z',
      }),
      expect.objectContaining({ email: 'info@fietsenmaker.nl', address_kind: 'ROLE' }),
    ]);
    const rejects = await run('imports', 'rejects', summary.batchId);
    expect(rejects.stdout).toContain('5,EMAIL_INVALID,E-mailadres,geen-adres');
  });

  it('imports a Dutch Excel workbook (.xlsx)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Blad1');
    sheet.addRow(['E-mailadres', 'Voornaam', 'Achternaam', 'Aanmelddatum']);
    sheet.addRow(['helene@example.be', 'Hélène', 'Dupré', new Date(Date.UTC(2024, 2, 1, 9, 30))]);
    const path = file('klanten.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    const result = await run('import', path, '--method', 'PAPER', '--entity', 'bakkerij', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 1,
      imported: 1,
      encoding: null,
      delimiter: null,
      format: 'xlsx',
    });
    expect(await consents()).toEqual([
      expect.objectContaining({
        email: 'helene@example.be',
        first_name: 'Hélène',
        last_name: 'Dupré',
        scope_lists: '"ALL"',
      }),
    ]);
  });

  it('imports a Mailchimp export with its double opt-in evidence (times, IPs)', async () => {
    const mailchimp =
      'Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS\n' +
      'anna@example.nl,Anna,de Vries,4,"2023-02-12 17:59:31",46.140.110.82,"2023-02-12 18:06:58",46.140.110.83,52.3,4.9,1,2,europe/amsterdam,NL,NH,"2023-02-12 18:06:58",33996391,8b66ccca37,,"""Klant"""\n' +
      'bram@example.nl,Bram,Peters,2,,,"2023-05-01 10:00:00",,,,,,,,,"2023-05-01 10:00:00",33996392,8b66ccca38,,\n' +
      'anna@example.nl,Anna,de Vries,4,,,,,,,,,,,,,1,x,,\n';
    const result = await run(
      'import',
      file('subscribed_members_export_1a2b3c.csv', mailchimp),
      '--method',
      'WEB_DOI',
      '--entity',
      'bakkerij',
      '--list',
      'nieuwsbrief',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 3,
      imported: 2,
      duplicates: 1,
      rejected: 0,
      encoding: 'utf-8',
      delimiter: ',',
      tool: 'mailchimp',
    });
    const [anna, bram] = await consents();
    // The duplicate row without evidence took nothing away from the first.
    expect(anna).toMatchObject({
      email: 'anna@example.nl',
      method: 'WEB_DOI',
      signup_at: '2023-02-12T17:59:31.000Z',
      signup_ip: '46.140.110.82',
      confirmed_at: '2023-02-12T18:06:58.000Z',
      confirm_ip: '46.140.110.83',
    });
    expect(bram).toMatchObject({
      email: 'bram@example.nl',
      signup_at: null,
      confirmed_at: '2023-05-01T10:00:00.000Z',
    });
  });

  it('imports a UTF-16 "Unicode text" file (tab-separated, with BOM)', async () => {
    const text =
      "E-mailadres\tVoornaam\tTussenvoegsel\tAchternaam\r\nzoe@example.nl\tZoë\t\tJansen\r\nkees@example.nl\tKees\tvan 't\tHek\r\n";
    const path = file(
      'unicode.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const result = await run(
      'import',
      path,
      '--method',
      'PHONE',
      '--entity',
      'bakkerij',
      '--evidence',
      'phoneAgent=Petra',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 2,
      imported: 2,
      encoding: 'utf-16le',
      delimiter: '\t',
    });
    expect((await consents()).map((row) => [row.first_name, row.last_name])).toEqual([
      ['Zoë', 'Jansen'],
      ['Kees', "van 't Hek"],
    ]);
  });

  it('refuses a file of unknown origin without a signed attestation, and accepts one with it', async () => {
    const path = file('lijst.csv', 'email\nx@example.nl\n');
    const refused = await run('import', path, '--method', 'IMPORTED_UNKNOWN', '--entity', 'bakkerij');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('IMPORT_ATTESTATION_REQUIRED');
    const accepted = await run(
      'import',
      path,
      '--method',
      'IMPORTED_UNKNOWN',
      '--entity',
      'bakkerij',
      '--attest',
      'Jan de Bakker',
      '--basis',
      'Klanten uit de winkel',
      '--json',
    );
    expect(accepted.code).toBe(0);
    const show = await run('imports', 'show', JSON.parse(accepted.stdout).batchId, '--json');
    expect(JSON.parse(show.stdout).attestation).toEqual({
      signerName: 'Jan de Bakker',
      signedAt: '2026-11-28T12:00:00.000Z',
      claimedBasis: 'Klanten uit de winkel',
    });
  });

  it('reports a broken file clearly, in Dutch when asked, and stores nothing', async () => {
    const result = await run(
      '--lang',
      'nl',
      'import',
      file('kapot.csv', 'email;naam\r\na@example.nl;"A\r\n'),
      '--method',
      'PAPER',
      '--entity',
      'bakkerij',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/IMPORT_UNCLOSED_QUOTE.*Rij 2/);
    expect(await consents()).toEqual([]);
  });

  it('prints no progress bar when stderr is not a terminal, and a plain summary without --json', async () => {
    const result = await run(
      'import',
      file('a.csv', 'email\na@example.nl\njan@hotmial.nl\n'),
      '--method',
      'PAPER',
      '--entity',
      'bakkerij',
      '--dry-run',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^Dry run \(nothing stored\): a\.csv \(csv, utf-8, delimiter ,, generic\)\n {2}rows 2, imported 2,/,
    );
    expect(result.stdout).toContain('row 3: jan@hotmial.nl -> jan@hotmail.nl?');
    expect(await consents()).toEqual([]);
  });

  it('draws a progress bar on a terminal', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `k${i}@example.nl`).join('\n');
    const result = await runWith(
      { tty: true },
      'import',
      file('c.csv', `email\n${rows}\n`),
      '--method',
      'PAPER',
      '--entity',
      'bakkerij',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\r\[#{30}\] 100% 3,000\/3,000 rows/);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 3000 });
  });

  it('runs as a real program (child process)', { timeout: 60_000 }, () => {
    const path = file('b.csv', 'E-mailadres;Voornaam\r\nb@example.nl;Bea\r\n');
    const child = spawnSync(
      process.execPath,
      [
        resolve(import.meta.dirname, '../bin/consent-mailer.js'),
        'import',
        path,
        '--method',
        'PAPER',
        '--entity',
        'bakkerij',
        '--db',
        db,
        '--json',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ rows: 1, imported: 1, delimiter: ';' });
  });
});
