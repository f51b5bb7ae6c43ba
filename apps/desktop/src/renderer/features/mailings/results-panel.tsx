import { Alert, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { DonutChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { useResolveUncertain } from './queries.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import { SectionCard } from '../../components/section-card.js';

type StatusDetail = RouterOutputs['mailings']['status'];
/** The delivery states, each with its words under `mailings.results`. */
export const STATES = [
  'SENT',
  'FAILED',
  'UNCERTAIN',
  'DEFERRED',
  'QUEUED',
  'SENDING',
  'SKIPPED',
  'CANCELLED',
] as const;
export type DeliveryState = (typeof STATES)[number];
/** Whether a stored delivery state is one this screen has words for. */
export const isDeliveryState = (state: string): state is DeliveryState =>
  (STATES as readonly string[]).includes(state);
const STATE_COLORS: Record<(typeof STATES)[number], string> = {
  SENT: 'teal.6',
  FAILED: 'red.6',
  UNCERTAIN: 'orange.6',
  DEFERRED: 'yellow.6',
  QUEUED: 'gray.4',
  SENDING: 'cyan.6',
  SKIPPED: 'gray.6',
  CANCELLED: 'dark.3',
};

/**
 * What happened to the mailing: counts per delivery state, and the deliveries a crash left uncertain, for the
 * owner to resend (risking a second copy) or skip (risking none).
 */
export function ResultsPanel({
  mailingId,
  deliveries,
  uncertain,
  onChanged,
}: {
  mailingId: string;
  deliveries: StatusDetail['mailing']['deliveries'];
  uncertain: StatusDetail['uncertain'];
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const resolve = useResolveUncertain(onChanged);
  const shown = STATES.filter((state) => deliveries[state] > 0);
  return (
    <SectionCard id="results-title" title={t('mailings.results.title')} size="h3" gap="sm">
      {deliveries.total === 0 && <Text size="sm">{t('mailings.results.none')}</Text>}
      {deliveries.total > 0 && (
        <Group align="flex-start" gap="xl">
          <Table withTableBorder w="auto" miw={320} aria-label={t('mailings.results.label')}>
            <Table.Tbody>
              {shown.map((state) => (
                <Table.Tr key={state}>
                  <Table.Td>{t(`mailings.results.${state}`)}</Table.Td>
                  <Table.Td ta="right" data-state={state}>
                    {deliveries[state].toLocaleString(lang)}
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td fw={700}>{t('mailings.results.total')}</Table.Td>
                <Table.Td ta="right" fw={700}>
                  {deliveries.total.toLocaleString(lang)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <DonutChart
            size={150}
            thickness={24}
            aria-hidden
            data={shown.map((state) => ({
              name: t(`mailings.results.${state}`),
              value: deliveries[state],
              color: STATE_COLORS[state],
            }))}
            withTooltip
          />
        </Group>
      )}
      {uncertain.length > 0 && (
        <Stack gap="xs" component="section" aria-labelledby="uncertain-title">
          <Title order={3} size="h4" id="uncertain-title">
            {t('mailings.results.uncertainTitle')}
          </Title>
          <Alert color="orange">{t('mailings.results.uncertainIntro')}</Alert>
          <Table withTableBorder aria-label={t('mailings.results.uncertainTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mailings.assessment.email')}</Table.Th>
                <Table.Th>{t('mailings.results.handedOver')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {uncertain.map((delivery) => (
                <Table.Tr key={delivery.id}>
                  <Table.Td>{delivery.email ?? '–'}</Table.Td>
                  <Table.Td>{formatDateTime(delivery.handedOverAt ?? delivery.uncertainAt, lang)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() =>
                          resolve.mutate({ id: mailingId, decision: 'RESEND', deliveryIds: [delivery.id] })
                        }
                        aria-label={`${t('mailings.results.resend')}: ${delivery.email ?? delivery.id}`}
                      >
                        {t('mailings.results.resend')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() =>
                          resolve.mutate({ id: mailingId, decision: 'SKIP', deliveryIds: [delivery.id] })
                        }
                        aria-label={`${t('mailings.results.skip')}: ${delivery.email ?? delivery.id}`}
                      >
                        {t('mailings.results.skip')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button
              variant="light"
              onClick={() => resolve.mutate({ id: mailingId, decision: 'RESEND' })}
              loading={resolve.isPending}
            >
              {t('mailings.results.resend')} ({uncertain.length})
            </Button>
            <Button
              variant="default"
              onClick={() => resolve.mutate({ id: mailingId, decision: 'SKIP' })}
              loading={resolve.isPending}
            >
              {t('mailings.results.skip')} ({uncertain.length})
            </Button>
          </Group>
          {resolve.isSuccess && (
            <Text size="sm">{t('mailings.results.resolved', { count: resolve.data.resolved })}</Text>
          )}
        </Stack>
      )}
      {resolve.isError && <ErrorNotice error={resolve.error} />}
    </SectionCard>
  );
}
