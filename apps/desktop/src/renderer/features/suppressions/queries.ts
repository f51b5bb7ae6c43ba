import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

/** The suppression list as the screen shows it, filtered by the search text. */
export function useSuppressionList(search: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.suppressions.browse.queryOptions({ search: search.trim() || undefined, limit: 500 }),
    placeholderData: (previous) => previous,
  });
}

/** After a suppression: the list, and every contact view (their status and history change). */
function useInvalidateSuppressed() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.suppressions.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
    ]);
}

/** Puts an address on the list by hand. */
export function useAddSuppression(onAdded: (email: string) => void) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSuppressed();
  return useMutation(
    trpc.suppressions.add.mutationOptions({
      onSuccess: async (result) => {
        onAdded(result.email);
        await invalidate();
      },
    }),
  );
}

/** Reads one bounce or complaint message (.eml); the caller shows what it did. */
export function useImportFeedback() {
  const trpc = useTRPC();
  const invalidate = useInvalidateSuppressed();
  return useMutation(trpc.suppressions.importFeedback.mutationOptions({ onSettled: invalidate }));
}
