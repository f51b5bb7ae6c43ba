import { Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useTRPCClient } from '../../app/trpc.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useHost } from '../../components/use-host.js';
import { downloadBase64, downloadText, layoutBundle } from './bundle-layout.js';
import { VerificationResult, type BundleVerification } from './verification-result.js';

/** The folder part of a path from the save dialog (Windows or POSIX separators). */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

/**
 * Verify and export one acknowledgement. Verify sends the evidence bundle, laid out exactly as the export
 * writes it, to the api's verifier. JSON is a download. In Electron the api writes PDF and JSON into the
 * folder the user picks in the save dialog; in the browser host the PDF is a download too (the api sends
 * its bytes), and PDF with JSON can still be written into the export folder beside the database.
 */
export function AcknowledgementActions({
  id,
  signedAt,
  verificationCode,
}: {
  id: string;
  signedAt: string;
  verificationCode: string;
}) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const host = useHost();
  const baseName = `acknowledgement-${signedAt.slice(0, 10)}-${verificationCode}`;
  // The stored acknowledgement gets the api's full check: its export as an offline verify sees it, plus the
  // database columns against the signed document and the whole event chain.
  const verify = useMutation({
    mutationFn: async (): Promise<{ result: BundleVerification; installationKey: boolean | null }> => {
      const check = await client.acknowledgements.check.query({ id });
      const chainProblems = check.chain.ok
        ? []
        : [
            {
              field: `eventChain[${check.chain.brokenAt}]`,
              text: {
                nl: t('acknowledgements.verify.chainBroken', {
                  lng: 'nl',
                  at: check.chain.brokenAt,
                  reason: check.chain.reason,
                }),
                en: t('acknowledgements.verify.chainBroken', {
                  lng: 'en',
                  at: check.chain.brokenAt,
                  reason: check.chain.reason,
                }),
              },
            },
          ];
      return {
        result: {
          valid: check.valid,
          // The stored one is checked against this installation's own key: pinned, when one is set here.
          keyPinned: check.installationKeyFingerprints.length > 0,
          problems: [
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
  const downloadJson = useMutation({
    mutationFn: async () =>
      downloadText(
        `${baseName}.json`,
        layoutBundle(await client.acknowledgements.bundle.query({ id })),
        'application/json',
      ),
  });
  // The browser host cannot hand the user a file the api wrote: the api sends the PDF's bytes instead.
  const downloadPdf = useMutation({
    mutationFn: async () => {
      const pdf = await client.acknowledgements.pdf.query({ id });
      downloadBase64(pdf.fileName, pdf.base64, 'application/pdf');
    },
  });
  const exportFiles = useMutation({
    mutationFn: async () => {
      if (host?.nativeDialogs) {
        const chosen = await client.host.saveFile.mutate({
          title: t('acknowledgements.export.chooseTitle'),
          defaultName: `${baseName}.pdf`,
          filters: [{ name: 'PDF', extensions: ['pdf'] }],
        });
        if (chosen === null) return null;
        return client.acknowledgements.export.mutate({ id, dir: folderOf(chosen) });
      }
      return client.acknowledgements.export.mutate({ id });
    },
  });
  return (
    <Card withBorder component="section" aria-labelledby="ack-actions-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="ack-actions-title">
          {t('acknowledgements.verify.title')} · {t('acknowledgements.export.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('acknowledgements.verify.intro')}
        </Text>
        <Group>
          <Button onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('acknowledgements.verify.thisOne')}
          </Button>
          <Button variant="light" onClick={() => downloadJson.mutate()} loading={downloadJson.isPending}>
            {t('acknowledgements.export.json')}
          </Button>
          {host && !host.nativeDialogs && (
            <Button variant="light" onClick={() => downloadPdf.mutate()} loading={downloadPdf.isPending}>
              {t('acknowledgements.export.pdfDownload')}
            </Button>
          )}
          <Button variant="light" onClick={() => exportFiles.mutate()} loading={exportFiles.isPending}>
            {host?.nativeDialogs ? t('acknowledgements.export.pdf') : t('acknowledgements.export.pdfBrowser')}
          </Button>
        </Group>
        {host && !host.nativeDialogs && (
          <Text size="xs" c="dimmed">
            {t('acknowledgements.export.browserNote')}
          </Text>
        )}
        {verify.data && <VerificationResult result={verify.data.result} />}
        {verify.data && verify.data.installationKey !== null && (
          <Text size="sm" data-testid="installation-key">
            {verify.data.installationKey
              ? t('acknowledgements.verify.installationKey')
              : t('acknowledgements.verify.otherKey')}
          </Text>
        )}
        {exportFiles.data && (
          <Stack gap={2} role="status">
            <Text size="sm" fw={600}>
              {t('acknowledgements.export.written')}
            </Text>
            <Code block data-testid="exported-pdf">
              {exportFiles.data.pdf}
            </Code>
            <Code block>{exportFiles.data.json}</Code>
          </Stack>
        )}
        {[verify.error, downloadJson.error, downloadPdf.error, exportFiles.error].map((error, index) =>
          error ? <ErrorNotice key={index} error={error} /> : null,
        )}
      </Stack>
    </Card>
  );
}
