import { Divider, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ComplaintDossierDrop } from '../proof/complaint-dossier-drop.js';
import { FeedbackImport } from './feedback-import.js';
import { SuppressionList } from './suppression-list.js';

/** "Never mail again": the suppression list and reading bounce and complaint messages. */
export function SuppressionsPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('suppressions.title')}
      </Title>
      <Text>{t('suppressions.intro')}</Text>
      <SuppressionList />
      <Divider my="md" />
      <FeedbackImport />
      <Divider my="md" />
      <ComplaintDossierDrop />
    </Stack>
  );
}
