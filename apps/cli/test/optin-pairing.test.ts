import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, hash, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson } from '@consent-mailer/optin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER, FEED_TOKEN, startOptinKit, type OptinKit } from './optin-kit.js';

const execFileAsync = promisify(execFile);
const HOUR = 3_600_000;

let kit: OptinKit;

beforeAll(async () => {
  kit = await startOptinKit('cm-optin-pair-');
}, 60_000);

afterAll(async () => {
  await kit.close();
});

describe('optin pair / pull against the running opt-in service', () => {
  it('pairs (key pinned, token outside the database) and pulls a confirmed sign-up as WEB_DOI that classifies ALLOWED_PROVEN (D1)', async () => {
    await kit.signUpAndConfirm('Jan.Jansen@Example.NL', ['nieuwsbrief']);
    await kit.signUpAndConfirm('wacht@example.nl', ['nieuwsbrief'], false);

    const paired = await kit.cli('optin', 'pair', kit.base, '--token', FEED_TOKEN, '--entity', 'bakkerij');
    expect(paired.code, paired.stderr).toBe(0);
    const fingerprint = hash(
      'sha256',
      createPublicKey(kit.service.publicKey).export({ format: 'der', type: 'spki' }),
      'hex',
    );
    expect(paired.stdout).toContain(`Paired with ${kit.base} for sender entity bakkerij`);
    expect(paired.stdout).toContain(fingerprint);
    // signed_up ×2, confirmation_mail_sent ×2, confirmed ×1.
    expect(paired.stdout).toContain(
      '5 new event(s) pulled and verified (1 confirmed sign-up(s), 0 unsubscribe(s), 1 sign-up(s) awaiting confirmation',
    );

    // Pulling again finds nothing new.
    expect((await kit.cliJson('optin', 'pull')).recorded).toBe(0);

    const status = await kit.cliJson('optin', 'status');
    expect(status.service).toMatchObject({
      url: kit.base,
      keyFingerprint: fingerprint,
      lastPulledSeq: 5,
      stale: false,
    });
    expect(status.counts.pendingSignups).toBe(1);
    expect(JSON.stringify(status)).not.toContain(FEED_TOKEN);

    const shown = await kit.cli('contact', 'show', 'jan.jansen@example.nl');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Consent for bakkerij: WEB_DOI');
    expect(shown.stdout).toContain('signupIp: 127.0.0.1');
    expect(shown.stdout).toContain('confirmIp: 127.0.0.1');
    expect(shown.stdout).toContain(`signupUserAgent: ${BROWSER}`);
    expect(shown.stdout).toContain(`confirmUserAgent: ${BROWSER}`);
    expect(shown.stdout).toMatch(/signupAt: \d{4}-\d\d-\d\dT/);
    expect(shown.stdout).toMatch(/confirmedAt: \d{4}-\d\d-\d\dT/);
    expect(shown.stdout).toContain('source: https://bakkerij.example/nieuwsbrief');
    expect(shown.stdout).toContain('Lists: ');
    expect(shown.stdout).not.toContain('Lists: -');

    // The unconfirmed sign-up is no contact.
    expect((await kit.cli('contact', 'show', 'wacht@example.nl')).code).not.toBe(0);

    // The record as stored, judged by the rules for a marketing mailing to the list it signed up to.
    const detail = await kit.cliJson('contact', 'show', 'jan.jansen@example.nl');
    const record = detail.records[0];
    const contactFile = join(kit.dir, 'jan.json');
    const mailingFile = join(kit.dir, 'mailing.json');
    writeFileSync(contactFile, JSON.stringify(record));
    writeFileSync(
      mailingFile,
      JSON.stringify({ id: 'm', senderEntityId: 'bakkerij', listId: detail.lists[0], content: 'MARKETING' }),
    );
    const explained = await kit.cliJson(
      'policy',
      'explain',
      '--contact',
      contactFile,
      '--mailing',
      mailingFile,
    );
    expect(explained.classification).toBe('ALLOWED_PROVEN');
    expect(explained.reasons.map((r: { code: string }) => r.code)).toContain('D1');
  });

  it("sends with the service's unsubscribe link first; a one-click POST there suppresses the address at the next pull", async () => {
    const mailingId = await kit.newMailing('December');
    const sent = await kit.cli('mailing', 'send', mailingId);
    expect(sent.code, sent.stderr).toBe(0);
    const message = kit.desktopSmtp.receivedBy('jan.jansen@example.nl')[0];
    expect(message).toBeDefined();
    const raw = (message?.raw.toString('utf8') ?? '').replace(/\r\n[ \t]+/g, ' ');
    const header = /^List-Unsubscribe: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
    const oneClick = new RegExp(
      `^<(${kit.base.replaceAll('.', '\\.')}/unsubscribe\\?token=[A-Za-z0-9_-]+)>, <mailto:`,
    ).exec(header);
    expect(oneClick, header).not.toBeNull();
    expect(/^List-Unsubscribe-Post: (.*)$/im.exec(raw)?.[1]?.trim()).toBe('List-Unsubscribe=One-Click');
    expect(message?.parsed.text ?? '').toContain(`${kit.base}/unsubscribe?token=`);

    // The mailbox provider's one-click POST (RFC 8058), from curl: 200, no redirect.
    const { stdout } = await execFileAsync('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      '-d',
      'List-Unsubscribe=One-Click',
      oneClick?.[1] ?? '',
    ]);
    expect(stdout).toBe('200');

    const pulled = await kit.cliJson('optin', 'pull');
    expect(pulled).toMatchObject({ recorded: 1, suppressed: 1 });
    const shown = await kit.cli('contact', 'show', 'JAN.JANSEN@example.nl');
    expect(shown.stdout).toMatch(/Suppressed: UNSUBSCRIBED \(OPTIN_SERVICE, /);
    // The next mailing leaves the address out.
    const next = await kit.cliJson('mailing', 'assess', await kit.newMailing('Januari'));
    expect(next.counts.included).toBe(0);
  });

  it('refuses a page with a changed byte or a foreign signature and writes nothing; the genuine page then goes in', async () => {
    await kit.signUpAndConfirm('piet@example.nl', ['nieuwsbrief', 'aanbiedingen']);
    const before = await kit.cliJson('optin', 'status');
    const confirmed = await kit.service.db
      .selectFrom('feed_event')
      .selectAll()
      .where('type', '=', 'confirmed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();

    // One byte of the address changed in the feed (on the way, or in the service's database).
    await kit.service.db
      .updateTable('feed_event')
      .set({ data: confirmed.data.replace('piet@example.nl', 'piat@example.nl') })
      .where('seq', '=', confirmed.seq)
      .execute();
    const flipped = await kit.cli('optin', 'pull');
    expect(flipped.code).not.toBe(0);
    expect(flipped.stderr).toContain('OPTIN_FEED_REFUSED');
    expect(flipped.stderr).toContain('does not carry a valid signature of the pinned key');

    // Signed, but by another key than the pinned one.
    const foreign = generateKeyPairSync('ed25519').privateKey;
    const body = {
      id: confirmed.id,
      type: confirmed.type,
      at: confirmed.at,
      data: JSON.parse(confirmed.data) as unknown,
    };
    await kit.service.db
      .updateTable('feed_event')
      .set({
        data: confirmed.data,
        signature: sign(null, Buffer.from(canonicalJson(body)), foreign).toString('base64'),
      })
      .where('seq', '=', confirmed.seq)
      .execute();
    const nl = await kit.cli('optin', 'pull', '--lang', 'nl');
    expect(nl.code).not.toBe(0);
    expect(nl.stderr).toContain('geen geldige handtekening van de vastgelegde sleutel');

    // Nothing of either page was written: no contact, the pull position unchanged, the error noted.
    expect((await kit.cli('contact', 'show', 'piet@example.nl')).code).not.toBe(0);
    expect((await kit.cli('contact', 'show', 'piat@example.nl')).code).not.toBe(0);
    const after = await kit.cliJson('optin', 'status');
    expect(after.service.lastPulledSeq).toBe(before.service.lastPulledSeq);
    expect(after.service.lastPullError).toContain('OPTIN_FEED_REFUSED');
    const verified = await kit.cli('audit', 'verify');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    await kit.service.db
      .updateTable('feed_event')
      .set({ signature: confirmed.signature })
      .where('seq', '=', confirmed.seq)
      .execute();
    const good = await kit.cliJson('optin', 'pull');
    expect(good).toMatchObject({ recorded: 3, confirmed: 1 });
    const piet = await kit.cliJson('contact', 'show', 'piet@example.nl');
    expect(piet.lists).toHaveLength(2);
    expect(piet.records[0]).toMatchObject({ method: 'WEB_DOI', signupIp: '127.0.0.1' });
  });

  it('refuses to send when the last good pull is more than 24 hours old', async () => {
    await kit.service.close();

    // Unreachable for an hour: the good pull of an hour ago still counts, so the send goes ahead.
    kit.cliOffset = HOUR;
    const early = await kit.cli('mailing', 'send', await kit.newMailing('Februari'));
    expect(early.code, early.stderr).toBe(0);
    expect(kit.desktopSmtp.receivedBy('piet@example.nl')).toHaveLength(1);

    // A day and an hour later, still unreachable: nothing is sent.
    const mailingId = await kit.newMailing('Maart');
    const sentBefore = kit.desktopSmtp.messages.length;
    kit.cliOffset = 25 * HOUR;
    const refused = await kit.cli('mailing', 'send', mailingId);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('OPTIN_PULL_STALE');
    expect(refused.stderr).toContain('more than 24 hours ago');
    expect(kit.desktopSmtp.messages.length).toBe(sentBefore);
    const status = await kit.cli('optin', 'status');
    expect(status.stdout).toContain('WARNING: not pulled for more than 24 hours');
    expect(status.stdout).toContain('OPTIN_UNREACHABLE');
  });

  it('unpairs: what was pulled stays, sending no longer waits for the service, links go back to mailto', async () => {
    const unpaired = await kit.cli('optin', 'unpair', '--lang', 'nl');
    expect(unpaired.code, unpaired.stderr).toBe(0);
    expect(unpaired.stdout).toContain(`Ontkoppeld van ${kit.base}`);
    expect((await kit.cli('optin', 'status')).stdout).toContain('Not paired with an opt-in service');
    const sent = await kit.cli('mailing', 'send', await kit.newMailing('April'));
    expect(sent.code, sent.stderr).toBe(0);
    const last = kit.desktopSmtp.receivedBy('piet@example.nl').at(-1);
    const raw = (last?.raw.toString('utf8') ?? '').replace(/\r\n[ \t]+/g, ' ');
    expect(/^List-Unsubscribe: (.*)$/im.exec(raw)?.[1]?.trim()).toMatch(
      /^<mailto:info@bakkerij\.example\?subject=/,
    );
    // The contacts and the suppression the service brought stay.
    expect((await kit.cli('contact', 'show', 'jan.jansen@example.nl')).stdout).toContain(
      'UNSUBSCRIBED (OPTIN_SERVICE',
    );
  });
});
