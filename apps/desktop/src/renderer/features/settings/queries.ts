import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { afterRefresh } from '../../app/after-refresh.js';
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
  return useMutation(trpc.entities.add.mutationOptions(afterRefresh(refresh, onSaved)));
}

/** Changes a sender entity (its id stays: consents refer to it). */
export function useUpdateEntity(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshEntities();
  return useMutation(trpc.entities.update.mutationOptions(afterRefresh(refresh, onSaved)));
}

/** Deletes a sender entity nothing refers to (the store refuses otherwise and says why). */
export function useDeleteEntity(onDeleted: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshEntities();
  return useMutation(trpc.entities.delete.mutationOptions(afterRefresh(refresh, onDeleted)));
}

/** The lists with their member counts; archived ones too where a page names lists a contact was on. */
export function useLists(filter?: { includeArchived: boolean }) {
  const trpc = useTRPC();
  return useQuery(trpc.settings.lists.list.queryOptions(filter));
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
  return useMutation(trpc.settings.lists.create.mutationOptions(afterRefresh(refresh, onSaved)));
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
  return useMutation(trpc.settings.lists.delete.mutationOptions(afterRefresh(refresh, onDeleted)));
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
    trpc.settings.consentTexts.add.mutationOptions(
      afterRefresh(
        () => queryClient.invalidateQueries({ queryKey: trpc.settings.consentTexts.pathKey() }),
        onSaved,
      ),
    ),
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
  return useMutation(trpc.smtp.add.mutationOptions(afterRefresh(refresh, onSaved)));
}

/** Changes an SMTP profile (a new password included). */
export function useUpdateSmtpProfile(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshSmtpProfiles();
  return useMutation(trpc.smtp.update.mutationOptions(afterRefresh(refresh, onSaved)));
}

/** Logs in to a profile's server without sending anything. */
export function useTestSmtpProfile() {
  const trpc = useTRPC();
  return useMutation(trpc.smtp.test.mutationOptions());
}
