import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';

/** The host's info (kind, database, dialogs); loaded once at start, so this never waits in practice. */
export function useHost() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.host.info.queryOptions(), staleTime: Number.POSITIVE_INFINITY }).data;
}
