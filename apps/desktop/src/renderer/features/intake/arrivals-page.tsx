import { Alert, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import {
  summariseArrivals,
  useArrivals,
  useMailboxes,
  useMailingNames,
  useSenderAlerts,
  type ArrivalCounts,
} from './queries.js';

const ALERT_CATEGORIES = ['AUTHENTICATION', 'BLOCKLISTED', 'POLICY_BLOCK'] as const;
const SOURCES = ['SMTP', 'INTAKE'] as const;
/** Mirrors the intake's SENDER_ALERTS_TO_PAUSE (the renderer imports no back-end package). */
const ALERTS_TO_PAUSE = 5;

/** Arrivals: what the mailbox intake brought in, per mailing and per contact, and the sender alerts. */
export function ArrivalsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const mailboxes = useMailboxes();
  const arrivals = useArrivals();
  const alerts = useSenderAlerts();
  const mailings = useMailingNames();
  const names = new Map((mailings.data ?? []).map((m) => [m.id, m.name]));
  const summary = summariseArrivals(arrivals.data?.messages ?? []);
  const when = (iso: string) =>
    new Date(iso).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
  const head = (first: string) => (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>{first}</Table.Th>
        <Table.Th>{t('intake.arrivals.unsubscribes')}</Table.Th>
        <Table.Th>{t('intake.arrivals.hard')}</Table.Th>
        <Table.Th>{t('intake.arrivals.soft')}</Table.Th>
        <Table.Th>{t('intake.arrivals.complaints')}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
  const cells = (counts: ArrivalCounts) => (
    <>
      <Table.Td>{counts.unsubscribes}</Table.Td>
      <Table.Td>{counts.hard}</Table.Td>
      <Table.Td>{counts.soft}</Table.Td>
      <Table.Td>{counts.complaints}</Table.Td>
    </>
  );
  const category = (value: string) =>
    t(`intake.arrivals.categories.${ALERT_CATEGORIES.find((c) => c === value) ?? 'OTHER'}`);
  const source = (value: string) => {
    const known = SOURCES.find((candidate) => candidate === value);
    return known ? t(`intake.arrivals.alertSources.${known}`) : '';
  };
  return (
    <Stack>
      <Title order={1}>{t('intake.arrivals.title')}</Title>
      <Text c="dimmed">{t('intake.arrivals.intro')}</Text>
      {mailboxes.data && mailboxes.data.length === 0 && (
        <Alert color="blue">
          <a href={routeHref('settings', 'intake')}>{t('intake.arrivals.noMailboxes')}</a>
        </Alert>
      )}
      {(arrivals.isError || alerts.isError) && (
        <ErrorNotice error={arrivals.error ?? alerts.error} onRetry={() => void arrivals.refetch()} />
      )}
      <Card withBorder component="section" aria-labelledby="alerts-title">
        <Stack gap="xs">
          <Title order={2} size="h4" id="alerts-title">
            {t('intake.arrivals.alertsTitle')}
          </Title>
          {alerts.data && alerts.data.length === 0 && <Text>{t('intake.arrivals.noAlerts')}</Text>}
          {alerts.data && alerts.data.length > 0 && (
            <>
              <Text size="sm" c="dimmed">
                {t('intake.arrivals.pauseNote', { count: ALERTS_TO_PAUSE })}
              </Text>
              <Table withTableBorder aria-label={t('intake.arrivals.alertsTitle')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('intake.arrivals.alertWhen')}</Table.Th>
                    <Table.Th>{t('intake.arrivals.alertWhat')}</Table.Th>
                    <Table.Th>{t('intake.arrivals.mailing')}</Table.Th>
                    <Table.Th>{t('intake.arrivals.alertDomain')}</Table.Th>
                    <Table.Th>{t('intake.arrivals.alertDetail')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {alerts.data.map((alert) => (
                    <Table.Tr key={alert.id}>
                      <Table.Td>
                        {when(alert.receivedAt)}
                        <Text size="xs" c="dimmed">
                          {source(alert.source)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{category(alert.category)}</Table.Td>
                      <Table.Td>
                        {alert.mailingId
                          ? (names.get(alert.mailingId) ?? '')
                          : t('intake.arrivals.noMailing')}
                      </Table.Td>
                      <Table.Td>{alert.recipientDomain ?? ''}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>
                        <Text size="xs">{[alert.status, alert.diagnostic].filter(Boolean).join(' ')}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      </Card>
      <Card withBorder component="section" aria-labelledby="per-mailing-title">
        <Stack gap="xs">
          <Title order={2} size="h4" id="per-mailing-title">
            {t('intake.arrivals.perMailing')}
          </Title>
          {summary.byMailing.size === 0 ? (
            <Text>{t('intake.arrivals.empty')}</Text>
          ) : (
            <Table withTableBorder aria-label={t('intake.arrivals.perMailing')}>
              {head(t('intake.arrivals.mailing'))}
              <Table.Tbody>
                {[...summary.byMailing].map(([id, counts]) => (
                  <Table.Tr key={id ?? 'none'}>
                    <Table.Td>
                      {id === null ? (
                        t('intake.arrivals.noMailing')
                      ) : (
                        <a href={routeHref('mailings', id)}>{names.get(id) ?? id}</a>
                      )}
                    </Table.Td>
                    {cells(counts)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Card>
      <Card withBorder component="section" aria-labelledby="per-contact-title">
        <Stack gap="xs">
          <Title order={2} size="h4" id="per-contact-title">
            {t('intake.arrivals.perContact')}
          </Title>
          {summary.byContact.size === 0 ? (
            <Text>{t('intake.arrivals.empty')}</Text>
          ) : (
            <Table withTableBorder aria-label={t('intake.arrivals.perContact')}>
              {head(t('intake.arrivals.contact'))}
              <Table.Tbody>
                {[...summary.byContact].map(([id, counts]) => (
                  <Table.Tr key={id}>
                    <Table.Td>
                      <a href={routeHref('contacts', id)}>#{id}</a>
                    </Table.Td>
                    {cells(counts)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {arrivals.data && arrivals.data.messages.some((m) => m.needsReview) && (
            <Text size="sm">
              {t('intake.arrivals.review', {
                count: arrivals.data.messages.filter((m) => m.needsReview).length,
              })}
            </Text>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
