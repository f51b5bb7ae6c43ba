import { startDovecot, type DovecotServer } from '@consent-mailer/intake/testing';
import { addressHash, verifyChain } from '@consent-mailer/store';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { doubleOptInConsent, rawWrite } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

let fx: SendingFixture | undefined;
let dovecot: DovecotServer | undefined;
afterEach(async () => {
  await fx?.close();
  await dovecot?.stop();
  fx = undefined;
  dovecot = undefined;
});

const MAILING = {
  name: 'December',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  smtpProfile: 'main',
  subject: 'Kerstbrood voor {{firstName|u}}',
  html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
};

const headersOf = (raw: Buffer) => raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';

function dsn(rcpt: string, status: string, diagnostic: string, original: Buffer): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mail.bakkerij.nl>',
    'To: nieuws@bakkerij.nl',
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <bounce-${rcpt}@mail.bakkerij.nl>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.bakkerij.nl',
    '',
    `Final-Recipient: rfc822; ${rcpt}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    headersOf(original),
    '',
    '--B--',
    '',
  ].join('\r\n');
}

function redactedComplaint(original: Buffer): string {
  const copy = original.toString('utf8').replace(/^To: .*$/m, 'To: redacted@example.nl');
  return [
    'From: <feedback@arf.mail.example.net>',
    'To: <abuse@bakkerij.nl>',
    'Subject: Complaint',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="A"',
    '',
    '--A',
    'Content-Type: text/plain',
    '',
    'This is an email abuse report.',
    '',
    '--A',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'Version: 1',
    'User-Agent: Example-FBL/1.0',
    '',
    '--A',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    copy,
    '--A--',
    '',
  ].join('\r\n');
}

const plain = (from: string, subject: string, body: string, extra: string[] = []) =>
  [`From: ${from}`, 'To: info@bakkerij.nl', `Subject: ${subject}`, ...extra, '', body, ''].join('\r\n');

async function imap(server: DovecotServer): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: 'info', pass: 'geheim' },
    logger: false,
  });
  await client.connect();
  return client;
}

async function folderCounts(server: DovecotServer): Promise<Record<string, number>> {
  const client = await imap(server);
  try {
    const counts: Record<string, number> = {};
    for (const entry of await client.list()) {
      const status = await client.status(entry.path, { messages: true });
      counts[entry.path] = status === false ? 0 : (status.messages ?? 0);
    }
    return counts;
  } finally {
    await client.logout();
  }
}

describe('mailbox intake against a real Dovecot', () => {
  it('reads bounces, complaints, unsubscribes and replies into the ledger between two batches of a running mailing', async () => {
    dovecot = await startDovecot({ users: { info: 'geheim' } });
    const hooks: { onRcpt?: () => void } = {};
    fx = await createSendingFixture({
      batchSize: 2,
      profile: { connections: 1 },
      // Slow enough that a pause asked for at the first recipient lands at the next batch boundary.
      server: { faults: { dataDelayMs: 100, onRcpt: () => void hooks.onRcpt?.() } },
    });
    const contacts = Array.from({ length: 10 }, (_, i) => `k${i + 1}@example.nl`);
    await fx.seed(contacts.map((email) => ({ email, consent: doubleOptInConsent('bakkerij') })));
    const f = fx;
    // Last month's mailing went to everyone: what comes back refers to its messages.
    const previous = await f.caller.mailings.create({ ...MAILING, name: 'November' });
    await f.ctx.jobs.wait((await f.caller.mailings.send({ id: previous.id })).jobId);
    const sent = f.server.messages.map((m) => ({ to: m.to[0] ?? '', raw: m.raw }));
    expect(sent).toHaveLength(10);
    const [hard, complained, soft, refused] = sent;
    if (!hard || !complained || !soft || !refused) throw new Error('four messages expected');

    // This month's mailing is running: a pause asked for at its first recipient lands at the next batch
    // boundary (the worker has claimed three batches of two by then; a boundary is also where new
    // suppressions are read), and the intake runs in between.
    const mailing = await f.caller.mailings.create(MAILING);
    let paused: Promise<unknown> | undefined;
    hooks.onRcpt = () => {
      paused ??= f.caller.mailings.pause({ id: mailing.id });
    };
    await f.ctx.jobs.wait((await f.caller.mailings.send({ id: mailing.id })).jobId);
    await paused;
    const firstBatch = f.server.messages.slice(10).map((m) => m.to[0] ?? '');
    const unsent = contacts.filter((email) => !firstBatch.includes(email));
    expect(unsent.length).toBeGreaterThanOrEqual(4);
    const [autoReplier, unsure, mailtoUnsubscriber, objector] = unsent.slice(-4);
    if (!autoReplier || !unsure || !mailtoUnsubscriber || !objector) throw new Error('four unsent expected');
    const token = (
      await f.store.db
        .selectFrom('delivery')
        .select('unsubscribe_token')
        .where('address_hash', '=', addressHash(mailtoUnsubscriber))
        .where('mailing_id', '=', previous.id)
        .executeTakeFirstOrThrow()
    ).unsubscribe_token;

    await f.caller.intake.add({
      name: 'info',
      host: dovecot.host,
      port: dovecot.port,
      security: 'NONE',
      user: 'info',
      password: 'geheim',
    });
    const seeded = [
      dsn(
        hard.to,
        '5.1.1',
        '550 5.1.1 <' + hard.to + '>: Recipient address rejected: User unknown',
        hard.raw,
      ),
      redactedComplaint(complained.raw),
      dsn(soft.to, '5.2.2', '552 5.2.2 Mailbox full', soft.raw),
      dsn(
        refused.to,
        '5.7.26',
        "550 5.7.26 Unauthenticated email from bakkerij.nl is not accepted due to domain's DMARC policy",
        refused.raw,
      ),
      plain(
        mailtoUnsubscriber,
        `unsubscribe ${token ?? ''}`,
        'This message was sent by the unsubscribe button.',
      ),
      plain(
        objector,
        'Re: Kerstbrood',
        'Graag afmelden voor de nieuwsbrief.\r\n\r\nOp 28 nov. schreef Bakkerij:\r\n> Beste klant',
      ),
      plain(unsure, 'Re: Kerstbrood', 'Lekker brood! Maar hoe kan ik me afmelden voor de mail over taarten?'),
      plain(autoReplier, 'Automatisch antwoord: Kerstbrood', 'Ik ben afwezig tot maandag.', [
        'Auto-Submitted: auto-replied',
      ]),
      plain('marie@example.org', 'Bestelling zaterdag', 'Kan ik een appeltaart bestellen?'),
      plain('MAILER-DAEMON@mx.example.org', 'Undelivered Mail', 'Something went wrong.'),
    ];
    const client = await imap(dovecot);
    for (const message of seeded) await client.append('INBOX', message);
    await client.logout();

    const [result] = await f.caller.intake.run({});
    expect(result).toMatchObject({
      read: 10,
      alreadyRead: 0,
      byKind: {
        DSN: 3,
        COMPLAINT: 1,
        UNSUBSCRIBE: 1,
        STOP_REPLY: 2,
        AUTO_REPLY: 1,
        OTHER: 1,
        UNRECOGNISED: 1,
      },
    });

    const reasons = async (email: string) =>
      (
        await f.store.db
          .selectFrom('suppression')
          .select('reason')
          .where('address_hash', '=', addressHash(email))
          .execute()
      ).map((row) => row.reason);
    expect(await reasons(hard.to)).toEqual(['HARD_BOUNCE']);
    // The redacted complaint is matched by the returned message's own headers, never "redacted@…".
    expect(await reasons(complained.to)).toEqual(['COMPLAINT']);
    expect(await reasons('redacted@example.nl')).toEqual([]);
    expect(await reasons(soft.to)).toEqual([]);
    expect(await reasons(refused.to)).toEqual([]);
    expect(await reasons(mailtoUnsubscriber)).toEqual(['UNSUBSCRIBED']);
    expect(await reasons(objector)).toEqual(['OBJECTED']);
    expect(await reasons(unsure)).toEqual([]);
    expect(await reasons(autoReplier)).toEqual([]);

    const alerts = await f.caller.intake.alerts({ mailingId: previous.id });
    expect(alerts).toMatchObject([{ category: 'AUTHENTICATION', status: '5.7.26', source: 'INTAKE' }]);
    const review = await f.caller.intake.arrivals({ needsReview: true });
    expect(review.messages).toHaveLength(1);
    const perMailing = await f.caller.intake.arrivals({ mailingId: previous.id });
    expect(perMailing.counts).toMatchObject({ DSN: 3, COMPLAINT: 1, UNSUBSCRIBE: 1 });

    // Nothing deleted: every message is in INBOX (left alone or awaiting the owner), Processed or Unrecognised.
    expect(await folderCounts(dovecot)).toEqual({ INBOX: 2, Processed: 7, Unrecognised: 1 });

    // A restart reads nothing twice; neither does a lost checkpoint (as after a UIDVALIDITY change).
    const [again] = await f.caller.intake.run({});
    expect(again).toMatchObject({ read: 0, alreadyRead: 0 });
    await rawWrite(f.store, f.store.db.deleteFrom('intake_checkpoint'));
    const [afterLoss] = await f.caller.intake.run({});
    expect(afterLoss).toMatchObject({ read: 0, alreadyRead: 2 });
    expect(await f.store.db.selectFrom('intake_message').select('id').execute()).toHaveLength(10);
    expect(await folderCounts(dovecot)).toEqual({ INBOX: 2, Processed: 7, Unrecognised: 1 });

    // The next batches of the running mailing skip who unsubscribed or objected; nobody gets it twice.
    const resumed = await f.caller.mailings.resume({ id: mailing.id });
    await f.ctx.jobs.wait(resumed.jobId);
    // (once each from last month's mailing; the unsubscribed and the objector not from this one)
    expect(f.server.receivedBy(mailtoUnsubscriber)).toHaveLength(1);
    expect(f.server.receivedBy(objector)).toHaveLength(1);
    expect(f.server.receivedBy(unsure)).toHaveLength(2);
    expect(f.server.receivedBy(autoReplier)).toHaveLength(2);
    expect((await f.caller.mailings.status({ id: mailing.id })).mailing.status).toBe('SENT');
    for (const email of contacts) expect(f.server.receivedBy(email).length).toBeLessThanOrEqual(2);

    // The owner confirms the unsure reply: now an objection too, in the chain.
    const pending = review.messages[0];
    if (!pending) throw new Error('a reply awaiting review was expected');
    await f.caller.intake.review({ id: pending.id, decision: 'confirm' });
    expect(await reasons(unsure)).toEqual(['OBJECTED']);
    expect((await verifyChain(f.store.db)).ok).toBe(true);
  });

  it('refuses a wrong password with a clear error and keeps it out of the database', async () => {
    dovecot = await startDovecot({ users: { info: 'geheim' } });
    fx = await createSendingFixture();
    await expect(
      fx.caller.intake.add({
        name: 'info',
        host: dovecot.host,
        port: dovecot.port,
        security: 'NONE',
        user: 'info',
        password: 'fout',
      }),
    ).rejects.toMatchObject({ cause: { code: 'INTAKE_IMAP_AUTH_FAILED' } });
    await fx.caller.intake.add({
      name: 'info',
      host: dovecot.host,
      port: dovecot.port,
      security: 'NONE',
      user: 'info',
      password: 'geheim',
    });
    const dump = JSON.stringify(await fx.store.db.selectFrom('intake_mailbox').selectAll().execute());
    expect(dump).not.toContain('geheim');
    expect(await fx.ctx.secrets.get('imap:info')).toBe('geheim');
    await expect(
      fx.caller.intake.add({
        name: 'remote',
        host: 'imap.example.nl',
        port: 143,
        security: 'NONE',
        user: 'x',
        password: 'y',
        skipTest: true,
      }),
    ).rejects.toMatchObject({ cause: { code: 'INTAKE_IMAP_INSECURE' } });
  });
});
