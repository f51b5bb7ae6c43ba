import { mayRequestReconfirmation, UserError, type ContactRecord, type Lang } from '@consent-mailer/policy';
import {
  addressIdentity,
  emptyReconfirmCounts,
  getMailing,
  getPairedOptinService,
  loadListRecordsInChunks,
  notPaired,
  reconfirmationStatus,
  recordReconfirmationRequest,
  type ReconfirmRequestStatus,
  eventsOfType,
  findList,
} from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import type { JobControls } from '../jobs/job-registry.js';
import { postOptinReconfirm } from './optin-client.js';
import { feedToken } from './optin-sync.js';

/** The job kind of a re-permission run (`optin.reconfirmProgress`). */
export const RECONFIRM_JOB_KIND = 'optin.reconfirm';

/** Addresses per `POST /api/reconfirm` (the service takes at most 200). */
export const RECONFIRM_CHUNK = 200;

/** A double opt-in is asked again only when its consent is going stale (rules A1, A2). */
const STALE = new Set(['A1', 'A2']);

/** Who of the mailing's recipients may be asked to confirm (docs/policy-rules.md section 4, re-permission). */
export interface ReconfirmCandidate {
  contactId: number;
  email: string;
  method: ContactRecord['method'];
}

/** True when this record may get a confirmation request and it would change how the rules judge it. */
export function needsReconfirmation(record: ContactRecord, now: Date): boolean {
  const decision = mayRequestReconfirmation(record, { now });
  if (!decision.allowed) return false;
  if (record.method !== 'WEB_DOI') return record.reconfirmedAt === undefined;
  return decision.reasons.some((reason) => STALE.has(reason.code));
}

/**
 * The mailing's recipients that `mayRequestReconfirmation` allows (single opt-in, phone, paper, stale double
 * opt-in), without those already reconfirmed.
 *
 * @example
 * const candidates = await reconfirmCandidates(ctx, mailingId);
 */
export async function reconfirmCandidates(ctx: ApiContext, mailingId: string): Promise<ReconfirmCandidate[]> {
  const mailing = await getMailing(ctx.store.db, mailingId);
  const records = await loadListRecordsInChunks(ctx.store.db, {
    listId: mailing.list_id,
    senderEntityId: mailing.sender_entity_id,
  });
  const now = ctx.clock();
  return records
    .filter((r) => r.consentId !== null && needsReconfirmation(r.record, now))
    .map((r) => ({ contactId: r.contactId, email: r.record.email, method: r.record.method }));
}

/** What a finished re-permission run did. */
export interface ReconfirmRunResult {
  mailingId: string;
  candidates: number;
  counts: Record<ReconfirmRequestStatus, number>;
}

/**
 * The service's id of a desktop list: the pull maps a service list to the desktop list of the same id or
 * (case-insensitively) the same name, so the way back is the id when it is no generated one, else the name.
 */
export function serviceListOf(list: { id: string; name: string }): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(list.id) ? list.name.toLowerCase() : list.id;
}

async function runReconfirm(
  ctx: ApiContext,
  input: { mailingId: string; serviceList: string; language: Lang; candidates: ReconfirmCandidate[] },
  controls: JobControls,
): Promise<ReconfirmRunResult> {
  const service = await getPairedOptinService(ctx.store.db);
  if (service === undefined) throw notPaired();
  const token = await feedToken(ctx, service);
  const counts = emptyReconfirmCounts();
  const total = input.candidates.length;
  controls.report({ done: 0, total, phase: 'requesting' });
  for (let start = 0; start < total; start += RECONFIRM_CHUNK) {
    if (controls.signal.aborted) break;
    const chunk = input.candidates.slice(start, start + RECONFIRM_CHUNK);
    const answers = await postOptinReconfirm(service.url, token, {
      addresses: chunk.map((c) => c.email),
      lists: [input.serviceList],
      language: input.language,
    });
    const requests = chunk.map((candidate, i) => {
      const status: ReconfirmRequestStatus = answers[i]?.status ?? 'invalid';
      counts[status] += 1;
      return {
        contactId: candidate.contactId,
        addressHash: addressIdentity(candidate.email).hash,
        status,
      };
    });
    await recordReconfirmationRequest(ctx.store.db, {
      serviceId: service.id,
      mailingId: input.mailingId,
      requests,
      at: ctx.clock().toISOString(),
    });
    controls.report({ done: start + chunk.length, total, phase: 'requesting' });
  }
  return { mailingId: input.mailingId, candidates: total, counts };
}

/**
 * Starts asking the mailing's re-permission candidates to confirm through the paired service, in batches
 * of 200, each batch recorded in the chain. Returns the job (poll `reconfirmProgress`).
 *
 * @throws {UserError} OPTIN_NOT_PAIRED
 * @example
 * const { jobId, candidates } = await startReconfirm(ctx, { mailingId, language: 'nl' });
 */
export async function startReconfirm(
  ctx: ApiContext,
  input: { mailingId: string; language: Lang },
): Promise<{ jobId: string; candidates: number }> {
  const service = await getPairedOptinService(ctx.store.db);
  if (service === undefined) throw notPaired();
  await feedToken(ctx, service);
  const mailing = await getMailing(ctx.store.db, input.mailingId);
  if (mailing.sender_entity_id !== service.sender_entity_id) {
    // A confirmation through the service renews the consent of the service's sender, no other one.
    throw new UserError('OPTIN_RECONFIRM_OTHER_ENTITY', {
      en: `This mailing is sent for "${mailing.sender_entity_id}", but the opt-in service collects consent for "${service.sender_entity_id}". A confirmation there would not renew this sender's consent; ask from a mailing of "${service.sender_entity_id}", or pair the service for this sender.`,
      nl: `Deze mailing gaat uit namens "${mailing.sender_entity_id}", maar de opt-in-service verzamelt toestemming voor "${service.sender_entity_id}". Een bevestiging daar vernieuwt de toestemming voor deze afzender niet; vraag het vanuit een mailing van "${service.sender_entity_id}", of koppel de service voor deze afzender.`,
    });
  }
  const list = await findList(ctx.store.db, mailing.list_id);
  if (list === undefined)
    throw new Error(`mailing ${mailing.id} names list ${mailing.list_id}, which is gone`);
  const asked = new Set(await requestedContactIds(ctx, input.mailingId));
  const candidates = (await reconfirmCandidates(ctx, input.mailingId)).filter((c) => !asked.has(c.contactId));
  const job = ctx.jobs.start<ReconfirmRunResult>(RECONFIRM_JOB_KIND, (controls) =>
    runReconfirm(ctx, { ...input, serviceList: serviceListOf(list), candidates }, controls),
  );
  return { jobId: job.id, candidates: candidates.length };
}

/**
 * Re-permission for a mailing: whether it can be asked (paired), how many may still be asked, how many
 * were sent a request and how many of them have confirmed (as pulled).
 */
export async function reconfirmOverview(ctx: ApiContext, mailingId?: string) {
  const service = await getPairedOptinService(ctx.store.db);
  const status = await reconfirmationStatus(ctx.store.db, mailingId === undefined ? {} : { mailingId });
  let candidates = 0;
  const sameEntity =
    service !== undefined &&
    mailingId !== undefined &&
    (await getMailing(ctx.store.db, mailingId)).sender_entity_id === service.sender_entity_id;
  if (sameEntity) {
    // Someone who already got a request is not offered again (the service limits repeats anyway).
    const requested = new Set(await requestedContactIds(ctx, mailingId));
    candidates = (await reconfirmCandidates(ctx, mailingId)).filter(
      (c) => !requested.has(c.contactId),
    ).length;
  }
  return { paired: service !== undefined, mailingId: mailingId ?? null, candidates, ...status };
}

async function requestedContactIds(ctx: ApiContext, mailingId: string): Promise<number[]> {
  const rows = await eventsOfType(ctx.store.db, 'optin.reconfirmation_requested');
  const ids: number[] = [];
  for (const row of rows) {
    const data = JSON.parse(row.data) as { mailingId?: string; sentContactIds?: number[] };
    if (data.mailingId === mailingId) ids.push(...(data.sentContactIds ?? []));
  }
  return ids;
}
