import { Alert, Anchor, Badge, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { mailingsMessages } from '../mailings/mailings.messages.js';
import { isSuppressionSource } from '../suppressions/suppressions.messages.js';
import { ContactClassChart } from './contact-class-chart.js';
import { useDashboardData } from './queries.js';

const LAPSE_RULES = ['M10', 'M13', 'M14'] as const;

/** The rule code a stored lapse reason starts with ("M13 abuse notice …"), to name it in the user's language. */
function lapseRule(reason: string | null): (typeof LAPSE_RULES)[number] | 'other' {
  const code = reason?.split(' ')[0];
  return LAPSE_RULES.find((rule) => rule === code) ?? 'other';
}

const COUNT_KEYS = ['contacts', 'consents', 'suppressions', 'mailings', 'events'] as const;
type MailingStatusKey = keyof typeof mailingsMessages.nl.statuses;

function isMailingStatus(status: string): status is MailingStatusKey {
  return status in mailingsMessages.nl.statuses;
}

/** The overview: counts, contacts per class, recent mailings with their progress, and what needs attention (complaints, lapsed acknowledgements, failed sends, a broken log). */
export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { status, mailings, suppressions, entities, profiles, acknowledgements } = useDashboardData();
  const formatDate = (value: string) =>
    new Date(value).toLocaleDateString(i18n.language, { dateStyle: 'medium' });
  const number = (value: number) => value.toLocaleString(i18n.language);

  const complaints = (suppressions.data ?? [])
    .filter((row) => row.reason === 'COMPLAINT')
    .slice(-5)
    .reverse();
  const failing = (mailings.data ?? []).filter(
    (mailing) => mailing.deliveries.FAILED > 0 || mailing.lastError !== null,
  );
  const attention = [
    ...(status.data && !status.data.chain.ok
      ? [
          {
            key: 'chain',
            color: 'red',
            href: null,
            text: t('dashboard.attention.chainBroken', { seq: status.data.chain.brokenAt }),
          },
        ]
      : []),
    ...complaints.map((row) => ({
      key: `complaint-${row.id}`,
      color: 'orange',
      href: null,
      text: t('dashboard.attention.complaint', {
        source: isSuppressionSource(row.source) ? t(`suppressions.sources.${row.source}`) : row.source,
        date: formatDate(row.created_at),
      }),
    })),
    ...(acknowledgements.data ?? [])
      .filter((item) => item.lapsedAt !== null)
      .map((item) => ({
        key: `lapsed-${item.id}`,
        color: 'orange',
        href: routeHref('acknowledgements', item.id),
        text: t('dashboard.attention.lapsed', {
          code: item.verificationCode,
          signer: item.signerName,
          date: formatDate(item.signedAt),
          reason: t(`dashboard.lapseRules.${lapseRule(item.lapseReason)}`),
        }),
      })),
    ...failing.map((mailing) => ({
      key: `mailing-${mailing.id}`,
      color: 'red',
      href: routeHref('mailings', mailing.id),
      text: mailing.lastError
        ? t('dashboard.attention.mailingError', { name: mailing.name, message: mailing.lastError.message })
        : t('dashboard.attention.failedSend', { name: mailing.name, count: mailing.deliveries.FAILED }),
    })),
  ];
  const gettingStarted = [
    {
      done: (entities.data?.length ?? 0) > 0,
      text: t('dashboard.start.entity'),
      href: routeHref('settings', 'entities'),
    },
    {
      done: (profiles.data?.length ?? 0) > 0,
      text: t('dashboard.start.smtp'),
      href: routeHref('settings', 'smtp'),
    },
    {
      done: (status.data?.counts.contacts ?? 0) > 0,
      text: t('dashboard.start.import'),
      href: routeHref('import'),
    },
  ];

  return (
    <Stack>
      <Title order={1}>{t('dashboard.title')}</Title>
      {status.isError && <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />}
      {gettingStarted.some((step) => !step.done) && entities.data && profiles.data && status.data && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('dashboard.start.title')}
          </Title>
          <List spacing={4}>
            {gettingStarted.map((step) => (
              <List.Item
                key={step.href}
                icon={<Badge size="xs" circle color={step.done ? 'teal' : 'gray'} aria-hidden />}
              >
                {step.done ? (
                  <Text td="line-through" c="dimmed">
                    {step.text}
                  </Text>
                ) : (
                  <Anchor href={step.href}>{step.text}</Anchor>
                )}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      <SimpleGrid cols={{ base: 2, md: 5 }} aria-label={t('dashboard.counts.label')} role="group">
        {COUNT_KEYS.map((key) => (
          <Card key={key} withBorder padding="sm">
            <Text size="xs" c="dimmed">
              {t(`dashboard.counts.${key}`)}
            </Text>
            <Text size="xl" fw={700}>
              {status.data ? number(status.data.counts[key]) : '…'}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <ContactClassChart />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('dashboard.attention.title')}
          </Title>
          {attention.length === 0 ? (
            <Text size="sm">{t('dashboard.attention.none')}</Text>
          ) : (
            <Stack gap="xs">
              {attention.map((item) => (
                <Alert key={item.key} color={item.color} p="xs">
                  {item.href === null ? (
                    item.text
                  ) : (
                    <Anchor href={item.href} size="sm" c="inherit" underline="always">
                      {item.text}
                    </Anchor>
                  )}
                </Alert>
              ))}
            </Stack>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('dashboard.recent.title')}
          </Title>
          {mailings.isError && <ErrorNotice error={mailings.error} />}
          {mailings.data?.length === 0 && <Text size="sm">{t('dashboard.recent.empty')}</Text>}
          <Stack gap="xs">
            {(mailings.data ?? []).slice(0, 5).map((mailing) => (
              <Group key={mailing.id} justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Anchor href={routeHref('mailings', mailing.id)} fw={600}>
                    {mailing.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.recent.sent', {
                      sent: number(mailing.deliveries.SENT),
                      total: number(mailing.deliveries.total),
                    })}
                    {mailing.deliveries.FAILED > 0 &&
                      ` · ${t('dashboard.recent.failed', { count: mailing.deliveries.FAILED })}`}
                  </Text>
                </Stack>
                <Badge variant="light" tt="none">
                  {isMailingStatus(mailing.status)
                    ? t(`mailings.statuses.${mailing.status}`)
                    : mailing.status}
                </Badge>
              </Group>
            ))}
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
