import { sha256Hex } from './address-hash.js';
import type { ConsentTextKind, ConsentTextVersionRow } from './consent-text-version.table.js';
import { appendEvent, type Executor } from './event-log.js';
import { inTransaction } from './transaction.js';

/**
 * Stores the exact text a person saw (sign-up form, phone script, notice at collection …) and returns it.
 * Its id is the sha256 of the body, so storing the same text twice returns the first version unchanged,
 * and a changed text is a new version; versions can never be edited or deleted.
 *
 * @example
 * const version = await addConsentTextVersion(db, { kind: 'CONSENT', language: 'nl', label: 'Website 2026', body, at });
 * // version.id: use it as consentTextVersionId in consent evidence
 */
export async function addConsentTextVersion(
  db: Executor,
  input: { kind: ConsentTextKind; language: string; label: string; body: string; at: string },
): Promise<ConsentTextVersionRow & { created: boolean }> {
  const id = sha256Hex(input.body);
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('consent_text_version')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (existing !== undefined) return { ...existing, created: false };
    const row: ConsentTextVersionRow = {
      id,
      kind: input.kind,
      language: input.language,
      label: input.label,
      body: input.body,
      created_at: input.at,
    };
    await trx.insertInto('consent_text_version').values(row).execute();
    await appendEvent(trx, {
      type: 'consent_text_version.added',
      entity: 'consent_text_version',
      entityId: id,
      at: input.at,
      data: { kind: input.kind, language: input.language, label: input.label },
    });
    return { ...row, created: true };
  });
}

/**
 * Finds a text version by its id (the sha256 of its body).
 *
 * @example
 * const version = await getConsentTextVersion(db, record.consentTextVersionId);
 */
export async function getConsentTextVersion(db: Executor, id: string): Promise<ConsentTextVersionRow | null> {
  return (
    (await db.selectFrom('consent_text_version').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
  );
}

/**
 * Lists text versions, oldest first, optionally of one kind.
 *
 * @example
 * const versions = await listConsentTextVersions(db, { kind: 'CONSENT' });
 */
export async function listConsentTextVersions(
  db: Executor,
  filter: { kind?: ConsentTextKind } = {},
): Promise<ConsentTextVersionRow[]> {
  let query = db.selectFrom('consent_text_version').selectAll().orderBy('created_at').orderBy('id');
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.execute();
}
