import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

/** The mailboxes the intake reads (no passwords). */
export function useMailboxes() {
  const trpc = useTRPC();
  return useQuery(trpc.intake.list.queryOptions());
}

/** Adds a mailbox after a connection test; the password goes to the keychain. */
export function useAddMailbox() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.intake.add.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.intake.pathKey() }),
    }),
  );
}

/** Logs in, opens the folder, logs out. */
export function useTestMailbox() {
  const trpc = useTRPC();
  return useMutation(trpc.intake.test.mutationOptions());
}

/** Reads one mailbox now (the schedule does it on its own while the app is open). */
export function useRunIntake() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.intake.run.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.intake.pathKey() }),
    }),
  );
}

/** What arrived (refetched every half minute: the schedule adds to it in the background). */
export function useArrivals() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.intake.arrivals.queryOptions({ limit: 1000 }), refetchInterval: 30_000 });
}

/** The owner's decision on a reply the intake was unsure about: record the objection, or leave it. */
export function useReviewReply() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.intake.review.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.intake.pathKey() }),
    }),
  );
}

/** The stop wording recorded for a reply awaiting the owner (null for messages recorded before it was kept). */
export function reviewPhrase(outcome: unknown): string | null {
  const lines = (outcome as { lines?: { action?: string; phrase?: string | null }[] } | null)?.lines ?? [];
  return lines.find((line) => line.action === 'AWAITING_OWNER')?.phrase ?? null;
}

/** Receiving servers that refused the sender, newest first. */
export function useSenderAlerts() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.intake.alerts.queryOptions({}), refetchInterval: 30_000 });
}

/** Mailing subjects by id, to name a mailing in the arrivals. */
export function useMailingNames() {
  const trpc = useTRPC();
  return useQuery(trpc.mailings.list.queryOptions());
}

export interface ArrivalCounts {
  unsubscribes: number;
  hard: number;
  soft: number;
  complaints: number;
}

type Arrival = { mailingId: string | null; contactId: number | null; kind: string; outcome?: unknown };

/**
 * Counts per mailing and per contact from the recorded outcome lines (one line per recipient of a report).
 *
 * @example
 * summariseArrivals(messages).byMailing.get('m1'); // { unsubscribes: 2, hard: 1, soft: 0, complaints: 0 }
 */
export function summariseArrivals(messages: readonly Arrival[]) {
  const byMailing = new Map<string | null, ArrivalCounts>();
  const byContact = new Map<number, ArrivalCounts>();
  const bump = <K>(map: Map<K, ArrivalCounts>, key: K, field: keyof ArrivalCounts) => {
    const counts = map.get(key) ?? { unsubscribes: 0, hard: 0, soft: 0, complaints: 0 };
    counts[field] += 1;
    map.set(key, counts);
  };
  for (const message of messages) {
    const lines = (message.outcome as { lines?: { action?: string }[] } | null)?.lines ?? [];
    for (const line of lines) {
      const field = fieldOf(line.action ?? '');
      if (!field) continue;
      bump(byMailing, message.mailingId, field);
      if (message.contactId !== null) bump(byContact, message.contactId, field);
    }
  }
  return { byMailing, byContact };
}

function fieldOf(action: string): keyof ArrivalCounts | undefined {
  if (action === 'UNSUBSCRIBED' || action === 'OBJECTED') return 'unsubscribes';
  if (action === 'HARD_BOUNCE') return 'hard';
  if (action === 'SOFT_BOUNCE' || action === 'SOFT_BOUNCE_WEAK_ATTRIBUTION') return 'soft';
  if (action === 'COMPLAINT') return 'complaints';
  return undefined;
}
