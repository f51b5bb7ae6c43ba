import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { downloadBase64 } from '../acknowledgements/bundle-layout.js';
import { useContactProof } from './queries.js';

/** "Download proof" on the contact page: the person's proof bundle as a ZIP. */
export function ProofDownloadButton({ email }: { email: string }) {
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
                  message: t('proof.downloaded', { file: bundle.fileName, key: bundle.keyFingerprint }),
                });
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
