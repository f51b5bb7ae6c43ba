import { describe, expect, it } from 'vitest';
import { dsnRecipientGroups } from '../src/feedback-fields.js';

const recipients = (text: string) =>
  dsnRecipientGroups(text).map((group) => ({
    to: group.get('final-recipient')?.[0],
    status: group.get('status')?.[0],
    diagnostic: group.get('diagnostic-code')?.[0],
  }));

describe('the per-recipient groups of a delivery-status part', () => {
  it('keeps Status and Diagnostic-Code written before Final-Recipient (Facebook, MessageLabs)', () => {
    expect(
      recipients(
        'Reporting-MTA: dns; mx\n\nDiagnostic-Code: smtp; 550 5.1.1 no such user\nStatus: 5.1.1\nFinal-Recipient: rfc822; a@example.com\nAction: failed\n',
      ),
    ).toEqual([{ to: 'rfc822; a@example.com', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 no such user' }]);
  });

  it('keeps Action before Final-Recipient and Original-Recipient together (Amazon SES inbound)', () => {
    expect(
      recipients(
        'Action: failed\nFinal-Recipient: rfc822; a@example.com\nOriginal-Recipient: rfc822; a@example.com\nDiagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\nStatus: 5.1.1\n',
      ),
    ).toEqual([
      { to: 'rfc822; a@example.com', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 Mailbox does not exist' },
    ]);
  });

  it('still splits recipients written without blank lines, status after each (AOL)', () => {
    expect(
      recipients(
        'Reporting-MTA: dns; mx\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@example.com\nAction: delayed\nStatus: 4.2.2\n',
      ),
    ).toEqual([
      { to: 'rfc822; a@example.com', status: '5.1.1', diagnostic: undefined },
      { to: 'rfc822; b@example.com', status: '4.2.2', diagnostic: undefined },
    ]);
  });

  it('splits recipients whose status comes first each time', () => {
    expect(
      recipients(
        'Status: 5.1.1\nFinal-Recipient: rfc822; a@example.com\nStatus: 4.2.2\nFinal-Recipient: rfc822; b@example.com\n',
      ),
    ).toEqual([
      { to: 'rfc822; a@example.com', status: '5.1.1', diagnostic: undefined },
      { to: 'rfc822; b@example.com', status: '4.2.2', diagnostic: undefined },
    ]);
  });
});
