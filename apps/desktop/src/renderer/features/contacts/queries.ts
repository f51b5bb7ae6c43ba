import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { refreshThen } from '../../app/after-refresh.js';
import type { RouterInputs, RouterOutputs } from '../../app/api-types.js';
import { useTRPC, useTRPCClient } from '../../app/trpc.js';
import { useConsentTexts, useEntities, useLists } from '../settings/queries.js';

// The contacts screens' data: every change reads again what it changes before the dialog closes (the page
// under it shows the person as changed), so a form only says what it shows after it.

/** The senders, lists and consent texts (phone scripts, form texts) the add-contact form chooses from. */
export function useContactFormOptions() {
  return { entities: useEntities(), lists: useLists(), texts: useConsentTexts() };
}

export type ContactFilters = Omit<RouterInputs['contacts']['list'], 'after' | 'limit'>;

const PAGE_SIZE = 200;

/** The contact list in pages of 200 by the api's keyset cursor, for the virtualised table to fetch as it scrolls. */
export function useContactPages(filters: ContactFilters) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  return useInfiniteQuery({
    // Under the procedure's own key, so invalidating `contacts` (after an import or erase) refreshes it.
    queryKey: [...trpc.contacts.list.queryKey(), { filters, kind: 'pages' }],
    queryFn: ({ pageParam, signal }) =>
      client.contacts.list.query({ ...filters, limit: PAGE_SIZE, after: pageParam }, { signal }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One contact with its consents, suppressions, lists and history. */
export function useContact(email: string) {
  const trpc = useTRPC();
  return useQuery(trpc.contacts.get.queryOptions({ email }));
}

/**
 * Reads again what a change to a person touches: the contact, the contact list, and the counts on the
 * overview and in the status bar.
 */
function useRefreshContacts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.system.pathKey() }),
    ]);
}

/**
 * Adds a contact (or extends the one with that address) with its consent; afterwards the contact list,
 * the contact itself and the counts are read again.
 */
export function useAddContact(onSaved: (result: RouterOutputs['contacts']['add']) => void) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  return useMutation(trpc.contacts.add.mutationOptions(refreshThen(refresh, onSaved)));
}

/** Accepts a suggested fix of a mistyped domain: the contact moves to the corrected address. */
export function useCorrectDomain(onSaved: (result: RouterOutputs['contacts']['correctDomain']) => void) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  return useMutation(trpc.contacts.correctDomain.mutationOptions(refreshThen(refresh, onSaved)));
}

/**
 * Corrects what was typed wrong in a consent's evidence (a phone call, a paper form, an existing customer's
 * order); a customer's class may change with it, so the contact list and the counts are read again too.
 */
export function useCorrectEvidence(onSaved: (result: RouterOutputs['contacts']['correctEvidence']) => void) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  return useMutation(trpc.contacts.correctEvidence.mutationOptions(refreshThen(refresh, onSaved)));
}

/** Records an unsubscribe: the person is suppressed for every later mailing. */
export function useRecordUnsubscribe(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  return useMutation(trpc.suppressions.unsubscribe.mutationOptions(refreshThen(refresh, onSaved)));
}

/** Records a complaint (from the person, a provider or the ACM): the person is suppressed from then on. */
export function useRecordComplaint(onSaved: () => void) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  return useMutation(trpc.suppressions.complaint.mutationOptions(refreshThen(refresh, onSaved)));
}

/** Erases a person; `onErased` gets the receipt that says what was kept and why. */
export function useEraseContact(onErased: (result: RouterOutputs['contacts']['erase']) => void) {
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  return useMutation(trpc.contacts.erase.mutationOptions(refreshThen(refresh, onErased)));
}
