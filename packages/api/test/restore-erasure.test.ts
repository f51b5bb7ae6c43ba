import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importContacts, isSuppressed } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity, rawWrite } from '@consent-mailer/store/testing';
import { NOW, openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
const at = NOW.toISOString();
const row = (email: string) => ({
  email,
  recipientKind: 'CONSUMER' as const,
  method: 'WEB_SOI' as const,
  senderEntityId: 'bakkerij',
  scopeLists: 'ALL' as const,
  signupAt: at,
});

beforeEach(async () => {
  fixture = await openApiFixture('cm-api-restore-');
  await addSenderEntity(fixture.store);
});
afterEach(async () => fixture.cleanup());

describe('restore keeps every opt-out and erasure made after the backup', () => {
  it('previews what is lost, needs confirmation, carries suppressions and erasures forward, records the replaced head', async () => {
    await importContacts(fixture.store.db, [row('anna@example.nl'), row('zonnebloem@example.nl')], { at });
    const backup = await fixture.caller.system.backup({ path: 'backups/old.sqlite' });
    await fixture.caller.suppressions.unsubscribe({ email: 'ANNA@Example.NL' });
    await fixture.caller.contacts.erase({ email: 'Zonnebloem@example.nl' });
    const head = await fixture.caller.system.status();

    const preview = await fixture.caller.system.restorePreview({ path: backup.path });
    expect(preview.backupIsAncestor).toBe(true);
    expect(preview.suppressionsAfterBackup).toHaveLength(1);
    expect(preview.erasuresAfterBackup).toHaveLength(1);
    expect(preview.eventsAfterBackup.count).toBe(head.chain.events - backup.events);
    await expect(fixture.caller.system.restore({ path: backup.path })).rejects.toMatchObject({
      cause: { code: 'RESTORE_NOT_CONFIRMED' },
    });
    expect((await fixture.caller.system.status()).chain).toMatchObject({ events: head.chain.events });

    const { restored } = await fixture.caller.system.restore({ path: backup.path, confirm: true });
    expect(restored).toMatchObject({ carriedSuppressions: 1, reErased: 1 });
    expect(await isSuppressed(fixture.store.db, 'anna@example.nl')).toBe(true);
    expect(await isSuppressed(fixture.store.db, 'zonnebloem@example.nl')).toBe(true);
    const contacts = await fixture.store.db.selectFrom('contact').select('email').execute();
    expect(contacts).toEqual([{ email: 'anna@example.nl' }]);
    const event = await fixture.store.db
      .selectFrom('event')
      .select('data')
      .where('type', '=', 'store.restored')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.data)).toMatchObject({
      replacedHeadSeq: head.chain.events,
      replacedHeadHash: head.chain.ok ? head.chain.headHash : '',
    });
    const bytes = readFileSync(fixture.path).toString('latin1');
    expect(bytes).not.toContain('zonnebloem@');
  });
});

describe('erasure leaves nothing readable', () => {
  it('redacts rejects reports, deletes leftover uploads, checks the WAL and names backups that hold the person', async () => {
    await importContacts(fixture.store.db, [row('marieke@example.nl')], { at });
    const rejects = join(fixture.dir, 'imports', 'b1-rejects.csv');
    mkdirSync(join(fixture.dir, 'imports'), { recursive: true });
    writeFileSync(
      rejects,
      'row,code,column,value,reason_en,reason_nl\r\n2,EMAIL_INVALID,email,MARIEKE@example.nl>,bad,fout\r\n3,EMAIL_MISSING,email,,missing,ontbreekt\r\n',
    );
    await rawWrite(
      fixture.store,
      fixture.store.db.insertInto('import_batch').values({
        id: 'b1',
        file_name: 'k.csv',
        file_sha256: 'a'.repeat(64),
        file_size: 1,
        started_at: at,
        rejects_path: rejects,
        sender_entity_id: null,
        list_id: null,
        default_method: null,
        attestation_id: null,
        attestation: null,
        finished_at: at,
        error: null,
        source_tool: null,
        encoding: null,
        delimiter: null,
      }),
    );
    mkdirSync(join(fixture.dir, 'uploads'), { recursive: true });
    const upload = join(fixture.dir, 'uploads', 'x-klanten.csv');
    writeFileSync(upload, 'email\nMarieke@Example.nl\n');
    const backup = await fixture.caller.system.backup({ path: 'backups/before.sqlite' });

    const result = await fixture.caller.contacts.erase({ email: 'marieke@example.nl' });
    expect(result.walCheckpoint.complete).toBe(true);
    expect(result.rejectsRedacted).toEqual([{ path: rejects, rows: 1 }]);
    expect(result.uploadsDeleted).toEqual([upload]);
    expect(existsSync(upload)).toBe(false);
    expect(result.backupsHoldingPerson.map((entry) => entry.path)).toEqual([backup.path]);
    expect(result.warnings.some((warning) => warning.en.includes(backup.path))).toBe(true);
    const report = readFileSync(rejects).toString('latin1').toLowerCase();
    expect(report).not.toContain('marieke');
    expect(report).toContain('email_missing');
    const db = Buffer.concat([
      readFileSync(fixture.path),
      ...(existsSync(`${fixture.path}-wal`) ? [readFileSync(`${fixture.path}-wal`)] : []),
    ]).toString('latin1');
    expect(db.toLowerCase()).not.toContain('marieke');
  });
});
