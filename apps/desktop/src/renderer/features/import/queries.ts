import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { RouterInputs } from '../../app/api-types.js';
import { useTRPC } from '../../app/trpc.js';

type PreviewInput = Pick<RouterInputs['imports']['preview'], 'file' | 'overrides'>;

/**
 * The first rows of the chosen file with the detected format and mapping (nothing until a file is chosen).
 * The wizard and its preview step ask the same question, so they share one cache entry; the step keeps the
 * last answer on screen while a changed mapping is read again.
 */
export function useImportPreview(input: PreviewInput | null, options: { keepPrevious?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.imports.preview.queryOptions({
      file: input?.file ?? { path: '/' },
      overrides: input?.overrides ?? {},
      rows: 10,
    }),
    enabled: input !== null,
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

/** Starts an import as a background job. */
export function useStartImport(onStarted: (started: { jobId: string }) => void) {
  const trpc = useTRPC();
  return useMutation(trpc.imports.run.mutationOptions({ onSuccess: onStarted }));
}

/** After an import: new contacts change the contact list, the dashboard counts and the status bar. */
export function useImportFinished() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.system.pathKey() });
  }, [queryClient, trpc]);
}

/** A running import's progress, polled four times a second until it ends. */
export function useImportProgress(jobId: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.imports.progress.queryOptions({ jobId }),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 250 : false),
  });
}

/** Stops a running import between two chunks. */
export function useCancelImport() {
  const trpc = useTRPC();
  return useMutation(trpc.imports.cancel.mutationOptions());
}

/** An import's rejected rows with the reason per row, read when the owner opens them. */
export function useImportRejects(batchId: string, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.imports.rejects.queryOptions({ batchId }), enabled });
}

/** The desktop app's native file dialog. */
export function useOpenFileDialog() {
  const trpc = useTRPC();
  return useMutation(trpc.host.openFile.mutationOptions());
}
