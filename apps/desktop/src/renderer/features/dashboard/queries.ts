import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';
import { useEntities, useSmtpProfiles } from '../settings/queries.js';

/** What the overview shows: the database's counts, mailings, recent suppressions, the set-up, acknowledgements. */
export function useDashboardData() {
  const trpc = useTRPC();
  return {
    // The counts walk nothing but are read on every visit: a minute old is fresh enough.
    status: useQuery({ ...trpc.system.status.queryOptions(), staleTime: 60_000 }),
    mailings: useQuery(trpc.mailings.list.queryOptions()),
    suppressions: useQuery(trpc.suppressions.list.queryOptions({ limit: 200 })),
    entities: useEntities(),
    profiles: useSmtpProfiles(),
    acknowledgements: useQuery(trpc.acknowledgements.list.queryOptions({})),
  };
}

/** Contacts per class after their latest assessment. */
export function useContactClassCounts() {
  const trpc = useTRPC();
  return useQuery(trpc.contacts.countByClass.queryOptions());
}
