import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '../../app/api-types.js';
import { useTRPC } from '../../app/trpc.js';

/** The senders, lists and consent texts (phone scripts, form texts) the add-contact form chooses from. */
export function useContactFormOptions() {
  const trpc = useTRPC();
  const entities = useQuery(trpc.entities.list.queryOptions());
  const lists = useQuery(trpc.settings.lists.list.queryOptions());
  const texts = useQuery(trpc.settings.consentTexts.list.queryOptions({}));
  return { entities, lists, texts };
}

/**
 * Adds a contact (or extends the one with that address) with its consent; afterwards the contact list,
 * the contact itself and the counts are read again.
 */
export function useAddContact(onSuccess: (result: RouterOutputs['contacts']['add']) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.contacts.add.mutationOptions({
      onSuccess: async (result) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.system.pathKey() }),
        ]);
        onSuccess(result);
      },
    }),
  );
}
