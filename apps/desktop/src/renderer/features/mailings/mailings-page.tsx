import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Mailings: the list, compose with preview, the assessment, the acknowledgement, sending and results. */
export function MailingsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('mailings.title')}</Title>
    </Stack>
  );
}
