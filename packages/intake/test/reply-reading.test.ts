import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { classifyIncoming, isAutoReply, readStopRequest } from '../src/index.js';

describe('readStopRequest (Dutch and English)', () => {
  it.each([
    ['Graag afmelden, dank u.', true],
    ['Please unsubscribe me.', true],
    ['Stop sending me these emails', true],
    ['Ik wil deze mails niet meer ontvangen', true],
    ['Verwijder mijn e-mailadres uit jullie bestand.', true],
    ['Schrijf me uit aub', true],
    ['Geen nieuwsbrief meer graag', true],
  ])('"%s" asks to stop (confident: %s)', (text, confident) => {
    expect(readStopRequest(text)).toMatchObject({ matched: true, confident });
  });

  it.each([
    'Hoe kan ik me afmelden?',
    'Lekker brood! Maar ik wil geen mail meer over taarten, wel over brood. Kan dat?',
  ])('"%s" is a stop request the owner must confirm', (text) => {
    expect(readStopRequest(text)).toMatchObject({ matched: true, confident: false });
  });

  it.each(['Kan ik zaterdag een appeltaart bestellen?', 'Thanks, see you Saturday!'])(
    '"%s" is not a stop request',
    (text) => {
      expect(readStopRequest(text).matched).toBe(false);
    },
  );

  it('ignores the quoted newsletter, whose footer says "unsubscribe" itself', () => {
    const reply =
      'Dank voor de info!\n\nOp 28 nov. 2026 schreef Bakkerij <nieuws@bakkerij.nl>:\n> Niet meer ontvangen? Klik op unsubscribe / afmelden.';
    expect(readStopRequest(reply).matched).toBe(false);
    expect(readStopRequest('Thanks!\n> To unsubscribe, click here').matched).toBe(false);
  });
});

describe('isAutoReply (RFC 3834 and the usual headers)', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'Re: nieuws'],
    ['X-Autoreply: yes', 'Re: nieuws'],
    ['Precedence: auto_reply', 'Re: nieuws'],
    ['X-Auto-Response-Suppress: All', 'Automatic reply: nieuws'],
    ['X-Mailer: Outlook', 'Out of Office: nieuws'],
    ['X-Mailer: Outlook', 'Afwezig: nieuws'],
  ])('%s with subject "%s" is an auto-reply', async (header, subject) => {
    const mail = await simpleParser(
      `From: a@b.nl\r\n${header}\r\nSubject: ${subject}\r\n\r\nIk ben er niet.\r\n`,
    );
    expect(isAutoReply(mail)).toBe(true);
  });

  it('does not take "Auto-Submitted: no" or a normal reply for one', async () => {
    const mail = await simpleParser(
      'From: a@b.nl\r\nAuto-Submitted: no\r\nSubject: Re: nieuws\r\n\r\nHoi\r\n',
    );
    expect(isAutoReply(mail)).toBe(false);
  });
});

describe('classifyIncoming', () => {
  it('reads our mailto unsubscribe before anything else, also when sent automatically', async () => {
    const { incoming } = await classifyIncoming(
      Buffer.from(
        'From: jan@example.nl\r\nAuto-Submitted: auto-generated\r\nSubject: unsubscribe q8Yd2abcdefghijk\r\n\r\n\r\n',
      ),
    );
    expect(incoming).toMatchObject({
      kind: 'UNSUBSCRIBE',
      token: 'q8Yd2abcdefghijk',
      from: 'jan@example.nl',
    });
  });

  it('leaves ordinary mail alone and puts an unreadable bounce aside', async () => {
    const other = await classifyIncoming(
      Buffer.from('From: marie@example.nl\r\nSubject: Taart\r\n\r\nKan ik een taart bestellen?\r\n'),
    );
    expect(other.incoming.kind).toBe('OTHER');
    const odd = await classifyIncoming(
      Buffer.from('From: MAILER-DAEMON@mx.example.org\r\nSubject: oops\r\n\r\nSomething failed.\r\n'),
    );
    expect(odd.incoming.kind).toBe('UNRECOGNISED');
  });
});
