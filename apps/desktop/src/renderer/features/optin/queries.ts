import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

/** The pairing and the latest events (refetched every half minute: the host pulls in the background). */
export function useOptinStatus() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.optin.status.queryOptions({ limit: 50 }), refetchInterval: 30_000 });
}

/** Everything a pull can change: the pairing, contacts, lists and suppressions. */
function useInvalidateAfterPull() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.optin.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.suppressions.pathKey() }),
      // A pulled confirmation or unsubscribe changes who a mailing may reach.
      queryClient.invalidateQueries({ queryKey: trpc.mailings.pathKey() }),
    ]);
}

/** Pairs with a service (its key pinned, the token in the keychain) and pulls what is waiting. */
export function usePairOptin() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterPull();
  return useMutation(trpc.optin.pair.mutationOptions({ onSuccess: invalidate }));
}

/** Pulls the feed now. */
export function usePullOptin() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterPull();
  return useMutation(trpc.optin.pull.mutationOptions({ onSuccess: invalidate }));
}

/** Ends the pairing (what was pulled stays). */
export function useUnpairOptin() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterPull();
  return useMutation(trpc.optin.unpair.mutationOptions({ onSuccess: invalidate }));
}

/** Re-permission for a mailing: paired?, who may still be asked, how many were asked and confirmed. */
export function useReconfirmStatus(mailingId: string) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.optin.reconfirmStatus.queryOptions({ mailingId }), refetchInterval: 30_000 });
}

/** Starts asking the mailing's re-permission candidates to confirm (a job; poll `useReconfirmProgress`). */
export function useStartReconfirm() {
  const trpc = useTRPC();
  return useMutation(trpc.optin.reconfirm.mutationOptions());
}

/** The running request job, polled while it runs; the counts are refreshed once it has ended. */
export function useReconfirmProgress(jobId: string | undefined, mailingId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useQuery({
    ...trpc.optin.reconfirmProgress.queryOptions({ jobId: jobId ?? '' }),
    enabled: jobId !== undefined,
    refetchInterval: (query) => {
      if (query.state.data?.state === 'running') return 250;
      void queryClient.invalidateQueries({ queryKey: trpc.optin.reconfirmStatus.queryKey({ mailingId }) });
      return false;
    },
  });
}
