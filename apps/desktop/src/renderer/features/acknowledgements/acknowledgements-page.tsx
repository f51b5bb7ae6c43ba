import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Acknowledgements, the accountant's view: list, detail, verify, export. */
export function AcknowledgementsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('acknowledgements.title')}</Title>
    </Stack>
  );
}
