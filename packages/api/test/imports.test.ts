import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSuppression, openStore, type Store } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawWrite } from '@consent-mailer/store/testing';
import { createApiContext, type ApiContext } from '../src/context.js';
import { createMemorySecretStore } from '../src/secrets/secret-store.js';
import { appRouter } from '../src/root.js';
import { createCallerFactory } from '../src/trpc.js';

const ENTITY = 'bakkerij';
const LIST = 'nieuwsbrief';

/** A Dutch Excel "CSV (puntkomma)" export: windows-1252, `;`, CRLF. */
const DUTCH_EXCEL = Buffer.from(
  'E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Bedrijfsnaam\r\n' +
    'zoe@bakkerij-zoe.nl;Zoë;;Jansen;Bakkerij Zoë\r\n' +
    'Kees@Van-T-Hek.NL;Kees;van \'t;Hek;"Van \'t Hek; B.V."\r\n' +
    'helene@example.be;Hélène;;Dupré;\r\n',
  'latin1',
);

const MAILCHIMP =
  'Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS\n' +
  'anna@example.nl,Anna,de Vries,4,"2023-02-12 17:59:31",46.140.110.82,"2023-02-12 18:06:58",46.140.110.83,,,,,,,,"2023-02-12 18:06:58",1,a,,\n' +
  'bram@example.nl,Bram,Peters,2,,,"2023-05-01 10:00:00",,,,,,,,,"2023-05-01 10:00:00",2,b,,\n';

let dir: string;
let store: Store;
let ctx: ApiContext;
let caller: ReturnType<typeof appRouter.createCaller>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-imports-'));
  store = await openStore({ path: join(dir, 'consent-mailer.sqlite') });
  ctx = createApiContext({
    store,
    secrets: createMemorySecretStore(),
    dataDir: dir,
    clock: () => new Date('2026-11-28T10:00:00.000Z'),
  });
  caller = createCallerFactory(appRouter)(ctx);
  const at = '2026-11-01T00:00:00.000Z';
  await rawWrite(
    store,
    store.db.insertInto('sender_entity').values({
      id: ENTITY,
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
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: Buffer | string): { path: string } {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path };
}

async function runToEnd(input: Parameters<typeof caller.imports.run>[0]) {
  const started = await caller.imports.run(input);
  const job = await ctx.jobs.wait(started.jobId);
  return { started, job, result: (await caller.imports.progress({ jobId: started.jobId })).result };
}

/** The indexes on contact.address_hash (a large import drops one while it runs). */
function addressHashIndexes(): string[] {
  return (store.sqlite.prepare('PRAGMA index_list(contact)').all() as { name: string }[])
    .map((index) => index.name)
    .filter((name) => name.includes('address_hash'));
}

async function consentOf(email: string) {
  return store.db
    .selectFrom('consent')
    .innerJoin('contact', 'contact.id', 'consent.contact_id')
    .selectAll('consent')
    .select(['contact.first_name', 'contact.last_name', 'contact.organisation', 'contact.address_kind'])
    .where('contact.email', '=', email)
    .executeTakeFirst();
}

describe('imports.preview', () => {
  it('detects a Dutch Excel export from a path and from an upload alike', async () => {
    const fromPath = await caller.imports.preview({ file: file('klanten.csv', DUTCH_EXCEL) });
    const fromUpload = await caller.imports.preview({
      file: { fileName: 'klanten.csv', contentBase64: DUTCH_EXCEL.toString('base64') },
    });
    expect(fromPath).toMatchObject({
      format: 'csv',
      encoding: 'windows-1252',
      delimiter: ';',
      tool: 'generic',
    });
    expect(fromPath.mapping.columns.map((column) => column.field)).toEqual([
      'email',
      'firstName',
      'middleName',
      'lastName',
      'companyName',
    ]);
    expect(fromPath.rows[0]?.cells[1]).toBe('Zoë');
    expect(fromUpload.rows).toEqual(fromPath.rows);
  });

  it('recognises Mailchimp and suggests double opt-in', async () => {
    const preview = await caller.imports.preview({ file: file('members_export.csv', MAILCHIMP) });
    expect(preview).toMatchObject({ tool: 'mailchimp', suggestedMethod: 'WEB_DOI', delimiter: ',' });
  });
});

// Real files through a real SQLite store on a shared 2-core machine: allow for a slow moment.
describe('imports.run', { timeout: 30_000 }, () => {
  it('imports a Mailchimp export with its double opt-in evidence into the store', async () => {
    const { started, job, result } = await runToEnd({
      file: file('members_export.csv', MAILCHIMP),
      senderEntityId: ENTITY,
      listId: LIST,
      method: 'WEB_DOI',
    });
    expect(job.state).toBe('succeeded');
    expect(result).toMatchObject({
      batchId: started.batchId,
      rows: 2,
      imported: 2,
      rejected: 0,
      encoding: 'utf-8',
      delimiter: ',',
      tool: 'mailchimp',
    });
    expect(await consentOf('anna@example.nl')).toMatchObject({
      method: 'WEB_DOI',
      sender_entity_id: ENTITY,
      import_batch_id: started.batchId,
      scope_lists: JSON.stringify([LIST]),
      signup_at: '2023-02-12T17:59:31.000Z',
      signup_ip: '46.140.110.82',
      confirmed_at: '2023-02-12T18:06:58.000Z',
      confirm_ip: '46.140.110.83',
      first_name: 'Anna',
      last_name: 'de Vries',
    });
    const batch = await caller.imports.get({ batchId: started.batchId ?? '' });
    expect(batch).toMatchObject({
      status: 'DONE',
      rowsTotal: 2,
      rowsDone: 2,
      imported: 2,
      tool: 'mailchimp',
      method: 'WEB_DOI',
    });
    const events = await store.db
      .selectFrom('event')
      .select(['type', 'data'])
      .where('entity_id', '=', started.batchId)
      .execute();
    expect(events.map((event) => event.type)).toEqual([
      'import.started',
      'contacts.imported',
      // The chunk's counters, committed to the chain with the chunk (issue 12).
      'import.progressed',
      'import.finished',
    ]);
    // The chain commits to the file and the mapping that produced every stored value.
    const row = await store.db
      .selectFrom('import_batch')
      .select(['file_sha256', 'mapping'])
      .where('id', '=', started.batchId ?? '')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({
      fileSha256: row.file_sha256,
      mappingSha256: createHash('sha256').update(row.mapping).digest('hex'),
    });
    expect(JSON.parse(events[1]?.data ?? '{}')).toMatchObject({ imported: 2 });
  });

  it('keeps Dutch names and tussenvoegsel, and never downgrades evidence on a second import', async () => {
    await runToEnd({
      file: file('members_export.csv', MAILCHIMP),
      senderEntityId: ENTITY,
      method: 'WEB_DOI',
    });
    const second = await runToEnd({
      file: file('klanten.csv', `${'E-mailadres;Voornaam\r\nanna@example.nl;Anna\r\n'}`),
      senderEntityId: ENTITY,
      method: 'WEB_SOI',
    });
    expect(second.result).toMatchObject({ rows: 1, imported: 0 });
    expect(await consentOf('anna@example.nl')).toMatchObject({
      method: 'WEB_DOI',
      confirmed_at: '2023-02-12T18:06:58.000Z',
      signup_ip: '46.140.110.82',
    });

    await runToEnd({
      file: file('excel.csv', DUTCH_EXCEL),
      senderEntityId: ENTITY,
      method: 'PAPER',
      evidence: { paperScanRef: 'map 2024/3', consentTextVersionId: 'ctv-1' },
    });
    // Matched in any case (one address identity); the file's spelling is kept for sending.
    expect(
      await store.db
        .selectFrom('contact')
        .select('email_spelling')
        .where('email', '=', 'kees@van-t-hek.nl')
        .executeTakeFirst(),
    ).toEqual({ email_spelling: 'Kees@van-t-hek.nl' });
    expect(await consentOf('kees@van-t-hek.nl')).toMatchObject({
      first_name: 'Kees',
      last_name: "van 't Hek",
      organisation: "Van 't Hek; B.V.",
      paper_scan_ref: 'map 2024/3',
    });
    expect(await consentOf('zoe@bakkerij-zoe.nl')).toMatchObject({ first_name: 'Zoë' });
  });

  it('never makes a suppressed or unsubscribed address mailable, and counts it apart', async () => {
    await addSuppression(store.db, {
      email: 'anna@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'APP',
      at: '2026-01-01T00:00:00.000Z',
    });
    const unsubscribedExport =
      'Email Address,First Name,OPTIN_TIME,CONFIRM_TIME,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,LEID\n' +
      'weg@example.nl,Wim,"2022-01-01 08:00:00","2022-01-01 08:05:00","2024-01-15 12:00:00",Januari,1\n';
    const first = await runToEnd({
      file: file('members_export.csv', MAILCHIMP),
      senderEntityId: ENTITY,
      method: 'WEB_DOI',
    });
    expect(first.result).toMatchObject({ imported: 1, suppressed: 1 });
    expect(await consentOf('anna@example.nl')).toBeUndefined();
    const second = await runToEnd({
      file: file('unsubscribed_members_export.csv', unsubscribedExport),
      senderEntityId: ENTITY,
      method: 'WEB_DOI',
    });
    expect(second.result).toMatchObject({ imported: 0, suppressed: 1 });
    const suppressions = await store.db.selectFrom('suppression').select(['reason', 'source']).execute();
    expect(suppressions).toContainEqual({ reason: 'UNSUBSCRIBED', source: 'IMPORT' });
  });

  it('refuses IMPORTED_UNKNOWN without an attestation, and stores a signed one with the batch and contacts', async () => {
    const input = {
      file: file('onbekend.csv', 'email\nx@example.nl\n'),
      senderEntityId: ENTITY,
      method: 'IMPORTED_UNKNOWN' as const,
    };
    await expect(caller.imports.run(input)).rejects.toMatchObject({
      cause: { code: 'IMPORT_ATTESTATION_REQUIRED' },
    });
    expect(await store.db.selectFrom('import_batch').selectAll().execute()).toEqual([]);
    const attestation = {
      signerName: 'Jan de Bakker',
      signedAt: '2026-11-28T09:00:00Z',
      claimedBasis: 'Klanten uit de winkel, mondeling gevraagd',
    };
    const { started } = await runToEnd({ ...input, attestation });
    const batch = await caller.imports.get({ batchId: started.batchId ?? '' });
    expect(batch.attestation).toEqual(attestation);
    expect(batch.attestationId).toEqual(expect.any(String));
    expect((await consentOf('x@example.nl'))?.attestation_id).toBe(batch.attestationId);
  });

  it('writes nothing for a file with an unclosed quote and says which row', async () => {
    const broken = 'E-mailadres;Voornaam\r\na@example.nl;A\r\nb@example.nl;"B\r\nc@example.nl;C\r\n';
    // A small file is read whole by the preview that starts the run, so the error comes before any job.
    await expect(
      caller.imports.run({ file: file('kapot.csv', broken), senderEntityId: ENTITY, method: 'PAPER' }),
    ).rejects.toMatchObject({
      cause: { code: 'IMPORT_UNCLOSED_QUOTE', message: expect.stringContaining('Row 3') },
    });
    // A large one gets past the preview; the full scan stops the job before the batch exists.
    const rows = Array.from({ length: 200 }, (_, i) => `k${i}@example.nl;K`).join('\r\n');
    const { job } = await runToEnd({
      file: file(
        'kapot-groot.csv',
        `E-mailadres;Voornaam\r\n${rows}\r\nb@example.nl;"B\r\nc@example.nl;C\r\n`,
      ),
      senderEntityId: ENTITY,
      method: 'PAPER',
    });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'IMPORT_UNCLOSED_QUOTE',
      message: expect.stringContaining('Row 202'),
    });
    expect(await store.db.selectFrom('contact').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('import_batch').selectAll().execute()).toEqual([]);
  });

  it('writes a rejects report with row numbers, safe to open in a spreadsheet', async () => {
    const withBadRows =
      'E-mailadres;Voornaam\r\ngoed@example.nl;Goed\r\n=HYPERLINK("http://x");Kwaad\r\n;Leeg\r\n';
    const { started, result } = await runToEnd({
      file: file('rijen.csv', withBadRows),
      senderEntityId: ENTITY,
      method: 'PAPER',
    });
    expect(result).toMatchObject({ imported: 1, rejected: 2 });
    const report = await caller.imports.rejects({ batchId: started.batchId ?? '' });
    const lines = report.csv.trim().split('\r\n');
    expect(lines[0]).toBe('row,code,column,value,reason_en,reason_nl');
    expect(lines[1]).toMatch(/^3,EMAIL_INVALID,E-mailadres,"'=HYPERLINK\(""http:\/\/x""\)",/);
    expect(lines[2]).toMatch(/^4,EMAIL_MISSING,E-mailadres,/);
  });

  it('leaves a cancelled import labelled with the rows it committed', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `klant${i}@example.nl;Klant ${i}`).join('\r\n');
    // 24 chunks: the job yields between chunks, so the cancel lands long before the end.
    const started = await caller.imports.run({
      file: file('groot.csv', `E-mailadres;Naam\r\n${rows}\r\n`),
      senderEntityId: ENTITY,
      method: 'PAPER',
      chunkSize: 500,
    });
    // Cancel as soon as the first chunk is committed.
    while ((await caller.imports.progress({ jobId: started.jobId })).progress.phase !== 'writing')
      await new Promise((resolve) => setTimeout(resolve, 1));
    await caller.imports.cancel({ jobId: started.jobId });
    const job = await ctx.jobs.wait(started.jobId);
    expect(job.state).toBe('cancelled');
    const batch = await caller.imports.get({ batchId: started.batchId ?? '' });
    const contacts = await store.db.selectFrom('contact').select('id').execute();
    expect(batch.status).toBe('CANCELLED');
    expect(batch.rowsDone).toBeLessThan(12_000);
    expect(batch.rowsDone).toBeGreaterThan(0);
    expect(batch.imported).toBe(contacts.length);
    expect(batch.rowsDone).toBe(contacts.length);
    // The address-hash index this large import set aside is back.
    expect(addressHashIndexes()).toEqual(['contact_by_address_hash']);
  });

  it('imports a large file with the address-hash index set aside, and puts it back', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `klant${i}@example.nl;Klant ${i}`).join('\r\n');
    const { job, result } = await runToEnd({
      file: file('groot.csv', `E-mailadres;Naam\r\n${rows}\r\n`),
      senderEntityId: ENTITY,
      method: 'PAPER',
      evidence: { paperScanRef: 'ordner 7' },
    });
    expect(job.state).toBe('succeeded');
    expect(result).toMatchObject({ rows: 12_000, imported: 12_000, rejected: 0 });
    expect(addressHashIndexes()).toEqual(['contact_by_address_hash']);
    expect(await consentOf('klant11999@example.nl')).toMatchObject({
      method: 'PAPER',
      paper_scan_ref: 'ordner 7',
    });
  });

  it('marks a batch left RUNNING by a crashed program as interrupted when the imports are listed', async () => {
    await rawWrite(
      store,
      store.db.insertInto('import_batch').values({
        id: 'crashed',
        file_name: 'x.csv',
        file_sha256: 'a'.repeat(64),
        file_size: 1,
        sender_entity_id: ENTITY,
        list_id: null,
        default_method: 'PAPER',
        attestation_id: null,
        attestation: null,
        rejects_path: null,
        started_at: '2026-11-27T10:00:00.000Z',
        finished_at: null,
        error: null,
        status: 'RUNNING',
        rows_done: 5000,
        source_tool: 'generic',
        encoding: 'utf-8',
        delimiter: ';',
      }),
    );
    const [batch] = await caller.imports.list();
    expect(batch).toMatchObject({ id: 'crashed', status: 'FAILED', interrupted: true, rowsDone: 5000 });
  });

  it('does a dry run without writing anything', async () => {
    const { started, result } = await runToEnd({
      file: file('members_export.csv', MAILCHIMP),
      senderEntityId: ENTITY,
      method: 'WEB_DOI',
      dryRun: true,
    });
    expect(started.batchId).toBeNull();
    expect(result).toMatchObject({ dryRun: true, rows: 2, imported: 2 });
    expect(await store.db.selectFrom('contact').selectAll().execute()).toEqual([]);
  });

  it('saves a mapping and reuses it for the next file', async () => {
    const export1 = file('crm.csv', 'Mail;Roepnaam;Org\r\na@example.nl;Ann;Acme\r\n');
    const preview = await caller.imports.preview({
      file: export1,
      overrides: { Mail: 'email', Org: 'companyName' },
    });
    await caller.imports.saveMapping({ name: 'CRM', mapping: preview.mapping });
    expect((await caller.imports.mappings()).map((saved) => saved.name)).toEqual(['CRM']);
    const reused = await caller.imports.preview({ file: export1, mappingName: 'CRM' });
    expect(reused.mapping.columns.map((column) => column.field)).toEqual([
      'email',
      'firstName',
      'companyName',
    ]);
  });
});
