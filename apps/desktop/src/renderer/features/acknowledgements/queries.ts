import type { Lang } from '@consent-mailer/policy/vocabulary';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../app/api-types.js';
import { useTRPC, useTRPCClient } from '../../app/trpc.js';
import { downloadBase64, downloadText } from '../../components/download.js';
import { useHost } from '../../components/use-host.js';
import type { BundleVerification } from './verification-result.js';

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

/**
 * The api's full check of a stored acknowledgement: its export as an offline verify sees it, plus the
 * database columns against the signed document and the whole event chain, as one verification result.
 */
export function useCheckAcknowledgement(id: string) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  return useMutation({
    mutationFn: async (): Promise<{ result: BundleVerification; installationKey: boolean | null }> => {
      const check = await client.acknowledgements.check.query({ id });
      const chainBroken = (lng: Lang, chain: Extract<typeof check.chain, { ok: false }>) =>
        t('acknowledgements.verify.chainBroken', { lng, at: chain.brokenAt, reason: chain.reason });
      const chainProblems = check.chain.ok
        ? []
        : [
            {
              field: `eventChain[${check.chain.brokenAt}]`,
              text: { nl: chainBroken('nl', check.chain), en: chainBroken('en', check.chain) },
            },
          ];
      return {
        result: {
          valid: check.valid,
          // The stored one is checked against this installation's own key: pinned, when one is set here.
          keyPinned: check.installationKeyFingerprints.length > 0,
          problems: [
            // One line per problem, though the bundle, the columns and the trust check may each find it.
            ...new Map(
              [...check.bundle.problems, ...check.columns, ...check.trust, ...chainProblems].map(
                (problem) => [`${problem.field} ${problem.text.en}`, problem],
              ),
            ).values(),
          ],
          ...(check.bundle.summary ? { summary: check.bundle.summary } : {}),
        },
        installationKey: check.signedWithInstallationKey,
      };
    },
  });
}

/** Downloads the evidence bundle as JSON: the text the export writes, byte for byte. */
export function useDownloadBundle(id: string, fileName: string) {
  const client = useTRPCClient();
  return useMutation({
    mutationFn: async () =>
      downloadText(fileName, (await client.acknowledgements.bundle.query({ id })).json, 'application/json'),
  });
}

/** The browser host cannot hand the user a file the api wrote: the api sends the PDF's bytes instead. */
export function useDownloadPdf(id: string) {
  const client = useTRPCClient();
  return useMutation({
    mutationFn: async () => {
      const pdf = await client.acknowledgements.pdf.query({ id });
      downloadBase64(pdf.fileName, pdf.base64, 'application/pdf');
    },
  });
}

/** The folder part of a path from the save dialog (Windows or POSIX separators). */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

/**
 * Writes PDF and JSON: in Electron into the folder the user picks in the save dialog (null when they
 * cancel it), in the browser host into the export folder beside the database.
 */
export function useExportAcknowledgement(id: string, pdfName: string) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const host = useHost();
  return useMutation({
    mutationFn: async () => {
      if (host?.nativeDialogs) {
        const chosen = await client.host.saveFile.mutate({
          title: t('acknowledgements.export.chooseTitle'),
          defaultName: pdfName,
          filters: [{ name: 'PDF', extensions: ['pdf'] }],
        });
        if (chosen === null) return null;
        return client.acknowledgements.export.mutate({ id, dir: folderOf(chosen) });
      }
      return client.acknowledgements.export.mutate({ id });
    },
  });
}

/**
 * Verifies an exported JSON file: `acknowledgements.verify` needs no database, so a file from another
 * installation can be checked too; a typed key fingerprint pins the key it must be signed with.
 */
export function useVerifyFile() {
  const client = useTRPCClient();
  return useMutation({
    mutationFn: async ({ chosen, key }: { chosen: File; key: string }) =>
      client.acknowledgements.verify.query({
        text: await chosen.text(),
        ...(key.trim() === '' ? {} : { keyFingerprints: [key.trim()] }),
      }),
  });
}

type PrepareInput = RouterInputs['acknowledgements']['prepare'];

/** The acknowledgement text to sign, for this signer; read fresh each time (it names the current counts). */
export function usePrepareAcknowledgement(input: PrepareInput, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.acknowledgements.prepare.queryOptions(input), enabled, staleTime: 0 });
}

/** Signs the prepared acknowledgement; `onSigned` gets the signed one. */
export function useSignAcknowledgement(
  onSigned: (signed: RouterOutputs['acknowledgements']['sign']) => void,
) {
  const trpc = useTRPC();
  return useMutation(trpc.acknowledgements.sign.mutationOptions({ onSuccess: (signed) => onSigned(signed) }));
}
