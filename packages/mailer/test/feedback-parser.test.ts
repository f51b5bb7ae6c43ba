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

  it('refuses an ordinary message with a clear error', async () => {
    await expect(
      parseFeedbackMessage('From: a@b.nl\r\nTo: c@d.nl\r\nSubject: hoi\r\n\r\nGewoon een mail\r\n'),
    ).rejects.toMatchObject({ code: 'FEEDBACK_NOT_A_REPORT' });
  });
});
