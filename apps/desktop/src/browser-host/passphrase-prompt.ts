import { createInterface } from 'node:readline';
import {
  hasPassphraseSecrets,
  openPassphraseSecretStore,
  PASSPHRASE_SECRETS_FILE,
  type SecretStore,
} from '@consent-mailer/api';
import { isUserError } from '@consent-mailer/policy';

const MINIMUM_LENGTH = 8;

/** Reads one line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = terminal as unknown as { _writeToOutput(text: string): void };
  let asked = false;
  // readline echoes every key through _writeToOutput; after the question nothing of the answer is shown.
  output._writeToOutput = (text: string) => {
    if (!asked) process.stdout.write(text);
  };
  return new Promise((resolve) => {
    terminal.question(question, (answer) => {
      terminal.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

/**
 * The browser host's secrets (SMTP passwords, the signing key): sealed with a passphrase in
 * `secrets.passphrase.json` beside the database, so they survive a restart. The passphrase comes from
 * CONSENT_MAILER_PASSPHRASE or is asked on the terminal (twice on the first run); without either the host
 * does not start, rather than keep passwords that vanish at the next start (issue 14).
 */
export async function browserHostSecrets(dataDir: string): Promise<SecretStore> {
  const fromEnv = process.env.CONSENT_MAILER_PASSPHRASE;
  if (fromEnv) return openPassphraseSecretStore(dataDir, fromEnv);
  if (!process.stdin.isTTY) {
    throw new Error(
      `Set CONSENT_MAILER_PASSPHRASE (or start from a terminal to be asked for it): SMTP passwords and the signing key are kept encrypted with it in ${PASSPHRASE_SECRETS_FILE}.\nZet CONSENT_MAILER_PASSPHRASE (of start vanuit een terminal om ernaar gevraagd te worden): SMTP-wachtwoorden en de ondertekeningssleutel worden ermee versleuteld bewaard in ${PASSPHRASE_SECRETS_FILE}.`,
    );
  }
  const firstRun = !hasPassphraseSecrets(dataDir);
  for (;;) {
    const passphrase = await askHidden(
      firstRun
        ? 'Choose a passphrase for saved passwords and keys / Kies een wachtwoordzin voor opgeslagen wachtwoorden en sleutels: '
        : 'Passphrase / Wachtwoordzin: ',
    );
    if (firstRun) {
      if (passphrase.length < MINIMUM_LENGTH) {
        process.stdout.write(
          `Use at least ${MINIMUM_LENGTH} characters. / Gebruik minstens ${MINIMUM_LENGTH} tekens.\n`,
        );
        continue;
      }
      if ((await askHidden('Again / Nogmaals: ')) !== passphrase) {
        process.stdout.write(
          'The two did not match; try again. / De twee kwamen niet overeen; probeer opnieuw.\n',
        );
        continue;
      }
    }
    try {
      return await openPassphraseSecretStore(dataDir, passphrase);
    } catch (error) {
      if (!isUserError(error)) throw error;
      process.stdout.write(`${error.text.en}\n${error.text.nl}\n`);
    }
  }
}
