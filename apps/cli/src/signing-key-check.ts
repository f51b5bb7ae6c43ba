import { SIGNING_KEY_SECRET, type SecretStore } from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import { secretVariableName } from './secrets.js';

/**
 * Without the installation key in the environment or a passphrase-sealed secrets file, a new key would be
 * forgotten when the process ends, so whatever signs (acknowledgements, proof bundles) asks for one first.
 *
 * @throws {UserError} `ACK_SIGNING_KEY_MISSING`.
 */
export async function requireSigningKey(secrets: SecretStore): Promise<void> {
  // With a passphrase-sealed secrets file a key made now is saved, and so kept.
  if (secrets.persistent !== true && (await secrets.get(SIGNING_KEY_SECRET)) === undefined) {
    throw new UserError('ACK_SIGNING_KEY_MISSING', {
      en: `No signing key is set for acknowledgements. Run "consent-mailer acknowledgements keygen" once and set ${secretVariableName(SIGNING_KEY_SECRET)} to the value it prints (keep it secret), or set CONSENT_MAILER_PASSPHRASE so the key made now is saved, encrypted, beside the database.`,
      nl: `Er is geen ondertekeningssleutel voor verklaringen ingesteld. Voer eenmalig "consent-mailer acknowledgements keygen" uit en zet ${secretVariableName(SIGNING_KEY_SECRET)} op de waarde die het toont (houd die geheim), of zet CONSENT_MAILER_PASSPHRASE zodat de sleutel die nu wordt gemaakt versleuteld naast de database wordt bewaard.`,
    });
  }
}
