import { FileInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPCClient } from '../../app/trpc.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { VerificationResult } from './verification-result.js';

/**
 * Verifies an exported JSON file the accountant picks: its text goes to `acknowledgements.verify`, which
 * needs no database, so a file from another installation can be checked too.
 */
export function VerifyFile() {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const [file, setFile] = useState<File | null>(null);
  const [fingerprint, setFingerprint] = useState('');
  const verify = useMutation({
    mutationFn: async ({ chosen, key }: { chosen: File; key: string }) =>
      client.acknowledgements.verify.query({
        text: await chosen.text(),
        ...(key.trim() === '' ? {} : { keyFingerprints: [key.trim()] }),
      }),
  });
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
