import { Alert, Button, Code, CopyButton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { downloadBase64 } from '../../components/download.js';
import { useContactProof } from './queries.js';

/** The bundle just downloaded: its file name and the fingerprint of the key that signed it. */
export interface DownloadedProof {
  fileName: string;
  keyFingerprint: string;
}

/** "Download proof" on the contact page: the person's proof bundle as a ZIP. */
export function ProofDownloadButton({
  email,
  onDownloaded,
}: {
  email: string;
  onDownloaded: (proof: DownloadedProof) => void;
}) {
  const { t } = useTranslation();
  const proof = useContactProof();
  return (
    <>
      <Button
        variant="light"
        loading={proof.isPending}
        onClick={() =>
          proof.mutate(
            { email },
            {
              onSuccess: (bundle) => {
                if (bundle.base64 === null) return;
                downloadBase64(bundle.fileName, bundle.base64, 'application/zip');
                notifications.show({
                  color: 'teal',
                  message: t('proof.downloaded', { file: bundle.fileName }),
                });
                onDownloaded({ fileName: bundle.fileName, keyFingerprint: bundle.keyFingerprint });
              },
            },
          )
        }
      >
        {proof.isPending ? t('proof.downloading') : t('proof.download')}
      </Button>
      {proof.isError && <ErrorNotice error={proof.error} />}
    </>
  );
}

/**
 * How the receiver checks the bundle, shown until the page is left: the command in full (a toast would cut
 * the 71-character fingerprint and vanish) and why the fingerprint travels apart from the file.
 */
export function ProofCheckHint({ fileName, keyFingerprint }: DownloadedProof) {
  const { t } = useTranslation();
  const command = `consent-mailer verify ${fileName} --key ${keyFingerprint}`;
  return (
    <Alert color="teal" title={t('proof.check.title')} role="status">
      <Stack gap="xs">
        <Text size="sm">{t('proof.check.intro')}</Text>
        <Code
          block
          data-testid="proof-check-command"
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        >
          {command}
        </Code>
        <CopyButton value={command}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy} w="fit-content">
              {copied ? t('proof.check.copied') : t('proof.check.copy')}
            </Button>
          )}
        </CopyButton>
        <Text size="sm">{t('proof.check.key')}</Text>
      </Stack>
    </Alert>
  );
}
