import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '../../app/api-types.js';
import { useTRPC } from '../../app/trpc.js';
import { useConsentTexts, useEntities, useLists } from '../settings/queries.js';

/** The senders, lists and consent texts (phone scripts, form texts) the add-contact form chooses from. */
export function useContactFormOptions() {
  return { entities: useEntities(), lists: useLists(), texts: useConsentTexts() };
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
