import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeedbackMessage } from '../src/index.js';

const fixture = (name: string) => readFile(join(import.meta.dirname, 'fixtures', name));

describe('parseFeedbackMessage', () => {
  it('reads a permanent failure from an RFC 3464 DSN', async () => {
    const report = await parseFeedbackMessage(await fixture('dsn-hard-bounce.eml'));
    expect(report).toMatchObject({
      kind: 'DSN',
      originalMessageId: '<0f4e2a8e-1111-4c1b-9a55-000000000001@bakkerij.nl>',
      recipients: [
        { email: 'piet.nietbestaand@example.org', action: 'failed', status: '5.1.1', permanent: true },
      ],
    });
    if (report.kind === 'DSN') expect(report.recipients[0]?.diagnostic).toContain('User unknown');
  });

  it('reads a delay as not permanent', async () => {
    const report = await parseFeedbackMessage(await fixture('dsn-delayed.eml'));
    expect(report).toMatchObject({
      kind: 'DSN',
      originalMessageId: '<aaaa-2222@bakkerij.nl>',
      recipients: [{ email: 'traag@example.org', action: 'delayed', status: '4.4.1', permanent: false }],
    });
  });

  it('reads who complained from an RFC 5965 ARF report', async () => {
    const report = await parseFeedbackMessage(await fixture('arf-complaint.eml'));
    expect(report).toMatchObject({ kind: 'ARF', feedbackType: 'abuse', recipients: ['klager@example.net'] });
  });

  it('reads a multipart report without a delivery-status part from its bulleted recipient list', async () => {
    const eml = [
      'From: Mail Delivery System <Mail.Delivery.System@mx.example.net>',
      'To: nieuws@bakkerij.example',
      'Subject: Delivery status notification',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Delivery to the following recipients failed permanently:',
      '',
      '   * piet@example.org',
      '',
      'Technical details:',
      'SMTP:RCPT host 192.0.2.8: 553 5.3.0 <piet@example.org>... No such user here',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const report = await parseFeedbackMessage(eml);
    expect(report).toMatchObject({
      kind: 'DSN',
      recipients: [{ email: 'piet@example.org', permanent: true, classification: { verdict: 'HARD' } }],
    });
  });

  it('reads a bounce from a bare "mailer-daemon" that names the recipient and its reason in one line', async () => {
    const eml = [
      'From: mailer-daemon',
      'To: nieuws@bakkerij.example',
      'Subject: There was an error sending your mail',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'We had trouble delivering your message. Full details follow:',
      '',
      'The following recipients returned permanent errors: piet@example.org. Reason: SMTP Server <192.0.2.9> refused to accept your message (DATA), with the following error message: [554 5.4.6 Hop count exceeded - possible mail loop]',
      '',
      '--b2--',
      '',
    ].join('\r\n');
    const report = await parseFeedbackMessage(eml);
    expect(report).toMatchObject({
      kind: 'DSN',
      recipients: [{ email: 'piet@example.org', status: '5.4.6', classification: { verdict: 'SOFT' } }],
    });
  });

  it('reads every failed address of an old Sendmail (V5) transcript, each with its own reason', async () => {
    const eml = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>',
      'To: nieuws@bakkerij.example',
      'Subject: Returned mail: User unknown',
      '',
      '   ----- Transcript of session follows -----',
      'While talking to mail.example.org:',
      '>>> MAIL From:<nieuws@bakkerij.example>',
      '<<< 501 <nieuws@bakkerij.example>... no access from mail server',
      '554 <jan@example.org>... Remote protocol error',
      '554 <piet@example.net>... 550 Host unknown (Authoritative answer from name server)',
      'While talking to smtp.example.edu:',
      '>>> RCPT To:<kees@example.edu>',
      '<<< 550 <kees@example.edu>... User unknown',
      '550 <kees@example.edu>... User unknown',
      '',
      '   ----- Unsent message follows -----',
      'From: nieuws@bakkerij.example',
      'To: jan@example.org',
      'Subject: Nieuws',
      '',
      'Hallo',
      '',
    ].join('\r\n');
    const report = await parseFeedbackMessage(eml);
    expect(
      report.kind === 'DSN' && report.recipients.map((r) => [r.email, r.classification.verdict]),
    ).toEqual([
      ['jan@example.org', 'SENDER_REFUSED'],
      ['piet@example.net', 'HARD'],
      ['kees@example.edu', 'HARD'],
    ]);
  });

  it('reads a bounce that returns another report through the inner report, not the outer addressee', async () => {
    const eml = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@gateway.example>',
      'To: beheer@bakkerij.example',
      'Subject: Returned mail: User unknown',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain',
      '',
      '----- The following addresses had permanent delivery errors -----',
      '',
      '--outer',
      'Content-Type: message/rfc822',
      '',
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example>',
      'To: beheer@bakkerij.example',
      'Subject: Returned mail: User unknown',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain',
      '',
      'The original message could not be delivered.',
      '--inner',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example',
      '',
      'Final-Recipient: RFC822; piet@example.org',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: SMTP; 550 5.1.1 <piet@example.org>... User unknown',
      '--inner--',
      '',
      '--outer--',
      '',
    ].join('\r\n');
    const report = await parseFeedbackMessage(eml);
    expect(report).toMatchObject({
      kind: 'DSN',
      recipients: [{ email: 'piet@example.org', status: '5.1.1', classification: { verdict: 'HARD' } }],
    });
    expect(report.kind === 'DSN' && report.recipients).toHaveLength(1);
  });

  it('refuses an ordinary message with a clear error', async () => {
    await expect(
      parseFeedbackMessage('From: a@b.nl\r\nTo: c@d.nl\r\nSubject: hoi\r\n\r\nGewoon een mail\r\n'),
    ).rejects.toMatchObject({ code: 'FEEDBACK_NOT_A_REPORT' });
  });
});
