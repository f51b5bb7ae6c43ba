import { FileInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { useVerifyFile } from './queries.js';
import { VerificationResult } from './verification-result.js';

/**
 * Verifies an exported JSON file the accountant picks: its text goes to `acknowledgements.verify`, which
 * needs no database, so a file from another installation can be checked too.
 */
export function VerifyFile() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [fingerprint, setFingerprint] = useState('');
  const verify = useVerifyFile();
  return (
    <Stack gap="xs">
      <FileInput
        label={t('acknowledgements.verify.file')}
        placeholder={t('acknowledgements.verify.filePlaceholder')}
        accept="application/json,.json"
        value={file}
        clearable
        onChange={(chosen) => {
          setFile(chosen);
          verify.reset();
          if (chosen) verify.mutate({ chosen, key: fingerprint });
        }}
      />
      <TextInput
        label={t('acknowledgements.verify.keyFingerprint')}
        description={t('acknowledgements.verify.keyFingerprintHint')}
        value={fingerprint}
        spellCheck={false}
        ff="monospace"
        onChange={(event) => {
          const key = event.currentTarget.value;
          setFingerprint(key);
          verify.reset();
          if (file) verify.mutate({ chosen: file, key });
        }}
      />
      {verify.isError && <ErrorNotice error={verify.error} />}
      {verify.data && <VerificationResult result={verify.data} />}
    </Stack>
  );
}
