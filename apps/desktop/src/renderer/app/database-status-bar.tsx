import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { HostInfo } from '../../shared/host-services.js';
import { useTRPC } from './trpc.js';

/**
 * The footer: whether the database is healthy (schema, integrity, the event chain verified by
 * `system.status`), where it is, and which host runs the app.
 */
export function DatabaseStatusBar({ host }: { host: HostInfo }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  // The status walks the whole event chain: once at start, and again only when the user comes back later.
  const status = useQuery({ ...trpc.system.status.queryOptions(), staleTime: 60_000 });
  const healthy = status.data
    ? status.data.chain.ok &&
      (status.data.integrity?.length ?? 0) === 0 &&
      status.data.pendingMigrations.length === 0
    : undefined;
  return (
    <Group h="100%" gap="sm" wrap="nowrap" role="status" aria-label={t('status.database')}>
      {status.isPending && (
        <Badge color="gray" variant="light">
          {t('status.checking')}
        </Badge>
      )}
      {status.isError && (
        <Badge color="red" variant="filled">
          {t('status.unavailable')}
        </Badge>
      )}
      {healthy === true && (
        <Badge color="teal" variant="light" style={{ flexShrink: 0 }}>
          {t('status.ok')}
        </Badge>
      )}
      {healthy === false && (
        <Badge color="red" variant="filled" style={{ flexShrink: 0 }}>
          {t('status.problem')}
        </Badge>
      )}
      {status.data && (
        <Text size="xs" c="dimmed" style={{ flexShrink: 1, minWidth: 0 }} truncate="end">
          {t('status.summary', {
            schema: status.data.schemaVersion ?? '—',
            contacts: status.data.counts.contacts.toLocaleString(i18n.language),
            events: status.data.counts.events.toLocaleString(i18n.language),
          })}
          {' · '}
          {status.data.chain.ok ? t('status.chainOk') : t('status.chainBroken')}
        </Text>
      )}
      <Tooltip label={host.database.path}>
        <Text size="xs" c="dimmed" truncate="start" maw={420}>
          {t('status.path')}: {host.database.path}
        </Text>
      </Tooltip>
      <Text size="xs" c="dimmed" ml="auto" style={{ flexShrink: 0 }}>
        {t('status.host')}: {host.kind === 'electron' ? t('status.hostElectron') : t('status.hostBrowser')}
      </Text>
    </Group>
  );
}
