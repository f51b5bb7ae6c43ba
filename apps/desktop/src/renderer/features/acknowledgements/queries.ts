import { useQuery } from '@tanstack/react-query';
import type { RouterInputs } from '../../app/api-types.js';
import { useTRPC } from '../../app/trpc.js';

type ListFilter = NonNullable<RouterInputs['acknowledgements']['list']>;

/** The signed acknowledgements, filtered by date, sender and signer. */
export function useAcknowledgements(filter: ListFilter) {
  const trpc = useTRPC();
  return useQuery(trpc.acknowledgements.list.queryOptions(filter));
}

/**
 * One acknowledgement with its verification, always read fresh on arrival: a lapse (abuse notice, M13) can
 * be recorded by the send or another process at any moment, and the accountant must never see an older
 * "valid" from the cache.
 */
export function useAcknowledgement(id: string) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.acknowledgements.show.queryOptions({ id }), refetchOnMount: 'always' });
}
