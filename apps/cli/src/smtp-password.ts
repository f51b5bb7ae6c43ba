import type { ApiContext } from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import type { Caller, CliIo } from './runtime.js';
import { secretVariableName } from './secrets.js';

/**
 * Reads a secret without echoing it, only when a person is at a terminal: the CLI's other source of
 * secrets is the CONSENT_MAILER_SECRET_<KEY> environment variable.
 */
async function promptHidden(io: CliIo, question: string): Promise<string | undefined> {
  const input = (io.stdin ?? process.stdin) as NodeJS.ReadStream;
  if (!input.isTTY || typeof input.setRawMode !== 'function') return undefined;
  io.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((done) => {
    let value = '';
    const finish = (result: string | undefined) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      io.stderr.write('\n');
      done(result);
    };
    function onData(chunk: string) {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(value);
        if (char === '\u0003') return finish(undefined);
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    }
    input.on('data', onData);
  });
}

/** Makes sure the SMTP password of a profile is available for this run: env var, else a hidden prompt. */
export async function ensurePassword(
  io: CliIo,
  context: ApiContext,
  caller: Caller,
  profileIdOrName: string,
): Promise<void> {
  const profile = (await caller.smtp.list()).find(
    (p) => p.id === profileIdOrName || p.name === profileIdOrName,
  );
  if (!profile?.user) return;
  const key = `smtp:${profile.name}`;
  if (await context.secrets.get(key)) return;
  const typed = await promptHidden(io, `Password for ${profile.user} on ${profile.host}: `);
  if (typed) await context.secrets.set(key, typed);
  else {
    throw new UserError('SMTP_PASSWORD_MISSING', {
      en: `No password for SMTP profile "${profile.name}". Set ${secretVariableName(key)} or run this in a terminal to be asked.`,
      nl: `Geen wachtwoord voor SMTP-profiel "${profile.name}". Zet ${secretVariableName(key)} of voer dit uit in een terminal om het te laten vragen.`,
    });
  }
}
