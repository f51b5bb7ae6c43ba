import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  classifyContact,
  type Classification,
  type ConsentMethod,
  type MailingContext,
} from '@consent-mailer/policy';
import { getContactByEmail, isSuppressed, type ConsentRow } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity, NOW, openApiFixture } from './store-fixture.js';

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

interface ProfileCase {
  file: string;
  tool: string;
  /** The method an owner would choose for the file (null: only IMPORTED_UNKNOWN with an attestation makes sense). */
  method: ConsentMethod | null;
  rowMethodFromEvidence?: boolean;
  /** Opted out in the tool: on the suppression list after the import. */
  suppressed: string[];
  /** Declined marketing or never (finished) opting in: a contact that is BLOCKED. */
  blocked: string[];
  /** Blocked only under the file's natural method (a "customer" without a paid order, rule C5). */
  blockedAsNatural?: string[];
  /** Contacts that must be imported, with what must be on them. */
  kept: Record<
    string,
    {
      consent?: Partial<ConsentRow>;
      first?: string | null;
      last?: string | null;
      organisation?: string | null;
    }
  >;
}

const CASES: ProfileCase[] = [
  {
    file: 'mailchimp-subscribed_members_export.csv',
    tool: 'mailchimp',
    method: 'WEB_SOI',
    rowMethodFromEvidence: true,
    suppressed: [],
    blocked: [],
    kept: {
      'anna@example.nl': {
        first: 'Anna',
        last: 'de Vries',
        consent: {
          method: 'WEB_DOI',
          signup_at: '2025-02-12T17:59:31.000Z',
          signup_ip: '192.0.2.10',
          confirmed_at: '2025-02-12T18:06:58.000Z',
          confirm_ip: '192.0.2.11',
        },
      },
      // A confirmation time without a prior sign-up (an API or single opt-in join): not a proven DOI.
      'bram@example.nl': { consent: { method: 'WEB_SOI', confirmed_at: '2025-05-01T10:00:00.000Z' } },
    },
  },
  {
    file: 'mailchimp-unsubscribed_members_export.csv',
    tool: 'mailchimp',
    method: null,
    suppressed: ['weg@example.nl', 'ooknietmeer@example.nl'],
    blocked: [],
    kept: {},
  },
  {
    file: 'mailchimp-cleaned_members_export.csv',
    tool: 'mailchimp',
    method: null,
    suppressed: ['bestaatniet@example.nl'],
    blocked: [],
    kept: {},
  },
  {
    file: 'laposta-api-members.csv',
    tool: 'laposta',
    method: 'WEB_SOI',
    suppressed: ['oud@example.net', 'kapot@example.net'],
    blocked: ['nooitbevestigd@example.net'],
    kept: {
      'maartje@example.net': {
        consent: {
          method: 'WEB_SOI',
          signup_at: '2025-03-12T09:00:00.000Z',
          signup_ip: '198.51.100.7',
          source: 'https://example.nl/nieuwsbrief',
        },
      },
    },
  },
  {
    file: 'laposta-ui-relaties.csv',
    tool: 'laposta',
    method: 'WEB_SOI',
    suppressed: ['gerrit@example.nl', 'isaak@example.nl'],
    blocked: ['hanna@example.nl'],
    kept: {
      'fenna@example.nl': {
        first: 'Fenna',
        last: 'Zoë de Boer',
        consent: {
          signup_at: '2025-03-12T09:00:00.000Z',
          signup_ip: '198.51.100.20',
          source: 'https://example.nl/aanmelden',
        },
      },
    },
  },
  {
    file: 'mailerlite-api-subscribers.csv',
    tool: 'mailerlite',
    method: 'WEB_SOI',
    rowMethodFromEvidence: true,
    suppressed: ['tim@example.nl', 'victor@example.nl', 'wendy@example.nl'],
    blocked: ['ursula@example.nl'],
    kept: {
      'sanne@example.nl': {
        first: 'Sanne',
        organisation: 'Visser Advies',
        consent: {
          method: 'WEB_DOI',
          confirmed_at: '2025-08-31T14:25:00.000Z',
          confirm_ip: '192.0.2.41',
          source: 'webform',
        },
      },
    },
  },
  {
    file: 'mailerlite-ui-export.csv',
    tool: 'mailerlite',
    method: 'WEB_SOI',
    rowMethodFromEvidence: true,
    suppressed: ['zeger@example.nl'],
    blocked: ['yara@example.nl'],
    kept: { 'xander@example.nl': { consent: { method: 'WEB_DOI', confirm_ip: '192.0.2.51' } } },
  },
  {
    file: 'brevo-contacts.csv',
    tool: 'brevo',
    method: 'WEB_SOI',
    suppressed: ['geblokt@example.nl'],
    blocked: ['halfweg@example.nl'],
    kept: { 'lisa@example.nl': { first: 'Lisa' } },
  },
  {
    file: 'klaviyo-profiles.csv',
    tool: 'klaviyo',
    method: 'WEB_SOI',
    suppressed: ['lex@example.nl', 'mia@example.nl', 'otto@example.nl'],
    blocked: ['nina@example.nl'],
    kept: {
      'karin@example.nl': {
        consent: { signup_at: '2025-06-01T10:00:00.000Z', signup_ip: '192.0.2.60', source: 'Footer form' },
      },
    },
  },
  {
    file: 'activecampaign-contacts.csv',
    tool: 'activecampaign',
    method: 'WEB_SOI',
    suppressed: ['quinten@example.nl', 'rosa@example.nl'],
    blocked: ['stijn@example.nl'],
    kept: { 'paula@example.nl': { organisation: 'Actief BV', consent: { signup_ip: '192.0.2.70' } } },
  },
  {
    file: 'mautic-contacts.csv',
    tool: 'mautic',
    method: 'WEB_SOI',
    suppressed: ['udo@example.nl', 'vera@example.nl', 'wout@example.nl'],
    blocked: [],
    kept: { 'tessa@example.nl': { first: 'Tessa' } },
  },
  {
    file: 'listmonk-subscribers.csv',
    tool: 'listmonk',
    method: 'WEB_SOI',
    suppressed: ['geblokt@example.org'],
    blocked: ['uitgezet@example.org'],
    kept: {
      'lotte@example.nl': {
        first: 'Lotte',
        last: 'Bakker',
        consent: { signup_at: '2025-02-01T09:15:00.123Z' },
      },
    },
  },
  {
    file: 'sendy-subscribers.csv',
    tool: 'sendy',
    method: 'WEB_SOI',
    suppressed: ['boris@example.nl', 'cas@example.nl', 'dirk@example.nl'],
    blocked: ['eva@example.nl'],
    kept: { 'anouk@example.nl': { first: 'Anouk', consent: { signup_at: '2025-04-01T12:00:00.000Z' } } },
  },
  {
    file: 'shopify-customers_export.csv',
    tool: 'shopify',
    method: 'CUSTOMER',
    suppressed: [],
    blocked: ['gijs@example.nl'],
    blockedAsNatural: ['hilde@example.nl'],
    kept: {
      'femke@example.nl': {
        first: 'Femke',
        consent: {
          method: 'CUSTOMER',
          order_paid: 1,
          order_ref: 'Shopify customer 7012345678901: 3 orders, 120.50 spent',
        },
      },
      'hilde@example.nl': { consent: { order_paid: 0 } },
    },
  },
  {
    file: 'woocommerce-customers.csv',
    tool: 'woocommerce',
    method: 'CUSTOMER',
    suppressed: [],
    blocked: [],
    blockedAsNatural: ['jeroen@example.nl'],
    kept: {
      'ilse@example.nl': {
        first: 'Ilse',
        last: 'Koper',
        consent: {
          order_paid: 1,
          order_ref: 'WooCommerce customer: 2 orders, €89,90 spent',
          signup_at: '2024-01-15T09:00:00.000Z',
        },
      },
    },
  },
  {
    file: 'lightspeed-retail-customers.csv',
    tool: 'lightspeed',
    method: 'CUSTOMER',
    suppressed: [],
    blocked: ['lies@example.nl'],
    kept: { 'kees@example.nl': { first: 'Kees', last: 'Winkel' } },
  },
  {
    file: 'google-contacts.csv',
    tool: 'google-contacts',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      'marieke@example.nl': { first: 'Marieke', last: 'van Dam', organisation: 'Dam Bloemen' },
      'info@vandenberg-installatie.example': {
        first: null,
        last: null,
        organisation: 'Van den Berg Installatietechniek B.V.',
      },
    },
  },
  {
    file: 'outlook-contacts.csv',
    tool: 'outlook',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      'noor@example.nl': { first: 'Noor', last: 'van der Laan', organisation: 'Laan Advies' },
      'rene@example.fr': { first: 'René', last: 'Maître' },
    },
  },
  {
    file: 'exact-online-relaties.csv',
    tool: 'exact-online',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      // The company is the organisation; the main contact is the person greeted ("Hallo Piet", never "Hallo Van").
      'piet@vandenberg-installatie.example': {
        first: 'Piet',
        last: 'van den Berg',
        organisation: 'Van den Berg Installatietechniek B.V.',
      },
      'info@vandijkschilders.example': { first: null, last: null, organisation: 'Van Dijk Schilders' },
    },
  },
  {
    file: 'moneybird-contacten.csv',
    tool: 'moneybird',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      'ruud@bakkerij-ruiz.example': { first: 'Ruud', last: 'Ruiz', organisation: 'Bakkerij Ruiz' },
      'sara@example.nl': { first: 'Sara', last: 'Jansen', organisation: null },
      'jansenzn@example.nl': { first: null, last: null, organisation: 'Jansen & Zn.' },
    },
  },
  {
    file: 'e-boekhouden-relaties.csv',
    tool: 'e-boekhouden',
    method: null,
    suppressed: [],
    blocked: ['ab@geenpost.example'],
    kept: {
      'tom@debrug.example': { first: 'Tom', last: 'Brug', organisation: 'Stichting De Brug' },
      'zoe@example.nl': { first: 'Zoë', last: 'de Wit', organisation: null },
    },
  },
];

let fixture: Awaited<ReturnType<typeof openApiFixture>>;

beforeEach(async () => {
  fixture = await openApiFixture('cm-profiles-');
  await addSenderEntity(fixture.store, ENTITY);
  const at = NOW.toISOString();
  await fixture.store.db
    .insertInto('list')
    .values({
      id: LIST,
      sender_entity_id: ENTITY,
      name: 'Nieuwsbrief',
      description: null,
      created_at: at,
      updated_at: at,
      archived_at: null,
    })
    .execute();
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
