/**
 * Builds the importer's fixture corpus into a folder: every encoding and delimiter contact files come in,
 * the exports of Mailchimp, Laposta, MailerLite and listmonk, an XLSX workbook, and broken files. Generated
 * rather than committed so that the bytes of each encoding are visible here, in one place.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** The people every text fixture holds (names that break naive decoders). */
export const PEOPLE = [
  ['zoe@bakkerij-zoe.nl', 'Zoë', '', 'Jansen', 'Bakkerij Zoë'],
  ['helene@example.be', 'Hélène', '', 'Dupré', ''],
  ['Kees@Van-T-Hek.NL', 'Kees', "van 't", 'Hek', "Van 't Hek B.V."],
  ['info@fietsenmaker.nl', '', '', '', 'Fietsenmaker "De Spaak"; Utrecht'],
] as const;

const HEADER = ['E-mailadres', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'Bedrijfsnaam'];

function csv(rows: readonly (readonly string[])[], delimiter: string, lineBreak = '\r\n'): string {
  const quote = (cell: string) =>
    cell.includes(delimiter) || cell.includes('"') || cell.includes('\n')
      ? `"${cell.replaceAll('"', '""')}"`
      : cell;
  return rows.map((row) => row.map(quote).join(delimiter)).join(lineBreak) + lineBreak;
}

const BOMS: Record<string, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  'utf-16le': [0xff, 0xfe],
  'utf-16be': [0xfe, 0xff],
};

function encode(text: string, encoding: string, bom: boolean): Buffer {
  const body = iconv.encode(text, encoding, { addBOM: false });
  return bom ? Buffer.concat([Buffer.from(BOMS[encoding] ?? []), body]) : body;
}

export interface TextFixture {
  file: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  bom: boolean;
  delimiter: ';' | ',' | '\t' | '|';
}

/** One file per encoding × BOM, spread over the four delimiters. */
export const TEXT_FIXTURES: TextFixture[] = [
  { file: 'dutch-excel-windows-1252.csv', encoding: 'windows-1252', bom: false, delimiter: ';' },
  { file: 'iso-8859-1.csv', encoding: 'windows-1252', bom: false, delimiter: ',' },
  { file: 'utf8-bom.csv', encoding: 'utf-8', bom: true, delimiter: ';' },
  { file: 'utf8-no-bom.csv', encoding: 'utf-8', bom: false, delimiter: ',' },
  { file: 'unicode-text-utf16le-bom.txt', encoding: 'utf-16le', bom: true, delimiter: '\t' },
  { file: 'utf16le-no-bom.txt', encoding: 'utf-16le', bom: false, delimiter: '\t' },
  { file: 'utf16be-bom.txt', encoding: 'utf-16be', bom: true, delimiter: '|' },
  { file: 'utf16be-no-bom.tsv', encoding: 'utf-16be', bom: false, delimiter: '\t' },
  { file: 'pipes-utf8.txt', encoding: 'utf-8', bom: false, delimiter: '|' },
];

/** Writes the whole corpus into `dir` and returns the paths by name. */
export async function writeFixtureCorpus(dir: string): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  const put = (name: string, content: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    paths[name] = path;
  };

  for (const fixture of TEXT_FIXTURES) {
    const text = csv([HEADER, ...PEOPLE], fixture.delimiter);
    // ISO-8859-1 and windows-1252 share every character used here, so one encoder writes both.
    put(
      fixture.file,
      encode(text, fixture.encoding === 'windows-1252' ? 'latin1' : fixture.encoding, fixture.bom),
    );
  }

  // A quoted field with a line break, a preamble line above the header, old-Mac line breaks.
  put(
    'multiline.csv',
    encode(
      csv(
        [
          ['Adressen export 12-03-2024'],
          HEADER,
          ['jan@example.nl', 'Jan', '', 'Smit', 'Smit & Zn\nAfdeling verkoop'],
          ['piet@example.nl', 'Piet', '', 'Bos', ''],
        ],
        ';',
      ),
      'utf-8',
      false,
    ),
  );
  put(
    'mac-line-breaks.csv',
    encode(csv([HEADER, ['jan@example.nl', 'Jan', '', 'Smit', '']], ';', '\r'), 'latin1', false),
  );

  // Plain ASCII for more than the 64 KB sample, then windows-1252: only a full scan catches it.
  const filler = Array.from({ length: 3000 }, (_, i) => [
    `klant${i}@example.nl`,
    'Klant',
    '',
    `Nummer ${i}`,
    '',
  ]);
  put('late-windows-1252.csv', encode(csv([HEADER, ...filler, [...PEOPLE[0]]], ';'), 'latin1', false));

  // The tools' own exports (column names as the tools write them).
  put(
    'mailchimp-subscribed.csv',
    csv(
      [
        [
          'Email Address',
          'First Name',
          'Last Name',
          'MEMBER_RATING',
          'OPTIN_TIME',
          'OPTIN_IP',
          'CONFIRM_TIME',
          'CONFIRM_IP',
          'LATITUDE',
          'LONGITUDE',
          'GMTOFF',
          'DSTOFF',
          'TIMEZONE',
          'CC',
          'REGION',
          'LAST_CHANGED',
          'LEID',
          'EUID',
          'NOTES',
          'TAGS',
        ],
        [
          'anna@example.nl',
          'Anna',
          'de Vries',
          '4',
          '2023-02-12 17:59:31',
          '46.140.110.82',
          '2023-02-12 18:06:58',
          '46.140.110.83',
          '52.37',
          '4.89',
          '1',
          '2',
          'europe/amsterdam',
          'NL',
          'NH',
          '2023-02-12 18:06:58',
          '33996391',
          '8b66ccca37',
          '',
          '"Klant"',
        ],
        [
          'bram@example.nl',
          'Bram',
          'Peters',
          '2',
          '',
          '',
          '2023-05-01 10:00:00',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '2023-05-01 10:00:00',
          '33996392',
          '8b66ccca38',
          '',
          '',
        ],
      ],
      ',',
      '\n',
    ),
  );
  put(
    'mailchimp-unsubscribed.csv',
    csv(
      [
        [
          'Email Address',
          'First Name',
          'Last Name',
          'MEMBER_RATING',
          'OPTIN_TIME',
          'OPTIN_IP',
          'CONFIRM_TIME',
          'CONFIRM_IP',
          'UNSUB_TIME',
          'UNSUB_CAMPAIGN_TITLE',
          'UNSUB_CAMPAIGN_ID',
          'UNSUB_REASON',
          'UNSUB_REASON_OTHER',
          'LEID',
          'EUID',
        ],
        [
          'weg@example.nl',
          'Wim',
          'Weg',
          '1',
          '2022-01-01 08:00:00',
          '10.0.0.1',
          '2022-01-01 08:05:00',
          '10.0.0.1',
          '2024-01-15 12:00:00',
          'Nieuwsbrief januari',
          'abc123',
          'No longer interested',
          '',
          '1',
          'x',
        ],
      ],
      ',',
      '\n',
    ),
  );
  put(
    'listmonk-subscribers.csv',
    csv(
      [
        ['uuid', 'email', 'name', 'attributes', 'status', 'created_at', 'updated_at'],
        [
          '6a3e1a2c-0000-4000-8000-000000000001',
          'lotte@example.nl',
          'Lotte Bakker',
          '{"city": "Delft"}',
          'enabled',
          '2024-02-01 09:15:00.123456 +0000 UTC',
          '2024-02-02 09:15:00 +0000 UTC',
        ],
        [
          '6a3e1a2c-0000-4000-8000-000000000002',
          'spam@example.nl',
          'Geblokt',
          '{}',
          'blocklisted',
          '2024-02-01 09:15:00 +0000 UTC',
          '2024-02-02 09:15:00 +0000 UTC',
        ],
      ],
      ',',
      '\n',
    ),
  );
  put(
    'mailerlite-subscribers.csv',
    csv(
      [
        [
          'email',
          'name',
          'last_name',
          'company',
          'country',
          'status',
          'source',
          'subscribed_at',
          'ip_address',
          'opted_in_at',
          'optin_ip',
          'unsubscribed_at',
        ],
        [
          'sanne@example.nl',
          'Sanne',
          'Visser',
          'Visser Advies',
          'NL',
          'active',
          'webform',
          '2021-08-31 14:22:08',
          '192.0.2.10',
          '2021-08-31 14:25:00',
          '192.0.2.11',
          '',
        ],
      ],
      ',',
      '\n',
    ),
  );
  put(
    'laposta-leden.csv',
    csv(
      [
        ['member_id', 'email', 'state', 'signup_date', 'ip', 'source_url', 'Naam'],
        [
          '9fz5k3',
          'maartje@example.net',
          'active',
          '2020-03-12 10:00:00',
          '198.51.100.7',
          'https://example.nl/nieuwsbrief',
          'Maartje de Vries',
        ],
        [
          '9fz5k4',
          'oud@example.net',
          'unsubscribed',
          '2019-01-01 10:00:00',
          '198.51.100.8',
          'https://example.nl/nieuwsbrief',
          'Oud Lid',
        ],
      ],
      ',',
      '\n',
    ),
  );

  // Broken files.
  put('empty.csv', '');
  put('bom-only.csv', Buffer.from([0xef, 0xbb, 0xbf]));
  put('header-only.csv', encode(csv([HEADER], ';'), 'latin1', false));
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i += 1) binary[i] = (i * 7919) % 256;
  put('binary.csv', binary);
  put(
    'old-excel.xls',
    Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
  );
  put(
    'unclosed-quote.csv',
    csv([HEADER, ['ok@example.nl', 'Ok', '', '', '']], ';') +
      'kapot@example.nl;"Kapot;;;\r\nna@example.nl;Na;;;\r\n',
  );
  put(
    'ten-megabyte-line.csv',
    `${csv([HEADER, ['ok@example.nl', 'Ok', '', '', '']], ';')}lang@example.nl;${'x'.repeat(10 * 1024 * 1024)};;;\r\nna@example.nl;Na;;;\r\n`,
  );
  put(
    'bad-rows.csv',
    csv(
      [
        ['E-mailadres', 'Voornaam', 'Aanmelddatum'],
        ['goed@example.nl', 'Goed', '01-03-2024 09:30'],
        ['', 'Leeg', ''],
        ['geen-apenstaartje.nl', 'Fout', ''],
        ['datum@example.nl', 'Datum', '31-02-2024'],
        ['jan@gmial.com', 'Typo', ''],
        ['GOED@example.nl', 'Dubbel', ''],
        ['goed@example.nl', 'Dubbel', '02-03-2024 10:00'],
        [`${'a'.repeat(65)}@example.nl`, 'Lang', ''],
        ['sales@bedrijf.nl', 'Rol', ''],
        ['jan@bäckerei.de', 'IDN', ''],
      ],
      ';',
    ),
  );

  // A workbook as Excel saves it (first sheet holds the contacts, a second one does not).
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Klanten');
  sheet.addRow(['E-mailadres', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'Bedrijfsnaam', 'Aanmelddatum']);
  for (const [email, first, middle, last, company] of PEOPLE)
    sheet.addRow([email, first, middle, last, company, new Date(Date.UTC(2024, 2, 1, 9, 30))]);
  sheet.getCell('A6').value = { text: 'link@example.nl', hyperlink: 'mailto:link@example.nl' };
  workbook.addWorksheet('Notities').addRow(['niet@importeren.nl']);
  put('klanten.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));

  return paths;
}
