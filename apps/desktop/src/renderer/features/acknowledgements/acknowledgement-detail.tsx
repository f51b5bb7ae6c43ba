import {
  Alert,
  Anchor,
  Badge,
  Card,
  Code,
  Group,
  Loader,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COMPLAINT_SOURCES, type ComplaintSource } from '@consent-mailer/policy/vocabulary';
import { isSuppressionReason } from '../suppressions/suppressions.messages.js';
import { isDeliveryState } from '../mailings/results-panel.js';
import type { RouterOutputs } from '../../app/api-types.js';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Fact } from '../../components/fact.js';
import { useMethodLabel } from '../mailings/assessment-panel.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import { CoverageCounts } from '../mailings/count-table.js';
import { AcknowledgementActions } from './acknowledgement-actions.js';
import { useAcknowledgement } from './queries.js';

type Detail = RouterOutputs['acknowledgements']['show'];
const OUTCOME_KEYS = [
  'covered',
  'delivered',
  'notDelivered',
  'pending',
  'hardBounces',
  'softBounces',
  'complaints',
  'unsubscribes',
] as const;
const HASH_KEYS = [
  'verificationCode',
  'documentSha256',
  'recipientSetHash',
  'recipientListHash',
  'textSha256',
  'textVersionId',
  'policyVersion',
  'keyFingerprint',
] as const;
/** Enough rows to read; the full list is in the exports. */
const RECIPIENTS_SHOWN = 500;

/** One acknowledgement for the accountant: who signed what and when, whom it covered, what happened, the hashes, verify and export. */
const isComplaintSource = (value: string): value is ComplaintSource =>
  (COMPLAINT_SOURCES as readonly string[]).includes(value);

export function AcknowledgementDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const detail = useAcknowledgement(id);
  if (detail.isPending) return <Loader aria-label={t('app.loading')} />;
  if (detail.isError) return <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />;
  const ack = detail.data;
  const number = (value: number) => value.toLocaleString(lang);
  return (
    <Stack gap="lg">
      <Anchor href={routeHref('acknowledgements')} size="sm">
        ← {t('acknowledgements.back')}
      </Anchor>
      <Group gap="sm">
        <Title order={1}>{t('acknowledgements.detail.title', { code: ack.verificationCode })}</Title>
        {ack.lapsedAt ? (
          <Badge color="red">{t('acknowledgements.list.lapsed')}</Badge>
        ) : (
          <Badge color="teal">{t('acknowledgements.list.valid')}</Badge>
        )}
      </Group>
      {ack.lapsedAt && (
        <Alert color="red" role="status">
          {t('acknowledgements.detail.lapsed', {
            at: formatDateTime(ack.lapsedAt, lang),
            reason: ack.lapseReason ?? '',
          })}
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          <Fact
            label={t('acknowledgements.list.signer')}
            value={`${t('acknowledgements.detail.signedBy', { name: ack.signerName, role: ack.signerRole })}, ${t('acknowledgements.detail.signedAt', { at: formatDateTime(ack.signedAt, lang) })}`}
          />
          <Fact
            label={t('acknowledgements.detail.entity')}
            value={`${ack.legalName}${ack.kvkNumber ? ` · ${t('acknowledgements.detail.kvk')} ${ack.kvkNumber}` : ''}`}
          />
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('acknowledgements.detail.mailing')}
            </Text>
            <Anchor href={routeHref('mailings', ack.mailing.id)} size="sm">
              {ack.mailing.name}: {ack.mailing.subject}
            </Anchor>
          </Stack>
        </SimpleGrid>
        {ack.hasDrawnSignature && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('acknowledgements.detail.drawnSignature')}
          </Text>
        )}
      </Card>

      <AcknowledgementActions id={id} signedAt={ack.signedAt} verificationCode={ack.verificationCode} />

      <Card withBorder component="section" aria-labelledby="ack-counts-title">
        <Title order={2} size="h4" id="ack-counts-title" mb="xs">
          {t('acknowledgements.detail.countsTitle')}: {number(ack.counts.total)}
        </Title>
        <CoverageCounts
          titles={{
            byMethod: t('acknowledgements.detail.byMethod'),
            byReason: t('acknowledgements.detail.byReason'),
          }}
          byMethod={ack.counts.byMethod}
          byReason={ack.counts.byReason}
        />
        {ack.mailingReasons.length > 0 && (
          <Text size="sm" mt="xs">
            {t('acknowledgements.detail.mailingReasons')}: {ack.mailingReasons.join(', ')}
          </Text>
        )}
      </Card>

      <Card withBorder component="section" aria-labelledby="ack-outcome-title">
        <Title order={2} size="h4" id="ack-outcome-title" mb="xs">
          {t('acknowledgements.detail.outcomeTitle')}
        </Title>
        <SimpleGrid
          cols={{ base: 2, sm: 4 }}
          role="list"
          aria-label={t('acknowledgements.detail.outcomeTitle')}
        >
          {OUTCOME_KEYS.map((key) => (
            <Stack
              key={key}
              gap={0}
              role="listitem"
              aria-label={`${t(`acknowledgements.detail.outcome.${key}`)}: ${number(ack.outcome[key])}`}
            >
              <Text size="xs" c="dimmed">
                {t(`acknowledgements.detail.outcome.${key}`)}
              </Text>
              <Text fz="xl" fw={700}>
                {number(ack.outcome[key])}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
      </Card>

      <Card withBorder component="section" aria-labelledby="ack-text-title">
        <Title order={2} size="h4" id="ack-text-title" mb="xs">
          {t('acknowledgements.detail.textTitle')}
        </Title>
        <ScrollArea.Autosize mah={280} type="auto" offsetScrollbars>
          {/* Focusable, so the text scrolls by keyboard too (axe: scrollable-region-focusable). */}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} tabIndex={0} data-testid="acknowledgement-text">
            {ack.text}
          </Text>
        </ScrollArea.Autosize>
        <Title order={3} size="h5" mt="sm" mb={4}>
          {t('acknowledgements.detail.statementsTitle')}
        </Title>
        <Stack gap={4}>
          {ack.statements.map((statement) => (
            <Group key={statement.id} gap="xs" wrap="nowrap" align="flex-start">
              <ThemeIcon
                size="sm"
                color={statement.confirmed ? 'teal' : 'red'}
                variant="light"
                aria-label={
                  statement.confirmed
                    ? t('acknowledgements.detail.confirmed')
                    : t('acknowledgements.detail.notConfirmed')
                }
              >
                {statement.confirmed ? '✓' : '✗'}
              </ThemeIcon>
              <Text size="sm">{statement.text}</Text>
            </Group>
          ))}
        </Stack>
      </Card>

      <Card withBorder component="section" aria-labelledby="ack-hashes-title">
        <Title order={2} size="h4" id="ack-hashes-title" mb="xs">
          {t('acknowledgements.detail.hashesTitle')}
        </Title>
        <Table aria-label={t('acknowledgements.detail.hashesTitle')}>
          <Table.Tbody>
            {HASH_KEYS.map((key) => (
              <Table.Tr key={key}>
                <Table.Td w={260}>{t(`acknowledgements.detail.hashes.${key}`)}</Table.Td>
                <Table.Td>
                  <Code fz="xs" style={{ wordBreak: 'break-all' }}>
                    {ack[key]}
                  </Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>

      <RecipientsTable recipients={ack.recipients} />
    </Stack>
  );
}

function RecipientsTable({ recipients }: { recipients: Detail['recipients'] }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const methodLabel = useMethodLabel();
  const shown = recipients.slice(0, RECIPIENTS_SHOWN);
  return (
    <Card withBorder component="section" aria-labelledby="ack-recipients-title">
      <Title order={2} size="h4" id="ack-recipients-title" mb="xs">
        {t('acknowledgements.detail.recipientsTitle')} ({recipients.length.toLocaleString(lang)})
      </Title>
      {recipients.length > shown.length && (
        <Text size="xs" c="dimmed">
          {t('acknowledgements.detail.recipientsShown', { shown: shown.length, total: recipients.length })}
        </Text>
      )}
      <Table.ScrollContainer minWidth={700}>
        <Table striped aria-label={t('acknowledgements.detail.recipientsTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('acknowledgements.detail.email')}</Table.Th>
              <Table.Th>{t('acknowledgements.detail.method')}</Table.Th>
              <Table.Th>{t('acknowledgements.detail.reasons')}</Table.Th>
              <Table.Th>{t('acknowledgements.detail.delivery')}</Table.Th>
              <Table.Th>{t('acknowledgements.detail.events')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((recipient) => (
              <Table.Tr key={recipient.addressHash}>
                <Table.Td>
                  {recipient.email ?? (
                    <Text span c="dimmed" size="sm">
                      {t('acknowledgements.detail.erased')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{methodLabel(recipient.method)}</Table.Td>
                <Table.Td>{recipient.reasons.join(', ')}</Table.Td>
                <Table.Td>
                  {recipient.delivery
                    ? `${isDeliveryState(recipient.delivery.state) ? t(`mailings.results.${recipient.delivery.state}`) : recipient.delivery.state}${recipient.delivery.sentAt ? ` · ${formatDateTime(recipient.delivery.sentAt, lang)}` : ''}`
                    : t('acknowledgements.detail.noDelivery')}
                </Table.Td>
                <Table.Td>
                  {[
                    // Each event in words: the bounce's kind, the complaint's source, the suppression's reason.
                    ...recipient.bounces.map((bounce) =>
                      t(
                        bounce.kind === 'HARD'
                          ? 'acknowledgements.detail.bounceHard'
                          : 'acknowledgements.detail.bounceSoft',
                      ),
                    ),
                    ...recipient.complaints.map((complaint) =>
                      t('acknowledgements.detail.complaint', {
                        source: isComplaintSource(complaint.source)
                          ? t(`vocabulary.complaintSources.${complaint.source}`)
                          : complaint.source,
                      }),
                    ),
                    ...recipient.suppressions.map((suppression) =>
                      t('acknowledgements.detail.suppression', {
                        reason: isSuppressionReason(suppression.reason)
                          ? t(`suppressions.reasons.${suppression.reason}`)
                          : suppression.reason,
                      }),
                    ),
                  ].join(', ') || '–'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
