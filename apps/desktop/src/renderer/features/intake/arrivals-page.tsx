import { Alert, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { RecordsTable } from '../../components/records-section.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import {
  reviewPhrase,
  summariseArrivals,
  useArrivals,
  useReviewReply,
  useMailboxes,
  useMailingNames,
  useSenderAlerts,
  type ArrivalCounts,
} from './queries.js';
import { SectionCard } from '../../components/section-card.js';

const ALERT_CATEGORIES = ['AUTHENTICATION', 'BLOCKLISTED', 'POLICY_BLOCK'] as const;
const SOURCES = ['SMTP', 'INTAKE'] as const;
/** Mirrors the intake's SENDER_ALERTS_TO_PAUSE (the renderer imports no back-end package). */
const ALERTS_TO_PAUSE = 5;

/**
 * Arrivals: the replies the owner must judge (an objection, or not?), what the mailbox intake brought in per
 * mailing and per contact, and the sender alerts.
 */
export function ArrivalsPage() {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const mailboxes = useMailboxes();
  const arrivals = useArrivals();
  const alerts = useSenderAlerts();
  const mailings = useMailingNames();
  const names = new Map((mailings.data ?? []).map((m) => [m.id, m.name]));
  const summary = summariseArrivals(arrivals.data?.messages ?? []);
  const review = useReviewReply();
  const emails = new Map((arrivals.data?.contacts ?? []).map((contact) => [contact.id, contact.email]));
  const awaiting = (arrivals.data?.messages ?? []).filter(
    (message) => message.needsReview && message.reviewedAt === null,
  );
  const when = (iso: string) => formatDateTime(iso, lang);
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
      {awaiting.length > 0 && (
        <SectionCard
          id="review-title"
          title={t('intake.arrivals.review', { count: awaiting.length })}
          gap="xs"
        >
          <Text size="sm" c="dimmed">
            {t('intake.arrivals.reviewIntro')}
          </Text>
          {review.isError && <ErrorNotice error={review.error} />}
          {awaiting.map((message) => {
            const email = message.contactId === null ? undefined : emails.get(message.contactId);
            const phrase = reviewPhrase(message.outcome);
            const who = email ?? t('intake.arrivals.unknownSender');
            return (
              <Card key={message.id} withBorder padding="sm" component="article" aria-label={who}>
                <Stack gap={4}>
                  <Text fw={500}>{who}</Text>
                  <Text size="sm">
                    {when(message.receivedAt ?? message.processedAt)}
                    {message.mailingId ? ` · ${names.get(message.mailingId) ?? ''}` : ''}
                  </Text>
                  {phrase && <Text size="sm">{t('intake.arrivals.reviewPhrase', { phrase })}</Text>}
                  <Group gap="xs" mt={4}>
                    <Button
                      size="xs"
                      color="red"
                      loading={review.isPending && review.variables.id === message.id}
                      onClick={() => review.mutate({ id: message.id, decision: 'confirm' })}
                      aria-label={`${t('intake.arrivals.confirm')}: ${who}`}
                    >
                      {t('intake.arrivals.confirm')}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => review.mutate({ id: message.id, decision: 'dismiss' })}
                      aria-label={`${t('intake.arrivals.dismiss')}: ${who}`}
                    >
                      {t('intake.arrivals.dismiss')}
                    </Button>
                  </Group>
                </Stack>
              </Card>
            );
          })}
        </SectionCard>
      )}
      <SectionCard id="alerts-title" title={t('intake.arrivals.alertsTitle')} gap="xs">
        {alerts.data && alerts.data.length === 0 && <Text>{t('intake.arrivals.noAlerts')}</Text>}
        {alerts.data && alerts.data.length > 0 && (
          <>
            <Text size="sm" c="dimmed">
              {t('intake.arrivals.pauseNote', { count: ALERTS_TO_PAUSE })}
            </Text>
            <RecordsTable
              label={t('intake.arrivals.alertsTitle')}
              columns={[
                t('intake.arrivals.alertWhen'),
                t('intake.arrivals.alertWhat'),
                t('intake.arrivals.mailing'),
                t('intake.arrivals.alertDomain'),
                t('intake.arrivals.alertDetail'),
              ]}
              items={alerts.data}
              row={(alert) => (
                <Table.Tr key={alert.id}>
                  <Table.Td>
                    {when(alert.receivedAt)}
                    <Text size="xs" c="dimmed">
                      {source(alert.source)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{category(alert.category)}</Table.Td>
                  <Table.Td>
                    {alert.mailingId ? (names.get(alert.mailingId) ?? '') : t('intake.arrivals.noMailing')}
                  </Table.Td>
                  <Table.Td>{alert.recipientDomain ?? ''}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    <Text size="xs">{[alert.status, alert.diagnostic].filter(Boolean).join(' ')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
            />
          </>
        )}
      </SectionCard>
      <CountsCard
        id="per-mailing-title"
        title={t('intake.arrivals.perMailing')}
        head={head(t('intake.arrivals.mailing'))}
        empty={t('intake.arrivals.empty')}
        rows={[...summary.byMailing].map(([id, counts]) => ({
          key: id ?? 'none',
          counts,
          name:
            id === null ? (
              t('intake.arrivals.noMailing')
            ) : (
              <a href={routeHref('mailings', id)}>{names.get(id) ?? id}</a>
            ),
        }))}
        cells={cells}
      />
      <CountsCard
        id="per-contact-title"
        title={t('intake.arrivals.perContact')}
        head={head(t('intake.arrivals.contact'))}
        empty={t('intake.arrivals.empty')}
        rows={[...summary.byContact].map(([id, counts]) => {
          const email = emails.get(id);
          return {
            key: String(id),
            counts,
            // A contact erased since keeps its counts, without an address to link to.
            name: email ? (
              <a href={routeHref('contacts', email)}>{email}</a>
            ) : (
              t('intake.arrivals.erasedContact')
            ),
          };
        })}
        cells={cells}
      />
    </Stack>
  );
}

/** What the intake brought in, one row per mailing or per contact, with its counts per kind. */
function CountsCard({
  id,
  title,
  head,
  empty,
  rows,
  cells,
}: {
  id: string;
  title: string;
  head: ReactNode;
  empty: string;
  rows: { key: string; name: ReactNode; counts: ArrivalCounts }[];
  cells: (counts: ArrivalCounts) => ReactNode;
}) {
  return (
    <SectionCard id={id} title={title} gap="xs">
      {rows.length === 0 ? (
        <Text>{empty}</Text>
      ) : (
        <Table withTableBorder aria-label={title}>
          {head}
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key}>
                <Table.Td>{row.name}</Table.Td>
                {cells(row.counts)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </SectionCard>
  );
}
