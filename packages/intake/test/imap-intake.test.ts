import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createIntakeMailbox,
  openStore,
  verifyChain,
  type IntakeMailboxRow,
  type Store,
} from '@consent-mailer/store';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyIncoming, recordIncoming, runIntake } from '../src/index.js';
import { startDovecot, type DovecotServer } from '../src/testing/index.js';

let dovecot: DovecotServer | undefined;
let store: Store | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  await dovecot?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  store = undefined;
  dovecot = undefined;
  dir = undefined;
});

const AT = '2026-11-28T12:00:00.000Z';

async function client(server: DovecotServer): Promise<ImapFlow> {
  const imap = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: 'info', pass: 'geheim' },
    logger: false,
  });
  await imap.connect();
  return imap;
}

async function counts(server: DovecotServer): Promise<Record<string, number>> {
  const imap = await client(server);
  try {
    const result: Record<string, number> = {};
    for (const entry of await imap.list()) {
      const status = await imap.status(entry.path, { messages: true });
      result[entry.path] = status === false ? 0 : (status.messages ?? 0);
    }
    return result;
  } finally {
    await imap.logout();
  }
}

async function setup(): Promise<{ server: DovecotServer; db: Store; mailbox: IntakeMailboxRow }> {
  dovecot = await startDovecot({ users: { info: 'geheim' } });
  dir = mkdtempSync(join(tmpdir(), 'cm-intake-'));
  store = await openStore({ path: join(dir, 'db.sqlite') });
  const mailbox = await createIntakeMailbox(
    store.db,
    {
      id: 'mb1',
      name: 'info',
      host: dovecot.host,
      port: dovecot.port,
      security: 'NONE',
      username: 'info',
      secretRef: 'imap:info',
      folder: 'INBOX',
      processedFolder: 'Processed',
      unrecognisedFolder: 'Unrecognised',
      pollSeconds: 60,
    },
    AT,
  );
  return { server: dovecot, db: store, mailbox };
}

const connection = (server: DovecotServer) => ({
  host: server.host,
  port: server.port,
  security: 'NONE' as const,
  username: 'info',
  password: 'geheim',
});

describe('runIntake against a real Dovecot', () => {
  it('finishes the move a crash left undone and never reads a message twice', async () => {
    const { server, db, mailbox } = await setup();
    const imap = await client(server);
    await imap.append('INBOX', 'From: jan@example.nl\r\nSubject: unsubscribe UnknownTok12345\r\n\r\n\r\n');
    await imap.append(
      'INBOX',
      'From: piet@example.nl\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nWeg.\r\n',
    );
    await imap.append(
      'INBOX',
      'From: marie@example.nl\r\nSubject: Taart\r\n\r\nKan ik een taart bestellen?\r\n',
    );

    // A crash after the first message's commit, before its move: recorded, still in INBOX.
    const lock = await imap.getMailboxLock('INBOX');
    const mailboxState = imap.mailbox;
    const [first] = await imap.fetchAll('1', { uid: true, source: true }, { uid: true });
    lock.release();
    await imap.logout();
    if (!first?.source || !mailboxState) throw new Error('first message expected');
    const { incoming } = await classifyIncoming(first.source);
    await recordIncoming(
      db.db,
      {
        mailboxId: mailbox.id,
        folder: 'INBOX',
        uidValidity: Number(mailboxState.uidValidity),
        uid: first.uid,
        sourceSha256: createHash('sha256').update(first.source).digest('hex'),
        processedFolder: 'Processed',
        unrecognisedFolder: 'Unrecognised',
      },
      incoming,
      AT,
    );

    const run = await runIntake({ db: db.db, mailbox, connection: connection(server) });
    expect(run).toMatchObject({ read: 2, moved: 2, byKind: { AUTO_REPLY: 1, OTHER: 1, UNSUBSCRIBE: 0 } });
    expect(await counts(server)).toEqual({ INBOX: 1, Processed: 2, Unrecognised: 0 });

    const again = await runIntake({ db: db.db, mailbox, connection: connection(server) });
    expect(again).toMatchObject({ read: 0, moved: 0 });
    const rows = await db.db
      .selectFrom('intake_message')
      .select(['kind', 'moved_at'])
      .orderBy('uid')
      .execute();
    expect(rows.map((row) => row.kind)).toEqual(['UNSUBSCRIBE', 'AUTO_REPLY', 'OTHER']);
    // The unknown token still unsubscribed who asked, once.
    expect(await db.db.selectFrom('suppression').select(['reason', 'source']).execute()).toEqual([
      { reason: 'UNSUBSCRIBED', source: 'MAILTO' },
    ]);
    expect((await verifyChain(db.db)).ok).toBe(true);
  });

  it('records a refused login on the mailbox for the owner to see', async () => {
    const { server, db, mailbox } = await setup();
    await expect(
      runIntake({ db: db.db, mailbox, connection: { ...connection(server), password: 'fout' } }),
    ).rejects.toMatchObject({ code: 'INTAKE_IMAP_AUTH_FAILED' });
    const row = await db.db.selectFrom('intake_mailbox').select('last_error').executeTakeFirstOrThrow();
    expect(row.last_error).toContain('login');
  });
});
