import type { RouterInputs } from '../app/api-types.js';

/** A contact's class as the contact list filters it: a verdict of the rules, or not assessed yet. */
type ContactClass = NonNullable<RouterInputs['contacts']['list']['classification']>;

/**
 * The colour of each class, so a class looks the same on every screen (the assessment chart and badges, the
 * overview's chart); "not assessed yet" is no verdict, so it is grey. Typed against the api: a class it
 * adds without a colour here fails typecheck.
 */
export const CLASS_COLORS: Record<ContactClass, string> = {
  ALLOWED_PROVEN: 'teal.6',
  ALLOWED_GREY: 'yellow.6',
  TRANSFER_RISK: 'orange.6',
  BLOCKED: 'red.6',
  UNASSESSED: 'gray.5',
};
