import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../components/error-notice.js';
import { StartupErrorScreen } from '../features/startup/startup-error-screen.js';
import { AppLayout } from './app-layout.js';
import { useTRPC } from './trpc.js';

/** Asks the host whether the database opened, then shows either the app or the startup error screen. */
export function AppRoot() {
  const trpc = useTRPC();
  const { t } = useTranslation();
  const info = useQuery(trpc.host.info.queryOptions());
  if (info.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (info.isError) {
    return (
      <Center h="100vh" p="xl">
        <ErrorNotice error={info.error} onRetry={() => void info.refetch()} />
      </Center>
    );
  }
  if (!info.data.database.ok) return <StartupErrorScreen startup={info.data.database} />;
  return <AppLayout host={info.data} />;
}
