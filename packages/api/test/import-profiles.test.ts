import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyContact, type Classification, type MailingContext } from '@consent-mailer/policy';
import { getContactByEmail, isSuppressed } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity, rawWrite } from '@consent-mailer/store/testing';
import { CASES } from './import-profile-cases.js';
import { NOW, openApiFixture } from './store-fixture.js';

/**
 * Every source-tool profile's fixture (packages/importer/test/fixtures/profiles, see its README) through the
 * real import job into a real SQLite store, then the real policy assessment: the rows the tool marks as
 * opted out are suppressed, the rows it marks as not (or not yet) consenting are BLOCKED, both with a file
 * imported as IMPORTED_UNKNOWN under a signed attestation (the most an owner can sign for: BLOCKED rows are
 * never covered by an acknowledgement, rule M15) and with the file's natural method; the evidence of the
 * consenting rows lands on their contact.
 */
const FIXTURES = fileURLToPath(new URL('../../importer/test/fixtures/profiles/', import.meta.url));
const ENTITY = 'bakkerij';
const LIST = 'nieuwsbrief';
const MAILING: MailingContext = { id: 'm-1', senderEntityId: ENTITY, listId: LIST, content: 'MARKETING' };

let fixture: Awaited<ReturnType<typeof openApiFixture>>;

beforeEach(async () => {
  fixture = await openApiFixture('cm-profiles-');
  // As the owner would, through the native open dialog: the api reads only granted files outside its folder.
  for (const name of readdirSync(FIXTURES)) fixture.ctx.files.grant(join(FIXTURES, name));
  await addSenderEntity(fixture.store, ENTITY);
  const at = NOW.toISOString();
  await rawWrite(
    fixture.store,
    fixture.store.db.insertInto('list').values({
      id: LIST,
      sender_entity_id: ENTITY,
      name: 'Nieuwsbrief',
      description: null,
      created_at: at,
      updated_at: at,
      archived_at: null,
    }),
  );
});
afterEach(async () => {
  await fixture.cleanup();
});

async function runImport(input: Parameters<typeof fixture.caller.imports.run>[0]) {
  const started = await fixture.caller.imports.run(input);
  await fixture.ctx.jobs.wait(started.jobId);
  const progress = await fixture.caller.imports.progress({ jobId: started.jobId });
  expect(progress.error ?? null).toBeNull();
  return { started, result: progress.result };
}

/** The classification of every consent of the address, judged by the policy against a marketing mailing. */
async function classifications(email: string): Promise<Classification[]> {
  const detail = await getContactByEmail(fixture.store.db, email);
  if (!detail) return [];
  return detail.records.map(
    (record) => classifyContact(record, MAILING, { now: NOW.toISOString() }).classification,
  );
}

const ATTESTATION = {
  signerName: 'Bea Bakker',
  signedAt: '2026-11-28T09:00:00.000Z',
  claimedBasis: 'Klanten en aanmeldingen van de oude nieuwsbrieftool, verklaard door de eigenaar.',
};

describe('tool exports: opt-outs never mailable, evidence kept', () => {
  for (const testCase of CASES) {
    it(`${testCase.tool}: ${testCase.file} under a signed attestation (IMPORTED_UNKNOWN)`, async () => {
      const preview = await fixture.caller.imports.preview({ file: { path: join(FIXTURES, testCase.file) } });
      expect(preview.tool).toBe(testCase.tool);
      expect(preview.report.profile?.id).toBe(testCase.tool);
      const { result } = await runImport({
        file: { path: join(FIXTURES, testCase.file) },
        senderEntityId: ENTITY,
        listId: LIST,
        method: 'IMPORTED_UNKNOWN',
        attestation: ATTESTATION,
      });
      expect(result?.rejected).toBe(0);
      for (const email of testCase.suppressed) {
        expect(await isSuppressed(fixture.store.db, email), email).toBe(true);
        for (const verdict of await classifications(email)) expect(verdict, email).toBe('BLOCKED');
      }
      for (const email of testCase.blocked) {
        const detail = await getContactByEmail(fixture.store.db, email);
        expect(detail, email).not.toBeNull();
        expect(await classifications(email), email).toEqual(['BLOCKED']);
        // Not an unknown origin the attestation could cover: the batch's attestation is not on it.
        expect(detail?.consents[0]?.attestation_id ?? null, email).toBeNull();
      }
      // The rows the tool does not mark stay what an attestation makes them: mailable only with an acknowledgement.
      for (const email of Object.keys(testCase.kept).filter((email) => !testCase.blocked.includes(email))) {
        expect(await classifications(email), email).toEqual(['TRANSFER_RISK']);
      }
    });

    it(`${testCase.tool}: ${testCase.file} with its own method, evidence on the contact`, async () => {
      const { result } = await runImport({
        file: { path: join(FIXTURES, testCase.file) },
        senderEntityId: ENTITY,
        listId: LIST,
        ...(testCase.method
          ? { method: testCase.method }
          : { method: 'IMPORTED_UNKNOWN' as const, attestation: ATTESTATION }),
        ...(testCase.rowMethodFromEvidence ? { rowMethodFromEvidence: true } : {}),
      });
      expect(result?.rejected).toBe(0);
      for (const email of [
        ...testCase.suppressed,
        ...testCase.blocked,
        ...(testCase.blockedAsNatural ?? []),
      ]) {
        const verdicts = await classifications(email);
        if (testCase.suppressed.includes(email))
          expect(await isSuppressed(fixture.store.db, email), email).toBe(true);
        else expect(verdicts.length, email).toBe(1);
        for (const verdict of verdicts) expect(verdict, email).toBe('BLOCKED');
      }
      for (const [email, expected] of Object.entries(testCase.kept)) {
        const detail = await getContactByEmail(fixture.store.db, email);
        expect(detail, email).not.toBeNull();
        if (expected.first !== undefined)
          expect(detail?.contact.first_name ?? null, email).toBe(expected.first);
        if (expected.last !== undefined) expect(detail?.contact.last_name ?? null, email).toBe(expected.last);
        if (expected.organisation !== undefined)
          expect(detail?.contact.organisation ?? null, email).toBe(expected.organisation);
        if (expected.consent) expect(detail?.consents[0], email).toMatchObject(expected.consent);
      }
      const batch = await fixture.caller.imports.get({ batchId: result?.batchId ?? '' });
      expect(batch.report?.profile?.id).toBe(testCase.tool);
    });
  }
});

describe('the preview shows what the import will do, and the import keeps it', () => {
  it('shows the Mailchimp profile, dropped columns and the per-row method, applied only when confirmed', async () => {
    const file = { path: join(FIXTURES, 'mailchimp-subscribed_members_export.csv') };
    const preview = await fixture.caller.imports.preview({ file });
    expect(preview.report.profile?.name).toBe('Mailchimp');
    expect(preview.report.dropped).toEqual(expect.arrayContaining(['MEMBER_RATING', 'LEID', 'EUID', 'TAGS']));
    expect(preview.report.columns.find((column) => column.header === 'CONFIRM_IP')).toMatchObject({
      field: 'confirmIp',
      kept: true,
    });
    expect(preview.report.rowMethods).toEqual([expect.objectContaining({ method: 'WEB_DOI' })]);
    expect(preview.report.sample).toMatchObject({ rows: 2, methodFromEvidence: 1 });

    // Not confirmed: the file-wide question stays, and no row's method is guessed.
    await expect(
      fixture.caller.imports.run({ file, senderEntityId: ENTITY, listId: LIST }),
    ).rejects.toMatchObject({ cause: { code: 'IMPORT_METHOD_REQUIRED' } });
    const { result } = await runImport({
      file,
      senderEntityId: ENTITY,
      listId: LIST,
      rowMethodFromEvidence: true,
    });
    // Confirmed without a file-wide method: the proven row is WEB_DOI, the other one is refused, not guessed.
    expect(result).toMatchObject({ imported: 1, rejected: 1 });
    const anna = await getContactByEmail(fixture.store.db, 'anna@example.nl');
    expect(anna?.consents[0]?.method).toBe('WEB_DOI');
    expect(await getContactByEmail(fixture.store.db, 'bram@example.nl')).toBeNull();
    const batch = await fixture.caller.imports.get({ batchId: result?.batchId ?? '' });
    expect(batch.consent).toMatchObject({ rowMethodFromEvidence: true });
    expect(batch.report?.dropped).toEqual(preview.report.dropped);
  });

  it('chains the profile and column report through import.started', async () => {
    const file = { path: join(FIXTURES, 'klaviyo-profiles.csv') };
    const { result } = await runImport({ file, senderEntityId: ENTITY, method: 'WEB_SOI' });
    const row = await fixture.store.db
      .selectFrom('import_batch')
      .select('mapping')
      .where('id', '=', result?.batchId ?? '')
      .executeTakeFirstOrThrow();
    const started = await fixture.store.db
      .selectFrom('event')
      .selectAll()
      .where('type', '=', 'import.started')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(started.data)).toMatchObject({
      mappingSha256: createHash('sha256').update(row.mapping).digest('hex'),
    });
    expect(JSON.parse(row.mapping)).toMatchObject({ report: { profile: { id: 'klaviyo' } } });
  });

  it('never reads a file mixing UTF-8 and Windows-1252 rows silently in one encoding', async () => {
    const content = Buffer.concat([
      Buffer.from('E-mailadres;Voornaam;Achternaam\r\n', 'latin1'),
      Buffer.from('zoe@example.nl;Zoë;Jansen\r\n', 'utf8'),
      Buffer.from('chloe@example.nl;Chloë;Dupré\r\n', 'latin1'),
    ]);
    const file = { contentBase64: content.toString('base64'), fileName: 'samengevoegd.csv' };
    const preview = await fixture.caller.imports.preview({ file });
    expect(preview.encodingConflict).toEqual({ utf8Line: 2, windows1252Line: 3, windows1252Lines: 1 });
    expect(preview.encodingChoices).toEqual(['per-line', 'utf-8', 'windows-1252']);
    // The preview shows each line as it is valid: no "ZoÃ«".
    expect(preview.rows.map((row) => row.cells[1])).toEqual(['Zoë', 'Chloë']);
    const input = { file, senderEntityId: ENTITY, method: 'PAPER' as const };
    await expect(fixture.caller.imports.run(input)).rejects.toMatchObject({
      cause: { code: 'IMPORT_ENCODING_CHOICE_REQUIRED' },
    });
    const { result } = await runImport({ ...input, encoding: 'per-line' });
    expect(result).toMatchObject({ imported: 2, encoding: 'per-line' });
    expect((await getContactByEmail(fixture.store.db, 'zoe@example.nl'))?.contact.first_name).toBe('Zoë');
    expect((await getContactByEmail(fixture.store.db, 'chloe@example.nl'))?.contact.last_name).toBe('Dupré');
  });
});
