import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkImportConsent,
  createEncodingChecker,
  ImportConsent,
  looksLikeCompany,
  mergeImportedContacts,
  parseAmount,
  previewContactFile,
  runContactImport,
  scanContactFile,
  SOURCE_PROFILES,
  type ImportChunk,
  type ImportConsentInput,
  type ImportedContact,
} from '../src/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/profiles/', import.meta.url));
const FILES = readdirSync(FIXTURES).filter((name) => name.endsWith('.csv'));

async function importFixture(
  name: string,
  consent: ImportConsentInput,
  attestationId?: string,
): Promise<{ contacts: ImportedContact[]; rejects: ImportChunk['rejects'] }> {
  const input = { path: join(FIXTURES, name) };
  const preview = await previewContactFile(input);
  const { info } = await scanContactFile(input, { info: preview.info });
  const chunks: ImportChunk[] = [];
  await runContactImport({
    input,
    info,
    mapping: preview.mapping,
    consent: ImportConsent.parse(consent),
    ...(attestationId ? { attestationId } : {}),
    importedAt: '2026-11-28T10:00:00.000Z',
    sink: {
      writeChunk(chunk) {
        chunks.push(chunk);
        return Promise.resolve({ imported: chunk.contacts.length, updated: 0, unchanged: 0, suppressed: 0 });
      },
    },
  });
  return {
    contacts: chunks.flatMap((chunk) => chunk.contacts),
    rejects: chunks.flatMap((chunk) => chunk.rejects),
  };
}

function ofProfile(name: string, id: string): boolean {
  return name.startsWith(`${id}-`) || name === `${id}.csv`;
}

const ATTESTATION = {
  signerName: 'Bea Bakker',
  signedAt: '2026-11-28T09:00:00.000Z',
  claimedBasis: 'oude lijst',
};

function byEmail(contacts: ImportedContact[], email: string): ImportedContact {
  const found = contacts.find((contact) => contact.email === email);
  if (!found) throw new Error(`no contact ${email}`);
  return found;
}

describe('source-tool profiles', () => {
  it('has a fixture for every profile, and each fixture is recognised as its tool', async () => {
    for (const profile of SOURCE_PROFILES) {
      expect(
        FILES.some((name) => ofProfile(name, profile.id)),
        profile.id,
      ).toBe(true);
    }
    for (const name of FILES) {
      const preview = await previewContactFile({ path: join(FIXTURES, name) });
      const expected = SOURCE_PROFILES.find((profile) => ofProfile(name, profile.id))?.id;
      expect(preview.tool, name).toBe(expected);
      expect(
        preview.mapping.columns.some((column) => column.field === 'email'),
        name,
      ).toBe(true);
    }
  });

  it('keeps generic Dutch spreadsheets generic', async () => {
    for (const header of [
      'E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Bedrijfsnaam',
      'E-mailadres;Voornaam;Achternaam;Aangemeld op',
      'E-mailadres;Naam;Status',
      'Email;Name;Company',
    ]) {
      const content = Buffer.from(`${header}\njan@example.nl;Jan;Jansen;x\n`);
      expect((await previewContactFile({ content, fileName: 'klanten.csv' })).tool, header).toBe('generic');
    }
  });

  it('carries every opt-out kind over, and marks unfinished or absent opt-ins without the attestation', async () => {
    const { contacts } = await importFixture(
      'klaviyo-profiles.csv',
      { method: 'IMPORTED_UNKNOWN', attestation: ATTESTATION, timeZone: 'UTC' },
      'att-1',
    );
    expect(byEmail(contacts, 'lex@example.nl').unsubscribedAt).toBe('2024-11-01T10:00:00.000Z');
    expect(byEmail(contacts, 'mia@example.nl').hardBounceAt).toBe('2024-03-01T10:00:00.000Z');
    expect(byEmail(contacts, 'otto@example.nl').complaintAt).toBe('2026-11-28T10:00:00.000Z');
    const nina = byEmail(contacts, 'nina@example.nl');
    expect(nina).toMatchObject({ unconsented: 'NEVER_SUBSCRIBED', method: 'IMPORTED_UNKNOWN' });
    expect(nina.evidence.attestationId).toBeUndefined();
    expect(byEmail(contacts, 'karin@example.nl').evidence).toMatchObject({
      attestationId: 'att-1',
      signupAt: '2025-06-01T10:00:00.000Z',
    });
  });

  it('reads Brevo blacklist and double opt-in flags, and Shopify "no marketing" as an objection', async () => {
    const brevo = await importFixture('brevo-contacts.csv', { method: 'WEB_DOI' });
    expect(byEmail(brevo.contacts, 'geblokt@example.nl').blocklistedAt).toBeDefined();
    expect(byEmail(brevo.contacts, 'halfweg@example.nl')).toMatchObject({
      unconsented: 'UNCONFIRMED',
      method: 'IMPORTED_UNKNOWN',
    });
    const shopify = await importFixture('shopify-customers_export.csv', { method: 'CUSTOMER' });
    expect(byEmail(shopify.contacts, 'gijs@example.nl').objectedAt).toBe('2026-11-28T10:00:00.000Z');
    expect(byEmail(shopify.contacts, 'femke@example.nl').evidence).toMatchObject({ orderPaid: true });
    expect(byEmail(shopify.contacts, 'hilde@example.nl').evidence.orderPaid).toBe(false);
  });

  it('rejects a status value the tool does not write instead of guessing', async () => {
    const content = Buffer.from(
      'email,name,status,subscribed_at\nx@example.nl,X,paused,2025-01-01 10:00:00\n',
    );
    const input = { content, fileName: 'subscribers.csv' };
    const preview = await previewContactFile(input);
    expect(preview.tool).toBe('mailerlite');
    const chunks: ImportChunk[] = [];
    await runContactImport({
      input,
      info: preview.info,
      mapping: preview.mapping,
      consent: ImportConsent.parse({ method: 'WEB_SOI' }),
      importedAt: '2026-11-28T10:00:00.000Z',
      sink: {
        writeChunk: (chunk) => (
          chunks.push(chunk),
          Promise.resolve({ imported: 0, updated: 0, unchanged: 0, suppressed: 0 })
        ),
      },
    });
    expect(chunks.flatMap((chunk) => chunk.rejects).map((reject) => reject.code)).toEqual(['UNKNOWN_STATUS']);
  });

  it("needs no method for Mailchimp's unsubscribed file, and keeps every row's opt-out", async () => {
    const preview = await previewContactFile({
      path: join(FIXTURES, 'mailchimp-unsubscribed_members_export.csv'),
    });
    expect(checkImportConsent(ImportConsent.parse({}), preview.mapping)).toEqual([]);
    const { contacts, rejects } = await importFixture('mailchimp-unsubscribed_members_export.csv', {
      timeZone: 'UTC',
    });
    expect(rejects).toEqual([]);
    expect(contacts.map((contact) => contact.unsubscribedAt)).toEqual([
      '2025-01-15T12:00:00.000Z',
      '2026-11-28T10:00:00.000Z',
    ]);
    // The subscribed file still asks for a method unless the per-row method is confirmed.
    const subscribed = await previewContactFile({
      path: join(FIXTURES, 'mailchimp-subscribed_members_export.csv'),
    });
    expect(() => checkImportConsent(ImportConsent.parse({}), subscribed.mapping)).toThrow(/Say how/);
    expect(
      checkImportConsent(ImportConsent.parse({ rowMethodFromEvidence: true }), subscribed.mapping),
    ).toEqual([]);
  });

  it('keeps a duplicate row that never confirmed blocked, whatever the other row claims', () => {
    const base = { email: 'a@example.nl', addressKind: 'PERSONAL', recipientKind: 'UNKNOWN' } as const;
    const confirmed: ImportedContact = {
      ...base,
      rowNumber: 2,
      method: 'WEB_DOI',
      evidence: { confirmedAt: '2025-01-01T00:00:00.000Z', attestationId: 'att-1' },
    };
    const unconfirmed: ImportedContact = {
      ...base,
      rowNumber: 3,
      method: 'IMPORTED_UNKNOWN',
      unconsented: 'UNCONFIRMED',
      evidence: {},
    };
    for (const merged of [
      mergeImportedContacts(confirmed, unconfirmed),
      mergeImportedContacts(unconfirmed, confirmed),
    ]) {
      expect(merged).toMatchObject({ method: 'IMPORTED_UNKNOWN', unconsented: 'UNCONFIRMED' });
      expect(merged.evidence.attestationId).toBeUndefined();
    }
    const { unconsented: _unused, ...plain } = unconfirmed;
    const objected = mergeImportedContacts(confirmed, { ...plain, objectedAt: '2025-02-01T00:00:00.000Z' });
    expect(objected.objectedAt).toBe('2025-02-01T00:00:00.000Z');
  });

  it('tells company names from person names', () => {
    for (const name of [
      'Van den Berg Installatietechniek B.V.',
      'Stichting De Brug',
      'Jansen & Zn.',
      'Bakkerij BV',
      'Acme Ltd',
    ])
      expect(looksLikeCompany(name), name).toBe(true);
    for (const name of ['Jan van den Berg', 'Agnes Bos', 'Inca Jansen', 'Zoë de Wit', 'Bv Jansen'.slice(3)])
      expect(looksLikeCompany(name), name).toBe(false);
  });

  it('reads amounts as shops write them', () => {
    expect(parseAmount('€ 1.234,56')).toBe(1234.56);
    expect(parseAmount('1,234.56 EUR')).toBe(1234.56);
    expect(parseAmount('120.50')).toBe(120.5);
    expect(parseAmount('0,00')).toBe(0);
    expect(parseAmount('3')).toBe(3);
    expect(parseAmount('n.v.t.')).toBeUndefined();
  });
});

describe('encoding per file', () => {
  const mixed = Buffer.concat([
    Buffer.from('email;naam\n', 'latin1'),
    Buffer.from('zoe@example.nl;Zoë\n', 'utf8'),
    Buffer.from('chloe@example.nl;Chloë\nandre@example.nl;André\n', 'latin1'),
  ]);

  it('finds a file whose rows disagree, however it is cut into chunks', () => {
    for (const size of [1, 2, 7, mixed.length]) {
      const checker = createEncodingChecker();
      for (let at = 0; at < mixed.length; at += size) checker.push(mixed.subarray(at, at + size));
      expect(checker.end().conflict, String(size)).toEqual({
        utf8Line: 2,
        windows1252Line: 3,
        windows1252Lines: 2,
      });
    }
    const plain = createEncodingChecker();
    plain.push(Buffer.from('a;Zoë\nb;Chloë\n', 'latin1'));
    expect(plain.end()).toEqual({ utf8: false, windows1252Lines: 2 });
  });

  it('refuses to guess, and reads the file as chosen', async () => {
    const input = { content: mixed, fileName: 'samengevoegd.csv' };
    const preview = await previewContactFile(input);
    expect(preview.info.encodingConflict).toBeDefined();
    expect(preview.rows.map((row) => row.cells[1])).toEqual(['Zoë', 'Chloë', 'André']);
    const fresh = await previewContactFile({ content: Buffer.from(mixed), fileName: 'x.csv' });
    await expect(
      scanContactFile(input, { info: { ...fresh.info, encoding: 'utf-8' } }),
    ).rejects.toMatchObject({
      code: 'IMPORT_ENCODING_CHOICE_REQUIRED',
    });
    const chosen = await scanContactFile(input, { info: preview.info, encoding: 'windows-1252' });
    expect(chosen.info.encoding).toBe('windows-1252');
  });
});
