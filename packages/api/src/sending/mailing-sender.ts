import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  composeSignedMessage,
  createUnsubscribeToken,
  runOutbox,
  type OutboxRunResult,
} from '@consent-mailer/mailer';
import { UserError } from '@consent-mailer/policy';
import {
  acquireMailingWorker,
  getMailing,
  getSenderEntity,
  getSmtpProfile,
  queueDeliveries,
  recoverOrphanedDeliveries,
  releaseMailingWorker,
  setMailingStatus,
  type MailingRow,
} from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import { optinSendGate, withOptinUnsubscribe } from '../optin/optin-sync.js';
import type { JobControls, JobSnapshot } from '../jobs/job-registry.js';
import { assertDkimSigns, domainPacerFor, sendingLimits } from './deliverability.js';
import {
  assertAcknowledgedWhenRequired,
  assertAcknowledgementsTrusted,
  assertNotBlocked,
  runMailingGate,
} from './mailing-gate.js';
import { senderSettings, smtpPassword, toSenderIdentity, toSmtpSettings } from './sending-profile.js';
import { createSqliteOutbox } from './sqlite-outbox.js';

/** The job kind of a mailing's send run, as `mailings.job` looks it up. */
export const SEND_JOB_KIND = 'mailing.send';

/** What starting a send did before the worker took over. */
export interface SendStart {
  job: JobSnapshot;
  /** Recipients added to the outbox now (0 when the mailing was queued before). */
  queued: number;
  /** From a crashed earlier run: put back in the queue (never handed to SMTP) and left UNCERTAIN. */
  recovered: { requeued: number; uncertain: number };
}

// The send workers running in this process, by mailing: a holder with this pid is alive only if listed.
const localWorkers = new Map<string, Promise<void>>();

// How often, at most, the outbox pulls the opt-in service's unsubscribes between batches.
const OPTIN_GATE_INTERVAL_MS = 30_000;

// A worker that has not touched its mailing for this long is taken to be gone (another machine, a hang).
const STALE_HEARTBEAT_MS = 120_000;

/**
 * Sends a mailing. The first time: the gate (assessMailing on current data; a BLOCKED mailing sends nothing
 * and says why), then one delivery per included recipient. Every time: take the send (refused while another
 * live process holds it), recover what a crash left behind, and run the outbox worker as a job.
 *
 * @example
 * const { job } = await startMailingSend(ctx, mailingId);
 * await ctx.jobs.wait(job.id);
 */
export async function startMailingSend(
  ctx: ApiContext,
  mailingId: string,
  mode: 'send' | 'resume',
): Promise<SendStart> {
  const db = ctx.store.db;
  const now = () => ctx.clock().toISOString();
  const mailing = await getMailing(db, mailingId);
  assertSendable(mailing, mode);
  if (!mailing.smtp_profile_id) throw new Error('mailing without SMTP profile');
  const profile = await getSmtpProfile(db, mailing.smtp_profile_id);
  // Check the password before anything is queued: a missing secret is the most common first error.
  const password = await smtpPassword(profile, ctx.secrets);
  // Sign one message of this mailing and verify it before anything is queued or sent: a DKIM key that
  // cannot sign stops here with what to fix, and no message goes out unsigned (issue 18).
  const [entity, settings] = await Promise.all([
    getSenderEntity(db, mailing.sender_entity_id),
    senderSettings(profile, ctx.secrets),
  ]);
  // Paired with an opt-in service: its page answers the unsubscribe links (https first in the header).
  const sender = await withOptinUnsubscribe(ctx, toSenderIdentity(entity));
  await assertDkimSigns(sender, settings, {
    subject: mailing.subject,
    html: mailing.body_html ?? '',
    text: mailing.body_text ?? undefined,
    lang: mailing.lang,
    content: mailing.content,
  });

  // The opt-in service's unsubscribes first (before the assessment reads the suppression list); when
  // they cannot be pulled and the last good pull is older than 24 hours, nothing is sent.
  const optinRefusal = await optinSendGate(ctx);
  if (optinRefusal !== undefined) {
    if (mailing.status === 'SENDING' || mailing.status === 'QUEUED' || mailing.status === 'PAUSED') {
      await setMailingStatus(db, mailingId, 'PAUSED', now(), {
        code: optinRefusal.code,
        message: optinRefusal.text.en,
      });
    }
    throw optinRefusal;
  }
  let lastOptinGateMs = ctx.clock().getTime();

  let queued = 0;
  if (mailing.status === 'DRAFT' || mailing.status === 'ASSESSED') {
    const gate = await runMailingGate(ctx, mailingId);
    assertNotBlocked(gate.assessment);
    assertAcknowledgementsTrusted(gate);
    assertAcknowledgedWhenRequired(gate);
    if (gate.assessment.included.length === 0) {
      const { excluded, needsAcknowledgement } = gate.assessment.counts;
      throw new UserError('MAILING_NO_RECIPIENTS', {
        en: `Nobody may receive this mailing now: ${excluded} excluded, ${needsAcknowledgement} waiting for a signed acknowledgement. Run "mailing assess" for the reasons.`,
        nl: `Niemand mag deze mailing nu ontvangen: ${excluded} uitgesloten, ${needsAcknowledgement} wachten op een getekende verklaring. Gebruik "mailing assess" voor de redenen.`,
      });
    }
    queued = await queueDeliveries(db, {
      mailingId,
      at: now(),
      recipients: gate.assessment.included.flatMap((verdict) => {
        const contactId = gate.contactIds[verdict.index];
        if (contactId === undefined) return [];
        return [
          {
            contactId,
            email: verdict.email,
            classification: verdict.classification,
            method: verdict.method,
            firstMailing: gate.firstMailing[verdict.index] ?? true,
            unsubscribeToken: createUnsubscribeToken(),
            acknowledgementId:
              verdict.classification === 'TRANSFER_RISK' ? (gate.acknowledgementId ?? null) : null,
          },
        ];
      }),
    });
  }

  // Pause then resume in this same process (the browser host): the paused worker stops at its next look
  // at control (within a rate-limit poll or the SMTP transaction in flight); wait for it instead of
  // refusing with "another process" that is this one (issue 14).
  // While it is still sending (not paused), the acquire below refuses as it should.
  if (mailing.status === 'PAUSED') await localWorkers.get(mailingId);

  const workerId = randomUUID();
  const host = hostname();
  await acquireMailingWorker(db, {
    mailingId,
    worker: { id: workerId, pid: process.pid, host },
    at: now(),
    holderIsAlive: (holder) => isAlive(holder, host, ctx.clock().getTime(), localWorkers.has(mailingId)),
  });
  const recovered = await recoverOrphanedDeliveries(db, { mailingId, exceptWorkerId: workerId, at: now() });
  await setMailingStatus(db, mailingId, 'SENDING', now(), null);

  const fresh = await getMailing(db, mailingId);
  const smtp = toSmtpSettings(profile);
  const [{ limits }, domainPacing] = await Promise.all([
    sendingLimits(ctx, profile),
    domainPacerFor(ctx, profile),
  ]);
  const content = {
    subject: fresh.subject,
    html: fresh.body_html ?? '',
    text: fresh.body_text ?? undefined,
    lang: fresh.lang,
    content: fresh.content,
  };
  const tuning = ctx.sending.outbox ?? {};

  const runWorker = async (controls: JobControls) => {
    const transport = ctx.sending.openTransport(smtp, password);
    try {
      return await runOutbox({
        store: createSqliteOutbox(ctx.store, { smtpProfileId: profile.id, workerId, clock: ctx.clock }),
        transport,
        mailingId,
        workerId,
        // Signed with mailauth: a key that fails to sign stops the mailing (DKIM_FAILED), never unsigned.
        compose: (delivery) =>
          composeSignedMessage({ sender, settings, mailing: content, recipient: delivery.recipient }),
        connections: smtp.connections,
        // Before every batch (at most every 30 s): pull the opt-in service's unsubscribes; a pull that has
        // failed for more than 24 hours pauses the mailing (OPTIN_PULL_STALE).
        beforeBatch: async () => {
          const nowMs = ctx.clock().getTime();
          if (nowMs - lastOptinGateMs < OPTIN_GATE_INTERVAL_MS) return undefined;
          lastOptinGateMs = nowMs;
          const refusal = await optinSendGate(ctx);
          return refusal === undefined ? undefined : { code: refusal.code, message: refusal.text.en };
        },
        // The profile's limits, with today's warm-up limit folded into the day limit.
        limits,
        domainPacing,
        clock: ctx.clock,
        signal: controls.signal,
        ...(tuning.batchSize ? { batchSize: tuning.batchSize } : {}),
        ...(tuning.retryDelaysMs ? { retryDelaysMs: tuning.retryDelaysMs } : {}),
        ...(tuning.maxWaitMs !== undefined ? { maxWaitMs: tuning.maxWaitMs } : {}),
        onProgress: (progress) =>
          controls.report({ done: progress.done, total: progress.total, phase: 'sending' }),
      });
    } finally {
      transport.close();
      await releaseMailingWorker(db, mailingId, workerId);
    }
  };
  let workerEnded: () => void = () => undefined;
  const running = new Promise<void>((resolve) => {
    workerEnded = resolve;
  });
  localWorkers.set(mailingId, running);
  const job = ctx.jobs.start<OutboxRunResult>(SEND_JOB_KIND, async (controls) => {
    try {
      return await runWorker(controls);
    } finally {
      if (localWorkers.get(mailingId) === running) localWorkers.delete(mailingId);
      workerEnded();
    }
  });
  return { job, queued, recovered };
}

function assertSendable(mailing: MailingRow, mode: 'send' | 'resume'): void {
  if (mailing.status === 'SENT') {
    throw new UserError('MAILING_ALREADY_SENT', {
      en: 'This mailing has been sent already. Create a new mailing to send again.',
      nl: 'Deze mailing is al verstuurd. Maak een nieuwe mailing om opnieuw te versturen.',
    });
  }
  if (mailing.status === 'CANCELLED') {
    throw new UserError('MAILING_CANCELLED', {
      en: 'This mailing was cancelled and cannot be sent. Create a new mailing.',
      nl: 'Deze mailing is geannuleerd en kan niet meer worden verstuurd. Maak een nieuwe mailing.',
    });
  }
  if (mailing.status === 'PAUSED' && mode === 'send') {
    throw new UserError('MAILING_PAUSED', {
      en: 'This mailing is paused. Use "mailing resume" to go on.',
      nl: 'Deze mailing is gepauzeerd. Gebruik "mailing resume" om verder te gaan.',
    });
  }
  if (
    mode === 'resume' &&
    mailing.status !== 'PAUSED' &&
    mailing.status !== 'SENDING' &&
    mailing.status !== 'QUEUED'
  ) {
    throw new UserError('MAILING_NOT_STARTED', {
      en: 'This mailing has not been sent yet. Use "mailing send".',
      nl: 'Deze mailing is nog niet verstuurd. Gebruik "mailing send".',
    });
  }
}

/** Whether the process holding a send is still there: by pid on this host, by heartbeat elsewhere. */
function isAlive(
  holder: { pid: number | null; host: string | null; heartbeatAt: string | null },
  host: string,
  nowMs: number,
  runningHere: boolean,
): boolean {
  const fresh = holder.heartbeatAt !== null && nowMs - Date.parse(holder.heartbeatAt) < STALE_HEARTBEAT_MS;
  if (holder.host === host && holder.pid !== null) {
    if (holder.pid === process.pid) return runningHere;
    try {
      process.kill(holder.pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to someone else; ESRCH: it is gone.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return fresh;
}
