import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

/** A contact's proof bundle (ZIP, base64): read-only, nothing to refresh. */
export function useContactProof() {
  const trpc = useTRPC();
  return useMutation(trpc.proof.contactBundle.mutationOptions());
}

/** A complaint dossier: records the complaint, so the suppression list and the contacts change. */
export function useComplaintDossier() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.proof.complaintDossier.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.suppressions.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
        ]),
    }),
  );
}
