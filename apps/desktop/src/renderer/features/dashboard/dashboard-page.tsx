import { Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../app/trpc.js';

/** The overview: database status now; contacts per class, recent mailings and attention items as the api grows. */
export function DashboardPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const info = useQuery(trpc.host.info.queryOptions());
  return (
    <Stack>
      <Title order={1}>{t('nav.dashboard')}</Title>
      <Card withBorder>
        <Text fw={600}>{t('status.database')}</Text>
        <Text size="sm">{info.data?.database.path}</Text>
      </Card>
    </Stack>
  );
}
