import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { useHost } from '../../components/use-host.js';
import {
  useCheckAcknowledgement,
  useDownloadBundle,
  useDownloadPdf,
  useExportAcknowledgement,
} from './queries.js';
import { VerificationResult } from './verification-result.js';
import { SectionCard } from '../../components/section-card.js';

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
  const host = useHost();
  const baseName = `acknowledgement-${signedAt.slice(0, 10)}-${verificationCode}`;
  const verify = useCheckAcknowledgement(id);
  const downloadJson = useDownloadBundle(id, `${baseName}.json`);
  const downloadPdf = useDownloadPdf(id);
  const exportFiles = useExportAcknowledgement(id, `${baseName}.pdf`);
  return (
    <SectionCard
      id="ack-actions-title"
      title={`${t('acknowledgements.verify.title')} · ${t('acknowledgements.export.title')}`}
      gap="sm"
    >
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
    </SectionCard>
  );
}
