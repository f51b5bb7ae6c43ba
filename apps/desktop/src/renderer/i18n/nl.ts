import { acknowledgementsMessages } from '../features/acknowledgements/acknowledgements.messages.js';
import { contactsMessages } from '../features/contacts/contacts.messages.js';
import { dashboardMessages } from '../features/dashboard/dashboard.messages.js';
import { importMessages } from '../features/import/import.messages.js';
import { mailingsMessages } from '../features/mailings/mailings.messages.js';
import { settingsMessages } from '../features/settings/settings.messages.js';
import { deliverabilityMessages } from '../features/deliverability/deliverability.messages.js';
import { intakeMessages } from '../features/intake/intake.messages.js';
import { suppressionsMessages } from '../features/suppressions/suppressions.messages.js';
import { proofMessages } from '../features/proof/proof.messages.js';
import { optinMessages } from '../features/optin/optin.messages.js';
import { coreMessages } from './core.messages.js';
import { vocabularyMessages } from './vocabulary.messages.js';

/** All Dutch texts (the reference shape for the i18next types). */
export const nl = {
  ...coreMessages.nl,
  vocabulary: vocabularyMessages.nl,
  contacts: contactsMessages.nl,
  dashboard: dashboardMessages.nl,
  import: importMessages.nl,
  settings: settingsMessages.nl,
  mailings: mailingsMessages.nl,
  acknowledgements: acknowledgementsMessages.nl,
  deliverability: deliverabilityMessages.nl,
  intake: intakeMessages.nl,
  suppressions: suppressionsMessages.nl,
  proof: proofMessages.nl,
  optin: optinMessages.nl,
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language must have. */
export type Messages = Widen<typeof nl>;
