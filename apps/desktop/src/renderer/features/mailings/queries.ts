import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { refreshThen } from '../../app/after-refresh.js';
import type { RouterOutputs } from '../../app/api-types.js';
import { useTRPC } from '../../app/trpc.js';

/** States in which the outbox is working: the page polls while the mailing is in one of them. */
export const ACTIVE_STATUSES = new Set(['QUEUED', 'SENDING']);

/** All mailings, newest first as the api lists them. */
export function useMailings() {
  const trpc = useTRPC();
  return useQuery(trpc.mailings.list.queryOptions());
}

/** A mailing's fields as the compose form edits them. */
export function useMailingDraft(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.mailings.draft.queryOptions({ id }));
}

/** A mailing with its deliveries and uncertain ones; read every half second while it is being sent. */
export function useMailingStatus(id: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.mailings.status.queryOptions({ id }),
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && ACTIVE_STATUSES.has(data.mailing.status) ? 500 : false;
    },
  });
}

/**
 * Reads again what a change to the mailing touches: its status, the mailing list, and the acknowledgements
 * (a send can make one lapse). What the send and results panels call after each of their changes.
 */
export function useRefreshMailing(id: string): () => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.mailings.status.queryKey({ id }) });
    await queryClient.invalidateQueries({ queryKey: trpc.mailings.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.acknowledgements.list.queryKey() });
  };
}

type Mailing = RouterOutputs['mailings']['create'];

/** Saves a new mailing; `onSaved` (opening its page) runs once the mailing list is read again. */
export function useCreateMailing(onSaved: (mailing: Mailing) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.mailings.list.queryKey() });
  return useMutation(trpc.mailings.create.mutationOptions(refreshThen(refresh, onSaved)));
}

/** Saves a changed draft; everything read about mailings is read again first. */
export function useUpdateMailing(onSaved: (mailing: RouterOutputs['mailings']['update']) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.mailings.pathKey() });
  return useMutation(trpc.mailings.update.mutationOptions(refreshThen(refresh, onSaved)));
}

/** Copies a mailing into a new draft; `onCopied` runs once the mailing list is read again. */
export function useDuplicateMailing(onCopied: (copy: RouterOutputs['mailings']['duplicate']) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.mailings.list.queryKey() });
  return useMutation(trpc.mailings.duplicate.mutationOptions(refreshThen(refresh, onCopied)));
}

/**
 * Start, resume, pause and cancel a send. A start or resume hands its job id to `onStarted` (to follow
 * its progress); every change then reads the mailing again through `onChanged`.
 */
export function useSendControls(onChanged: () => Promise<void>, onStarted: (jobId: string) => void) {
  const trpc = useTRPC();
  const started = {
    onSuccess: (start: { jobId: string }) => {
      onStarted(start.jobId);
      return onChanged();
    },
  };
  const after = { onSuccess: () => onChanged() };
  return {
    send: useMutation(trpc.mailings.send.mutationOptions(started)),
    resume: useMutation(trpc.mailings.resume.mutationOptions(started)),
    pause: useMutation(trpc.mailings.pause.mutationOptions(after)),
    cancel: useMutation(trpc.mailings.cancel.mutationOptions(after)),
  };
}

/** A send job's progress, read every 400 ms while it runs (null: no job to follow). */
export function useSendJob(jobId: string | null) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.mailings.job.queryOptions({ jobId: jobId ?? '' }),
    enabled: jobId !== null,
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 400 : false),
  });
}

/** The owner's decision on deliveries whose outcome is uncertain (sent or not); `onChanged` reads again. */
export function useResolveUncertain(onChanged: () => Promise<void>) {
  const trpc = useTRPC();
  return useMutation(trpc.mailings.resolveUncertain.mutationOptions({ onSuccess: () => onChanged() }));
}

/**
 * The mailing's verdict as the rules see it now, for a look: the api writes nothing for it, and it holds both
 * languages, so opening the page or switching language never runs (or records) an assessment again.
 */
export function useMailingAssessment(id: string, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.mailings.assessment.queryOptions({ id }), enabled });
}

/**
 * The owner's explicit "assess": recorded (assessment row, each contact's class, DRAFT -> ASSESSED), so the
 * look, the mailing's status and the lists that show classes are refreshed after it.
 */
export function useAssessMailing(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation({
    ...trpc.mailings.assess.mutationOptions(),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.mailings.assessment.queryKey({ id }) }),
        queryClient.invalidateQueries({ queryKey: trpc.mailings.status.queryKey({ id }) }),
        queryClient.invalidateQueries({ queryKey: trpc.mailings.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
      ]);
    },
  });
}

/** The mailing as a chosen contact (or the example person) will receive it, footer and all. */
export function useMailingPreview(id: string, email: string | undefined) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.mailings.preview.queryOptions(email === undefined ? { id } : { id, email }),
    retry: false,
  });
}

/** One signed test copy to the business's own address. */
export function useTestSendMailing() {
  const trpc = useTRPC();
  return useMutation(trpc.mailings.testSend.mutationOptions());
}

/** The merge fields the composer offers to insert (names and labels come from the mailer, via the api). */
export function useMergeFields() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.mailings.mergeFields.queryOptions(), staleTime: Infinity });
}
