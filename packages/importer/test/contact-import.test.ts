import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMappingOverrides,
  checkImportConsent,
  ImportConsent,
  mergeImportedContacts,
  parseDateTime,
  previewContactFile,
  runContactImport,
  scanContactFile,
  type ImportChunk,
  type ImportedContact,
  type ImportSink,
} from '../src/index.js';
import { writeFixtureCorpus } from './fixture-corpus.js';

let dir: string;
let files: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'importer-run-'));
  files = await writeFixtureCorpus(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function path(name: string): string {
  const found = files[name];
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

/** A sink that keeps what it is given, as the store would (everything new). */
function memorySink(): ImportSink & { chunks: ImportChunk[]; contacts: () => ImportedContact[] } {
  const chunks: ImportChunk[] = [];
  return {
    chunks,
    contacts: () => chunks.flatMap((chunk) => chunk.contacts),
    writeChunk(chunk) {
      chunks.push(chunk);
      return Promise.resolve({ imported: chunk.contacts.length, updated: 0, unchanged: 0, suppressed: 0 });
    },
  };
}

async function importFile(name: string, consent: Parameters<typeof ImportConsent.parse>[0], overrides = {}) {
  const input = { path: path(name) };
  const preview = await previewContactFile(input, { overrides });
  const { info, records } = await scanContactFile(input);
  const sink = memorySink();
  const summary = await runContactImport({
    input,
    info,
    mapping: preview.mapping,
    consent: ImportConsent.parse(consent),
    importedAt: '2026-01-01T00:00:00.000Z',
    attestationId: 'att-1',
    sink,
    totalRows: records,
  });
  return { preview, summary, sink, contacts: sink.contacts() };
}

describe('column mapping suggested from the headers', () => {
  it('maps Dutch headers, tussenvoegsel included', async () => {
    const { preview } = await importFile('dutch-excel-windows-1252.csv', { method: 'PAPER' });
    expect(preview.tool).toBe('generic');
    expect(preview.mapping.columns.map((column) => column.field)).toEqual([
      'email',
      'firstName',
      'middleName',
      'lastName',
      'companyName',
    ]);
  });

  it("maps a Dutch shop export's customer columns: Laatste bestelling, orders, total, customer number", async () => {
    files['webwinkel-klanten.csv'] = join(dir, 'webwinkel-klanten.csv');
    writeFileSync(
      files['webwinkel-klanten.csv'],
      'Klantnummer;E-mailadres;Voornaam;Laatste bestelling;Aantal bestellingen;Totaal besteed\n' +
        'K-1001;anna@example.nl;Anna;14-11-2026;3;€ 84,50\n',
    );
    const { preview, contacts } = await importFile('webwinkel-klanten.csv', {
      method: 'CUSTOMER',
      evidence: { optOutOfferedAtCollection: 'YES' },
    });
    const fields = Object.fromEntries(preview.mapping.columns.map((column) => [column.header, column.field]));
    expect(fields).toEqual({
      Klantnummer: 'customerId',
      'E-mailadres': 'email',
      Voornaam: 'firstName',
      'Laatste bestelling': 'lastPurchaseAt',
      'Aantal bestellingen': 'ordersCount',
      'Totaal besteed': 'totalSpent',
    });
    expect(contacts[0]?.evidence).toMatchObject({ lastPurchaseAt: expect.stringMatching(/^2026-11-1[34]T/) });
  });

  it('recognises a Mailchimp export and maps its double opt-in evidence', async () => {
    const { preview, contacts } = await importFile('mailchimp-subscribed.csv', {
      method: 'WEB_DOI',
      timeZone: 'UTC',
    });
    expect(preview.tool).toBe('mailchimp');
    const fields = Object.fromEntries(preview.mapping.columns.map((column) => [column.header, column.field]));
    expect(fields).toMatchObject({
      'Email Address': 'email',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      OPTIN_TIME: 'signupAt',
      OPTIN_IP: 'signupIp',
      CONFIRM_TIME: 'confirmedAt',
      CONFIRM_IP: 'confirmIp',
      MEMBER_RATING: 'ignore',
      LEID: 'ignore',
    });
    expect(contacts[0]).toMatchObject({
      email: 'anna@example.nl',
      method: 'WEB_DOI',
      lastName: 'de Vries',
      evidence: {
        signupAt: '2023-02-12T17:59:31.000Z',
        signupIp: '46.140.110.82',
        confirmedAt: '2023-02-12T18:06:58.000Z',
        confirmIp: '46.140.110.83',
      },
    });
    // The second member was added without a form: no sign-up time, only the confirmation Mailchimp recorded.
    expect(contacts[1]?.evidence).toEqual({ confirmedAt: '2023-05-01T10:00:00.000Z' });
  });

  it('carries a Mailchimp unsubscribe over as an unsubscribe', async () => {
    const { contacts } = await importFile('mailchimp-unsubscribed.csv', {
      method: 'WEB_DOI',
      timeZone: 'UTC',
    });
    expect(contacts[0]?.unsubscribedAt).toBe('2024-01-15T12:00:00.000Z');
  });

  it('reads a listmonk export: full name, Go timestamps, blocklisted is carried over as a block', async () => {
    const { preview, contacts } = await importFile('listmonk-subscribers.csv', { method: 'WEB_SOI' });
    expect(preview.tool).toBe('listmonk');
    expect(contacts[0]).toMatchObject({
      fullName: 'Lotte Bakker',
      evidence: { signupAt: '2024-02-01T09:15:00.123Z' },
    });
    expect(contacts[0]?.unsubscribedAt).toBeUndefined();
    expect(contacts[1]?.blocklistedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('reads a MailerLite export with its opt-in evidence', async () => {
    const { preview, contacts } = await importFile('mailerlite-subscribers.csv', {
      method: 'WEB_DOI',
      timeZone: 'UTC',
    });
    expect(preview.tool).toBe('mailerlite');
    expect(contacts[0]).toMatchObject({
      firstName: 'Sanne',
      lastName: 'Visser',
      companyName: 'Visser Advies',
      evidence: {
        source: 'webform',
        signupAt: '2021-08-31T14:22:08.000Z',
        signupIp: '192.0.2.10',
        confirmedAt: '2021-08-31T14:25:00.000Z',
        confirmIp: '192.0.2.11',
      },
    });
  });

  it('reads a Laposta export: source URL, sign-up IP, unsubscribed state', async () => {
    const { preview, contacts } = await importFile('laposta-leden.csv', { method: 'WEB_SOI' });
    expect(preview.tool).toBe('laposta');
    expect(contacts[0]).toMatchObject({
      fullName: 'Maartje de Vries',
      evidence: { source: 'https://example.nl/nieuwsbrief', signupIp: '198.51.100.7' },
    });
    expect(contacts[1]?.unsubscribedAt).toBeDefined();
  });

  it('lets the user override a suggestion, by header or by column number', async () => {
    const { preview } = await importFile(
      'dutch-excel-windows-1252.csv',
      { method: 'PAPER' },
      { Bedrijfsnaam: 'ignore', '#2': 'fullName' },
    );
    expect(preview.mapping.columns.map((column) => column.field)).toEqual([
      'email',
      'fullName',
      'middleName',
      'lastName',
      'ignore',
    ]);
    expect(() => applyMappingOverrides(preview.mapping, { Telefoon: 'email' })).toThrow(
      /no column "Telefoon"/,
    );
  });

  it('finds the header below a preamble line', async () => {
    const preview = await previewContactFile({ path: path('multiline.csv') });
    expect(preview.mapping.headerRowNumber).toBe(2);
    expect(preview.rows[0]?.cells[0]).toBe('jan@example.nl');
  });
});

describe('consent per import', () => {
  const mapping = { headerRowNumber: 1, columns: [{ index: 0, header: 'email', field: 'email' as const }] };

  it('requires a method, for the file or per row', () => {
    expect(() => checkImportConsent(ImportConsent.parse({}), mapping)).toThrow(
      expect.objectContaining({ code: 'IMPORT_METHOD_REQUIRED' }),
    );
  });

  it('refuses bought lists and needs a signed attestation for unknown origin', () => {
    expect(() => checkImportConsent(ImportConsent.parse({ method: 'THIRD_PARTY' }), mapping)).toThrow(
      expect.objectContaining({ code: 'IMPORT_THIRD_PARTY_REFUSED' }),
    );
    expect(() => checkImportConsent(ImportConsent.parse({ method: 'IMPORTED_UNKNOWN' }), mapping)).toThrow(
      expect.objectContaining({ code: 'IMPORT_ATTESTATION_REQUIRED' }),
    );
    const attested = ImportConsent.parse({
      method: 'IMPORTED_UNKNOWN',
      attestation: {
        signerName: 'Jan de Bakker',
        signedAt: '2026-01-01T10:00:00Z',
        claimedBasis: 'Klanten van de winkel sinds 2019',
      },
    });
    expect(checkImportConsent(attested, mapping)).toEqual([]);
  });

  it('names the evidence a method still misses, and counts file-wide evidence as present', () => {
    const missing = checkImportConsent(
      ImportConsent.parse({ method: 'PAPER', evidence: { consentTextVersionId: 'ctv-1' } }),
      mapping,
    );
    expect(missing[0]?.fields).toEqual(['signupAt', 'paperScanRef']);
    expect(missing[0]?.text.nl).toContain('paperScanRef');
  });

  it('gives IMPORTED_UNKNOWN rows the batch attestation id', async () => {
    const { contacts } = await importFile('utf8-no-bom.csv', {
      method: 'IMPORTED_UNKNOWN',
      attestation: {
        signerName: 'Jan de Bakker',
        signedAt: '2026-01-01T10:00:00Z',
        claimedBasis: 'Klanten van de winkel',
      },
    });
    expect(contacts.every((contact) => contact.evidence.attestationId === 'att-1')).toBe(true);
  });
});

describe('validation and normalisation', () => {
  it('rejects bad rows with their row number and reason, merges duplicates, marks roles and typos', async () => {
    const { summary, sink, contacts } = await importFile('bad-rows.csv', { method: 'PAPER' });
    const rejects = sink.chunks.flatMap((chunk) => chunk.rejects);
    expect(rejects.map((reject) => [reject.rowNumber, reject.code])).toEqual([
      [3, 'EMAIL_MISSING'],
      [4, 'EMAIL_INVALID'],
      [5, 'INVALID_DATE'],
      [9, 'EMAIL_TOO_LONG'],
    ]);
    expect(rejects[2]?.reason.nl).toContain('Aanmelddatum');
    // goed@ twice and GOED@ once: one address in any case (issue 12), so two duplicates.
    expect(summary).toMatchObject({ rows: 10, rejected: 4, duplicates: 2, domainSuggestions: 1 });
    const byEmail = new Map(contacts.map((contact) => [contact.email, contact]));
    // The duplicate filled in the sign-up date the first row lacked; the first row's name stayed.
    expect(byEmail.get('goed@example.nl')).toMatchObject({
      rowNumber: 2,
      firstName: 'Goed',
      evidence: { signupAt: '2024-03-01T08:30:00.000Z' },
    });
    expect(byEmail.get('GOED@example.nl')).toBeUndefined();
    expect(byEmail.get('jan@gmial.com')?.domainSuggestion).toBe('jan@gmail.com');
    expect(summary.suggestionSamples).toEqual([
      { rowNumber: 6, email: 'jan@gmial.com', suggestion: 'jan@gmail.com' },
    ]);
    expect(byEmail.get('sales@bedrijf.nl')?.addressKind).toBe('ROLE');
    expect(byEmail.get('jan@xn--bckerei-5wa.de')).toBeDefined();
  });

  it('rejects every value of a 10 MB line instead of storing it', async () => {
    const { sink, contacts } = await importFile('ten-megabyte-line.csv', { method: 'PAPER' });
    expect(
      sink.chunks.flatMap((chunk) => chunk.rejects).map((reject) => [reject.rowNumber, reject.code]),
    ).toEqual([[3, 'VALUE_TOO_LONG']]);
    expect(contacts.map((contact) => contact.email)).toEqual(['ok@example.nl', 'na@example.nl']);
  });

  it('keeps the names of every encoding intact, matches addresses in any case and keeps their spelling', async () => {
    const { contacts } = await importFile('unicode-text-utf16le-bom.txt', { method: 'PAPER' });
    expect(
      contacts.map((contact) => [
        contact.email,
        contact.emailSpelling,
        contact.firstName,
        contact.middleName,
      ]),
    ).toEqual([
      ['zoe@bakkerij-zoe.nl', undefined, 'Zoë', undefined],
      ['helene@example.be', undefined, 'Hélène', undefined],
      ['kees@van-t-hek.nl', 'Kees@van-t-hek.nl', 'Kees', "van 't"],
      ['info@fietsenmaker.nl', undefined, undefined, undefined],
    ]);
  });

  it('imports a header-only file as zero rows', async () => {
    const { summary } = await importFile('header-only.csv', { method: 'PAPER' });
    expect(summary).toMatchObject({ rows: 0, imported: 0, rejected: 0 });
  });

  it('never loses an unsubscribe or evidence when merging duplicates', () => {
    const base = {
      rowNumber: 2,
      email: 'a@b.nl',
      addressKind: 'PERSONAL',
      recipientKind: 'UNKNOWN',
      method: 'WEB_SOI',
      evidence: { signupAt: '2024-01-01T00:00:00.000Z' },
    } as const;
    const merged = mergeImportedContacts(
      { ...base, evidence: { ...base.evidence } },
      {
        ...base,
        rowNumber: 3,
        method: 'WEB_DOI',
        evidence: { confirmedAt: '2024-01-02T00:00:00.000Z', signupAt: '2023-01-01T00:00:00.000Z' },
        unsubscribedAt: '2024-05-01T00:00:00.000Z',
      },
    );
    expect(merged).toMatchObject({
      rowNumber: 2,
      method: 'WEB_DOI',
      unsubscribedAt: '2024-05-01T00:00:00.000Z',
      evidence: { signupAt: '2024-01-01T00:00:00.000Z', confirmedAt: '2024-01-02T00:00:00.000Z' },
    });
  });

  it.each([
    ['2018-02-12 17:59:31', 'UTC', '2018-02-12T17:59:31.000Z'],
    ['12-02-2018 17:59', 'Europe/Amsterdam', '2018-02-12T16:59:00.000Z'],
    ['01-07-2024 12:00', 'Europe/Amsterdam', '2024-07-01T10:00:00.000Z'],
    ['2024-03-01T09:30:00+01:00', 'UTC', '2024-03-01T08:30:00.000Z'],
    ['2023-01-02 15:04:05.5 +0000 UTC', 'Europe/Amsterdam', '2023-01-02T15:04:05.500Z'],
    ['31-02-2024', 'UTC', undefined],
    ['gisteren', 'UTC', undefined],
  ])('reads the date %s in %s as %s', (text, zone, expected) => {
    expect(parseDateTime(text, zone)).toBe(expected);
  });
});

describe('running an import', () => {
  it('counts an address repeated chunks later as a duplicate, in a file read in many small pieces', async () => {
    // 2,600 rows of ~70 bytes: several 64 KB read chunks and at least two write chunks; rows 2,001–2,600
    // repeat rows 1–600 with another case in the domain.
    const lines = ['E-mailadres;Voornaam;Bedrijfsnaam'];
    for (let index = 0; index < 2600; index += 1) {
      const domain = index < 2000 ? 'voorbeeld-bakkerij.nl' : 'Voorbeeld-Bakkerij.NL';
      lines.push(`klant.${index % 2000}@${domain};Klant ${index};"Bakkerij ${index}; B.V."`);
    }
    const file = join(dir, 'repeats.csv');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const input = { path: file };
    const preview = await previewContactFile(input);
    const { info } = await scanContactFile(input);
    const sink = memorySink();
    const summary = await runContactImport({
      input,
      info,
      mapping: preview.mapping,
      consent: ImportConsent.parse({ method: 'PAPER' }),
      importedAt: '2026-01-01T00:00:00.000Z',
      sink,
      chunkSize: 1000,
    });
    expect(summary).toMatchObject({ rows: 2600, duplicates: 600, rejected: 0 });
    // The repeats sit in a later write chunk than the rows they repeat.
    expect(sink.chunks.length).toBeGreaterThanOrEqual(2);
    expect(
      sink.chunks[0]?.contacts.some((contact) => contact.email === 'klant.5@voorbeeld-bakkerij.nl'),
    ).toBe(true);
    // Every row reached the store (repeats merge there, never downgrading), each company name whole.
    const written = sink.contacts();
    expect(written).toHaveLength(2600);
    expect(new Set(written.map((contact) => contact.email)).size).toBe(2000);
    expect(written.at(-1)).toMatchObject({
      email: 'klant.599@voorbeeld-bakkerij.nl',
      companyName: 'Bakkerij 2599; B.V.',
    });
  });

  it('writes in chunks, reports progress and stops between chunks when cancelled', async () => {
    const input = { path: path('late-windows-1252.csv') };
    const { info, records } = await scanContactFile(input);
    const preview = await previewContactFile(input);
    const controller = new AbortController();
    const progress: number[] = [];
    const sink = memorySink();
    const run = runContactImport({
      input,
      info,
      mapping: preview.mapping,
      consent: ImportConsent.parse({ method: 'PAPER' }),
      importedAt: '2026-01-01T00:00:00.000Z',
      sink,
      chunkSize: 1000,
      totalRows: records,
      signal: controller.signal,
      onProgress: ({ rowsRead }) => {
        progress.push(rowsRead);
        if (progress.length === 2) controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(sink.chunks).toHaveLength(2);
    expect(progress).toHaveLength(2);
    expect(progress[1]).toBeLessThan(records - 1);
    expect(sink.contacts()).toHaveLength(progress[1] ?? -1);
  });
});
