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
import type { Messages } from './nl.js';

/** All English texts: same keys as the Dutch (the type enforces it). */
export const en: Messages = {
  ...coreMessages.en,
  vocabulary: vocabularyMessages.en,
  contacts: contactsMessages.en,
  dashboard: dashboardMessages.en,
  import: importMessages.en,
  settings: settingsMessages.en,
  mailings: mailingsMessages.en,
  acknowledgements: acknowledgementsMessages.en,
  deliverability: deliverabilityMessages.en,
  intake: intakeMessages.en,
  suppressions: suppressionsMessages.en,
  proof: proofMessages.en,
  optin: optinMessages.en,
};
