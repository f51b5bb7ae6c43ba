import { CLASSIFICATIONS } from '@consent-mailer/policy/vocabulary';
import type { RouterInputs } from '../../app/api-types.js';
import { contactsMessages } from './contacts.messages.js';

export type ContactClassFilter = NonNullable<RouterInputs['contacts']['list']['classification']>;
export type ContactMethodFilter = NonNullable<RouterInputs['contacts']['list']['method']>;
export type UnsubscribeChannel = NonNullable<RouterInputs['suppressions']['unsubscribe']['channel']>;
export type ComplaintSource = RouterInputs['suppressions']['complaint']['source'];

// Typed against the api: a value it adds without a text here fails typecheck.
const CHANNEL_LABELS: Record<UnsubscribeChannel, string> = contactsMessages.nl.unsubscribe.channels;

/** The rules' verdicts (best first), then the contacts no mailing has assessed yet. */
export const CONTACT_CLASSES = [
  ...CLASSIFICATIONS,
  'UNASSESSED',
] as const satisfies readonly ContactClassFilter[];
export const UNSUBSCRIBE_CHANNELS = Object.keys(CHANNEL_LABELS) as UnsubscribeChannel[];
