import { verifyChain } from '@consent-mailer/store';
import { afterEach, describe, expect, it } from 'vitest';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const MAILING = {
  name: 'December',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  smtpProfile: 'main',
  subject: 'Kerstbrood voor {{firstName|u}}',
  html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
};

async function sendAndWait(f: SendingFixture, id: string, mode: 'send' | 'resume' = 'send') {
  const start = await f.caller.mailings[mode]({ id });
  const job = await f.ctx.jobs.wait(start.jobId);
  return {
    start,
    job,
    result: job.result as { stoppedBecause: string; sent: number; error?: { code: string } },
  };
}

function rawHeader(
  message: { parsed: { headerLines: readonly { key: string; line: string }[] } },
  name: string,
): string | undefined {
  const line = message.parsed.headerLines.find((h) => h.key === name)?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

describe('sending a mailing through the api', () => {
  it('sends only to who may receive it, with merge fields, footer and unsubscribe headers', async () => {
    fx = await createSendingFixture();
    await fx.seed([
      { email: 'jan@example.nl', firstName: 'Jan', consent: doubleOptInConsent('bakkerij') },
      { email: 'piet@example.nl', firstName: 'Piet', consent: doubleOptInConsent('bakkerij') },
      {
        email: 'gekocht@example.nl',
        consent: { method: 'THIRD_PARTY', senderEntityId: 'bakkerij', scopeLists: 'ALL' },
      },
      {
        email: 'telefoon@example.nl',
        consent: {
          method: 'PHONE',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
          signupAt: '2026-05-01T10:00:00Z',
          phoneAgent: 'Els',
          consentTextVersionId: 'script-1',
        },
      },
      { email: 'afgemeld@example.nl', consent: doubleOptInConsent('bakkerij') },
    ]);
    await fx.caller.suppressions.unsubscribe({ email: 'afgemeld@example.nl', channel: 'PHONE' });
    const mailing = await fx.caller.mailings.create(MAILING);

    const assessment = await fx.caller.mailings.assess({ id: mailing.id, lang: 'en' });
    expect(assessment.counts).toMatchObject({ total: 5, included: 2, excluded: 2, needsAcknowledgement: 1 });
    expect(assessment.excluded.map((r) => r.email).sort()).toEqual([
      'afgemeld@example.nl',
      'gekocht@example.nl',
    ]);
    expect(assessment.needsAcknowledgement[0]?.email).toBe('telefoon@example.nl');

    const { start, result } = await sendAndWait(fx, mailing.id);
    expect(start.queued).toBe(2);
    expect(result).toMatchObject({ stoppedBecause: 'FINISHED', sent: 2 });
    expect(fx.server.messages.flatMap((m) => m.to).sort()).toEqual(['jan@example.nl', 'piet@example.nl']);
    for (const blocked of ['gekocht@example.nl', 'telefoon@example.nl', 'afgemeld@example.nl']) {
      expect(fx.server.receivedBy(blocked)).toHaveLength(0);
    }
    const jan = fx.server.receivedBy('jan@example.nl')[0];
    expect(jan?.parsed.subject).toBe('Kerstbrood voor Jan');
    expect(jan?.parsed.html).toContain('Beste Jan,');
    expect(jan?.parsed.text).toContain('KvK: 12345678');
    expect(jan?.parsed.text).toContain('uw e-mailadres heeft bevestigd');
    expect(jan?.parsed.text).toContain('bezwaar te maken');
    expect(jan?.parsed.messageId).toMatch(/@bakkerij\.nl>$/);
    expect(rawHeader(jan as never, 'list-unsubscribe')).toMatch(
      /^<mailto:info@bakkerij\.nl\?subject=unsubscribe%20[A-Za-z0-9_-]{22}>$/,
    );

    const status = await fx.caller.mailings.status({ id: mailing.id });
    expect(status.mailing).toMatchObject({ status: 'SENT', deliveries: { SENT: 2, total: 2, UNCERTAIN: 0 } });
    expect(status.assessment?.included).toBe(2);
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });

  it('sends nothing for a BLOCKED mailing and says why', async () => {
    fx = await createSendingFixture({ profile: { spfDeclared: false, dmarcDeclared: false } });
    await fx.seed([{ email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') }]);
    const mailing = await fx.caller.mailings.create(MAILING);
    const error = await fx.caller.mailings.send({ id: mailing.id }).catch((e: unknown) => e);
    expect(error).toMatchObject({ cause: { code: 'MAILING_BLOCKED' } });
    expect(String((error as Error).message)).toContain('[M7]');
    const status = await fx.caller.mailings.status({ id: mailing.id });
    expect(status.mailing.deliveries.total).toBe(0);
    expect(fx.server.messages).toHaveLength(0);
  });

  it('stops on a refused password with a clear error and resumes once it is fixed', async () => {
    fx = await createSendingFixture({
      server: { auth: { user: 'nieuws', password: 'juist' } },
      password: 'fout',
    });
    await fx.seed(
      [1, 2, 3].map((i) => ({ email: `k${i}@example.nl`, consent: doubleOptInConsent('bakkerij') })),
    );
    const mailing = await fx.caller.mailings.create(MAILING);
    const { result } = await sendAndWait(fx, mailing.id);
    expect(result.stoppedBecause).toBe('AUTH_FAILED');
    const stopped = await fx.caller.mailings.status({ id: mailing.id });
    expect(stopped.mailing).toMatchObject({
      status: 'PAUSED',
      lastError: { code: 'SMTP_AUTH_FAILED' },
      deliveries: { QUEUED: 3 },
    });
    expect(stopped.mailing.lastError?.message).toContain('535');
    expect(fx.server.messages).toHaveLength(0);

    await fx.ctx.secrets.set('smtp:main', 'juist');
    const resumed = await sendAndWait(fx, mailing.id, 'resume');
    expect(resumed.result).toMatchObject({ stoppedBecause: 'FINISHED', sent: 3 });
    expect(fx.server.messages).toHaveLength(3);
    expect((await fx.caller.mailings.status({ id: mailing.id })).mailing.lastError).toBeNull();
  });

  it('suppresses a 550 5.1.1 hard bounce so the next mailing leaves it out', async () => {
    fx = await createSendingFixture({
      server: {
        faults: {
          onRcpt: (a) => (a === 'weg@example.nl' ? { code: 550, message: '5.1.1 User unknown' } : undefined),
        },
      },
    });
    // 1 bounce in 25 (4%) keeps the next mailing possible (M12 blocks above 5%).
    await fx.seed([
      { email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') },
      { email: 'weg@example.nl', consent: doubleOptInConsent('bakkerij') },
      ...Array.from({ length: 23 }, (_, i) => ({
        email: `k${i}@example.nl`,
        consent: doubleOptInConsent('bakkerij'),
      })),
    ]);
    const first = await fx.caller.mailings.create(MAILING);
    await sendAndWait(fx, first.id);
    expect((await fx.caller.mailings.status({ id: first.id })).mailing.deliveries).toMatchObject({
      SENT: 24,
      FAILED: 1,
    });
    const suppressed = await fx.caller.suppressions.list({});
    expect(suppressed.map((s) => s.reason)).toEqual(['HARD_BOUNCE']);

    const second = await fx.caller.mailings.create({ ...MAILING, name: 'Januari' });
    const assessment = await fx.caller.mailings.assess({ id: second.id });
    expect(assessment.excluded.map((r) => [r.email, r.reasons.map((x) => x.code)])).toEqual([
      ['weg@example.nl', expect.arrayContaining(['G3'])],
    ]);
    expect(assessment.reasons.map((r) => [r.code, r.classification])).toContainEqual(['M12', 'ALLOWED_GREY']);
    // The second mailing is not the first for Jan: no right-to-object sentence this time.
    await sendAndWait(fx, second.id);
    const janMessages = fx.server.receivedBy('jan@example.nl');
    expect(janMessages).toHaveLength(2);
    expect(janMessages[1]?.parsed.text).not.toContain('bezwaar te maken');
    expect(fx.server.attempts.get('weg@example.nl')).toBe(1);
  });

  it('honours an unsubscribe recorded during the send from the next batch on', async () => {
    fx = await createSendingFixture({
      batchSize: 3,
      profile: { connections: 1 },
      server: { faults: { dataDelayMs: 20 } },
    });
    await fx.seed(
      Array.from({ length: 9 }, (_, i) => ({
        email: `k${i + 1}@example.nl`,
        consent: doubleOptInConsent('bakkerij'),
      })),
    );
    const mailing = await fx.caller.mailings.create(MAILING);
    const f = fx;
    let recorded: Promise<unknown> | undefined;
    f.server.onMessage = (message) => {
      if (message.to.includes('k1@example.nl'))
        recorded = f.caller.suppressions.unsubscribe({ email: 'k8@example.nl', channel: 'REPLY' });
    };
    await sendAndWait(f, mailing.id);
    await recorded;
    expect(f.server.receivedBy('k8@example.nl')).toHaveLength(0);
    expect(f.server.messages).toHaveLength(8);
    expect((await f.caller.mailings.status({ id: mailing.id })).mailing.deliveries).toMatchObject({
      SENT: 8,
      SKIPPED: 1,
    });
  });

  it('pauses, resumes and cancels', async () => {
    fx = await createSendingFixture({
      batchSize: 2,
      profile: { connections: 1 },
      server: { faults: { dataDelayMs: 30 } },
    });
    await fx.seed(
      Array.from({ length: 8 }, (_, i) => ({
        email: `k${i + 1}@example.nl`,
        consent: doubleOptInConsent('bakkerij'),
      })),
    );
    const mailing = await fx.caller.mailings.create(MAILING);
    const f = fx;
    let paused: Promise<unknown> | undefined;
    f.server.onMessage = () => {
      if (f.server.messages.length === 1) paused = f.caller.mailings.pause({ id: mailing.id });
    };
    const first = await sendAndWait(f, mailing.id);
    await paused;
    expect(first.result.stoppedBecause).toBe('PAUSED');
    const afterPause = f.server.messages.length;
    expect(afterPause).toBeLessThan(8);
    await expect(f.caller.mailings.send({ id: mailing.id })).rejects.toMatchObject({
      cause: { code: 'MAILING_PAUSED' },
    });

    f.server.onMessage = () => {
      if (f.server.messages.length === afterPause + 1) paused = f.caller.mailings.cancel({ id: mailing.id });
    };
    const second = await sendAndWait(f, mailing.id, 'resume');
    await paused;
    expect(second.result.stoppedBecause).toBe('CANCELLED');
    const status = await f.caller.mailings.status({ id: mailing.id });
    expect(status.mailing.status).toBe('CANCELLED');
    expect(status.mailing.deliveries.SENT).toBe(f.server.messages.length);
    expect(status.mailing.deliveries.CANCELLED).toBe(8 - f.server.messages.length);
    for (const m of f.server.messages) expect(f.server.receivedBy(m.to[0] ?? '')).toHaveLength(1);
  });
});

describe('TRANSFER_RISK recipients and the signed acknowledgement', () => {
  it(
    'holds them back until an acknowledgement covers exactly this set, then sends to them too',
    { timeout: 60_000 },
    async () => {
      fx = await createSendingFixture();
      await fx.seed([
        { email: 'jan@example.nl', firstName: 'Jan', consent: doubleOptInConsent('bakkerij') },
        {
          email: 'telefoon@example.nl',
          consent: {
            method: 'PHONE',
            senderEntityId: 'bakkerij',
            scopeLists: 'ALL',
            signupAt: '2026-05-01T10:00:00Z',
            phoneAgent: 'Els',
            consentTextVersionId: 'script-1',
          },
        },
      ]);
      const mailing = await fx.caller.mailings.create(MAILING);
      const before = await fx.caller.mailings.assess({ id: mailing.id });
      expect(before).toMatchObject({
        acknowledgementStatus: 'MISSING',
        counts: { included: 1, needsAcknowledgement: 1 },
      });

      const { ACKNOWLEDGEMENT_STATEMENT_IDS } = await import('@consent-mailer/policy');
      await fx.caller.acknowledgements.sign({
        mailingId: mailing.id,
        name: 'Jan de Vries',
        role: 'Eigenaar',
        lang: 'nl',
        confirmedStatementIds: [...ACKNOWLEDGEMENT_STATEMENT_IDS],
        expectedRecipientSetHash: before.recipientSetHash,
      });
      const after = await fx.caller.mailings.assess({ id: mailing.id });
      expect(after).toMatchObject({
        acknowledgementStatus: 'VALID',
        counts: { included: 2, needsAcknowledgement: 0 },
      });

      const { start } = await sendAndWait(fx, mailing.id);
      expect(start.queued).toBe(2);
      expect(fx.server.messages.flatMap((m) => m.to).sort()).toEqual([
        'jan@example.nl',
        'telefoon@example.nl',
      ]);
      const rows = await fx.store.db
        .selectFrom('delivery')
        .select(['email', 'classification', 'acknowledgement_id'])
        .orderBy('email')
        .execute();
      expect(rows[0]).toMatchObject({ email: 'jan@example.nl', acknowledgement_id: null });
      expect(rows[1]).toMatchObject({
        email: 'telefoon@example.nl',
        classification: 'TRANSFER_RISK',
        acknowledgement_id: expect.any(String),
      });
      // The phone reason line is in the footer of the covered recipient's message.
      expect(fx.server.receivedBy('telefoon@example.nl')[0]?.parsed.text).toContain('telefonisch');
    },
  );
});

describe('coming back', () => {
  it(
    'records an unsubscribe by the token of a sent message and imports a bounce report for it',
    { timeout: 60_000 },
    async () => {
      fx = await createSendingFixture();
      await fx.seed([
        { email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') },
        { email: 'piet@example.nl', consent: doubleOptInConsent('bakkerij') },
      ]);
      const mailing = await fx.caller.mailings.create(MAILING);
      await sendAndWait(fx, mailing.id);
      const janMessage = fx.server.receivedBy('jan@example.nl')[0];
      const token = /unsubscribe%20([A-Za-z0-9_-]{22})/.exec(janMessage?.parsed.text ?? '')?.[1];
      expect(token).toBeDefined();
      // As it arrives in the mailbox: the subject of the mailto link.
      const unsubscribed = await fx.caller.suppressions.unsubscribe({
        token: `Re: unsubscribe ${token ?? ''}`,
        channel: 'REPLY',
      });
      expect(unsubscribed).toMatchObject({
        email: 'jan@example.nl',
        reason: 'UNSUBSCRIBED',
        mailingId: mailing.id,
      });
      await expect(
        fx.caller.suppressions.unsubscribe({ token: 'unknownTOKEN12345678901' }),
      ).rejects.toMatchObject({ cause: { code: 'UNSUBSCRIBE_TOKEN_UNKNOWN' } });

      const pietMessageId = fx.server.receivedBy('piet@example.nl')[0]?.parsed.messageId ?? '';
      const dsn = [
        'From: MAILER-DAEMON@mx.example.nl',
        'To: nieuws@bakkerij.nl',
        'Subject: Undelivered',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Failed.',
        '',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.nl',
        '',
        'Final-Recipient: rfc822; piet@example.nl',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
        '',
        '--b',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${pietMessageId}`,
        'To: piet@example.nl',
        '',
        '--b--',
        '',
      ].join('\r\n');
      const imported = await fx.caller.suppressions.importFeedback({ eml: dsn });
      expect(imported).toMatchObject({
        kind: 'DSN',
        bounces: [
          {
            email: 'piet@example.nl',
            kind: 'HARD',
            status: '5.1.1',
            suppressed: true,
            mailingId: mailing.id,
          },
        ],
      });
      const bounce = await fx.store.db.selectFrom('bounce').selectAll().executeTakeFirstOrThrow();
      expect(bounce).toMatchObject({ mailing_id: mailing.id, kind: 'HARD', status: '5.1.1' });
      expect((await fx.caller.suppressions.list({})).map((s) => s.reason).sort()).toEqual([
        'HARD_BOUNCE',
        'UNSUBSCRIBED',
      ]);
    },
  );

  it(
    'turns deliveries a dead worker left in flight into uncertain ones and lets the user decide',
    { timeout: 60_000 },
    async () => {
      fx = await createSendingFixture();
      await fx.seed(
        [1, 2, 3, 4].map((i) => ({ email: `k${i}@example.nl`, consent: doubleOptInConsent('bakkerij') })),
      );
      const mailing = await fx.caller.mailings.create(MAILING);
      // Queue through the real gate, then play a worker that died after claiming 3 and handing 1 to SMTP.
      const { runMailingGate } = await import('../src/sending/mailing-gate.js');
      const { queueDeliveries, claimDeliveries, markDeliveriesHandedOver, setMailingStatus } =
        await import('@consent-mailer/store');
      const gate = await runMailingGate(fx.ctx, mailing.id);
      await queueDeliveries(fx.store.db, {
        mailingId: mailing.id,
        at: new Date().toISOString(),
        recipients: gate.assessment.included.map((v, i) => ({
          contactId: gate.contactIds[v.index] ?? 0,
          email: v.email,
          classification: v.classification,
          method: v.method,
          firstMailing: true,
          unsubscribeToken: `deadworkertoken${i}xx`,
        })),
      });
      await setMailingStatus(fx.store.db, mailing.id, 'SENDING', new Date().toISOString());
      const claimed = await claimDeliveries(fx.store.db, {
        mailingId: mailing.id,
        workerId: 'dead-worker',
        limit: 3,
        now: new Date().toISOString(),
      });
      await markDeliveriesHandedOver(
        fx.store.db,
        [{ id: claimed.deliveries[0]?.id ?? 0, messageId: '<dead@bakkerij.nl>' }],
        new Date().toISOString(),
      );

      const { start, result } = await sendAndWait(fx, mailing.id);
      expect(start.recovered).toEqual({ requeued: 2, uncertain: 1 });
      expect(result.sent).toBe(3);
      const status = await fx.caller.mailings.status({ id: mailing.id });
      expect(status.mailing).toMatchObject({
        status: 'PAUSED',
        lastError: { code: 'MAILING_UNCERTAIN_DELIVERIES' },
        deliveries: { SENT: 3, UNCERTAIN: 1 },
      });
      expect(status.uncertain).toEqual([
        expect.objectContaining({ email: 'k1@example.nl', messageId: '<dead@bakkerij.nl>' }),
      ]);
      expect(fx.server.receivedBy('k1@example.nl')).toHaveLength(0);

      // The user knows it never went out: resend it.
      expect(await fx.caller.mailings.resolveUncertain({ id: mailing.id, decision: 'RESEND' })).toEqual({
        resolved: 1,
      });
      const resumed = await sendAndWait(fx, mailing.id, 'resume');
      expect(resumed.result).toMatchObject({ stoppedBecause: 'FINISHED', sent: 1 });
      expect(fx.server.receivedBy('k1@example.nl')).toHaveLength(1);
      expect((await fx.caller.mailings.status({ id: mailing.id })).mailing.status).toBe('SENT');
    },
  );
});
