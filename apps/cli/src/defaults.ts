import { UserError } from '@consent-mailer/policy';
import type { Caller } from './runtime.js';

/**
 * What a command may leave out: with exactly one sender entity, one SMTP profile or one list there is
 * nothing to choose, so the CLI takes it; with none or several the error lists what there is.
 */

/** The sender entity to use: the given id, else the only one. */
export async function senderEntityOrOnly(caller: Caller, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const entities = await caller.entities.list();
  const only = entities.length === 1 ? entities[0] : undefined;
  if (only !== undefined) return only.id;
  if (entities.length === 0) {
    throw new UserError('ENTITY_REQUIRED', {
      en: 'There is no sender entity yet. Add one with "consent-mailer entity add".',
      nl: 'Er is nog geen afzender. Voeg er een toe met "consent-mailer entity add".',
    });
  }
  const ids = entities.map((entity) => entity.id).join(', ');
  throw new UserError('ENTITY_REQUIRED', {
    en: `There are several sender entities (${ids}): say which with --entity <id>.`,
    nl: `Er zijn meerdere afzenders (${ids}): kies er een met --entity <id>.`,
  });
}

/** The SMTP profile to use: the given name or id, else the only one. */
export async function smtpProfileOrOnly(caller: Caller, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const profiles = await caller.smtp.list();
  const only = profiles.length === 1 ? profiles[0] : undefined;
  if (only !== undefined) return only.name;
  if (profiles.length === 0) {
    throw new UserError('SMTP_PROFILE_REQUIRED', {
      en: 'There is no SMTP profile yet. Add one with "consent-mailer smtp add".',
      nl: 'Er is nog geen SMTP-profiel. Voeg er een toe met "consent-mailer smtp add".',
    });
  }
  const names = profiles.map((profile) => profile.name).join(', ');
  throw new UserError('SMTP_PROFILE_REQUIRED', {
    en: `There are several SMTP profiles (${names}): say which with --smtp <name>.`,
    nl: `Er zijn meerdere SMTP-profielen (${names}): kies er een met --smtp <naam>.`,
  });
}

/**
 * A list's id from its id or its name (names are unique; case is ignored when that leaves one), or the
 * only active list when `given` is absent and `orOnly` is set; undefined when absent and not required.
 */
export async function listIdFrom(
  caller: Caller,
  given: string | undefined,
  options: { orOnly?: boolean } = {},
): Promise<string | undefined> {
  if (given === undefined && options.orOnly !== true) return undefined;
  const lists = await caller.settings.lists.list({ includeArchived: given !== undefined });
  if (given === undefined) {
    const only = lists.length === 1 ? lists[0] : undefined;
    if (only !== undefined) return only.id;
    throw new UserError('LIST_REQUIRED', {
      en:
        lists.length === 0
          ? 'There is no list yet. Create one with "consent-mailer list create <name>" and import contacts into it with --list.'
          : `There are several lists (${lists.map((list) => list.name).join(', ')}): say which with --list <name or id>.`,
      nl:
        lists.length === 0
          ? 'Er is nog geen lijst. Maak er een met "consent-mailer list create <naam>" en importeer er contacten in met --list.'
          : `Er zijn meerdere lijsten (${lists.map((list) => list.name).join(', ')}): kies er een met --list <naam of id>.`,
    });
  }
  const exact = lists.find((list) => list.id === given) ?? lists.find((list) => list.name === given);
  if (exact !== undefined) return exact.id;
  const folded = lists.filter((list) => list.name.toLowerCase() === given.toLowerCase());
  const match = folded.length === 1 ? folded[0] : undefined;
  // An unknown list is passed on as given, so the api's own LIST_NOT_FOUND message is what the user reads.
  return match === undefined ? given : match.id;
}
