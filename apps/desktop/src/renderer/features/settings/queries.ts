import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

// The settings screens' data: each change reads its list again here, so a screen only says what it shows
// after it (a notice, an emptied form).

/** The sender entities. */
export function useEntities() {
  const trpc = useTRPC();
  return useQuery(trpc.entities.list.queryOptions());
}

function useRefreshEntities() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.entities.list.queryKey() });
}

/** Adds a sender entity; `onSaved` runs once the list is read again. */
export function useAddEntity(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshEntities();
  return useMutation(
    trpc.entities.add.mutationOptions({
      onSuccess: async () => {
        onSaved();
        await refresh();
      },
    }),
  );
}

/** Changes a sender entity (its id stays: consents refer to it). */
export function useUpdateEntity(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshEntities();
  return useMutation(
    trpc.entities.update.mutationOptions({
      onSuccess: async () => {
        onSaved();
        await refresh();
      },
    }),
  );
}

/** Deletes a sender entity nothing refers to (the store refuses otherwise and says why). */
export function useDeleteEntity(onDeleted: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshEntities();
  return useMutation(
    trpc.entities.delete.mutationOptions({
      onSuccess: async () => {
        onDeleted();
        await refresh();
      },
    }),
  );
}

/** The lists with their member counts. */
export function useLists() {
  const trpc = useTRPC();
  return useQuery(trpc.settings.lists.list.queryOptions());
}

function useRefreshLists() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.settings.lists.pathKey() });
}

/** Makes a list. */
export function useCreateList(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshLists();
  return useMutation(
    trpc.settings.lists.create.mutationOptions({
      onSuccess: async () => {
        onSaved();
        await refresh();
      },
    }),
  );
}

/** Renames or archives a list. */
export function useUpdateList() {
  const trpc = useTRPC();
  const refresh = useRefreshLists();
  return useMutation(trpc.settings.lists.update.mutationOptions({ onSuccess: refresh }));
}

/** Deletes a list no mailing or import used (the store refuses otherwise: it is evidence). */
export function useDeleteList(onDeleted: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshLists();
  return useMutation(
    trpc.settings.lists.delete.mutationOptions({
      onSuccess: async () => {
        onDeleted();
        await refresh();
      },
    }),
  );
}

/** The consent text versions. */
export function useConsentTexts() {
  const trpc = useTRPC();
  return useQuery(trpc.settings.consentTexts.list.queryOptions());
}

/** Records a new consent text version (versions are never changed). */
export function useAddConsentText(onSaved: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.settings.consentTexts.add.mutationOptions({
      onSuccess: async () => {
        onSaved();
        await queryClient.invalidateQueries({ queryKey: trpc.settings.consentTexts.pathKey() });
      },
    }),
  );
}

/** The SMTP profiles (passwords are in the secret store, never in these rows). */
export function useSmtpProfiles() {
  const trpc = useTRPC();
  return useQuery(trpc.smtp.list.queryOptions());
}

function useRefreshSmtpProfiles() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.smtp.list.queryKey() });
}

/** Adds an SMTP profile. */
export function useAddSmtpProfile(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshSmtpProfiles();
  return useMutation(
    trpc.smtp.add.mutationOptions({
      onSuccess: async () => {
        onSaved();
        await refresh();
      },
    }),
  );
}

/** Changes an SMTP profile (a new password included). */
export function useUpdateSmtpProfile(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshSmtpProfiles();
  return useMutation(
    trpc.smtp.update.mutationOptions({
      onSuccess: async () => {
        onSaved();
        await refresh();
      },
    }),
  );
}

/** Logs in to a profile's server without sending anything. */
export function useTestSmtpProfile() {
  const trpc = useTRPC();
  return useMutation(trpc.smtp.test.mutationOptions());
}
