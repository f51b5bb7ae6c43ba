import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../app/trpc.js';

/**
 * The mailing's verdict as the rules see it now, for a look: the api writes nothing for it, and it holds both
 * languages, so opening the page or switching language never runs (or records) an assessment again.
 */
export function useMailingAssessment(id: string, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.mailings.assessment.queryOptions({ id }), enabled });
}

/**
 * The owner's explicit "assess": recorded (assessment row, each contact's class, DRAFT -> ASSESSED), so the
 * look, the mailing's status and the lists that show classes are refreshed after it.
 */
export function useAssessMailing(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation({
    ...trpc.mailings.assess.mutationOptions(),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.mailings.assessment.queryKey({ id }) }),
        queryClient.invalidateQueries({ queryKey: trpc.mailings.status.queryKey({ id }) }),
        queryClient.invalidateQueries({ queryKey: trpc.mailings.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
      ]);
    },
  });
}

/** The mailing as a chosen contact (or the example person) will receive it, footer and all. */
export function useMailingPreview(id: string, email: string | undefined) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.mailings.preview.queryOptions(email === undefined ? { id } : { id, email }),
    retry: false,
  });
}

/** One signed test copy to the business's own address. */
export function useTestSendMailing() {
  const trpc = useTRPC();
  return useMutation(trpc.mailings.testSend.mutationOptions());
}
