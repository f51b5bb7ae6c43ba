import type { Lang } from '@consent-mailer/policy/vocabulary';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

/** The last SPF / DKIM / DMARC check of a profile (or what was declared), in the user's language. */
export function useAuthentication(profile: string, lang: Lang) {
  const trpc = useTRPC();
  return useQuery(trpc.smtp.authentication.queryOptions({ profile, lang }));
}

/** Reads SPF, DKIM and DMARC from DNS now; the cached result is refreshed. */
export function useCheckAuthentication() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.smtp.checkAuthentication.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.smtp.authentication.pathKey() }),
    }),
  );
}

/** Sets or replaces a profile's DKIM domain, selector and key (validated before anything is stored). */
export function useSetDkim() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.smtp.setDkim.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.smtp.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.smtp.authentication.pathKey() });
      },
    }),
  );
}

/** Provider defaults, the profile's per-domain overrides and today's warm-up. */
export function usePacing(profile: string) {
  const trpc = useTRPC();
  return useQuery(trpc.smtp.pacing.queryOptions({ profile }));
}

/** Sets (or with no limits removes) one recipient domain's limits. */
export function useSetPacing() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.smtp.setPacing.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.smtp.pacing.pathKey() }),
    }),
  );
}

/** NEW (warm-up applies) or ESTABLISHED sending domain / IP. */
export function useSetSendingHistory() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.smtp.setSendingHistory.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.smtp.pacing.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.smtp.list.queryKey() });
      },
    }),
  );
}

/** The self-test: a sample message signed as a send would, and what a receiver's checks say. */
export function useSelfTest() {
  const trpc = useTRPC();
  return useMutation(trpc.smtp.selfTest.mutationOptions());
}
