import { CLASSIFICATIONS, CONSENT_METHODS } from '@consent-mailer/policy/vocabulary';
import {
  Accordion,
  Alert,
  Badge,
  Box,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { CLASS_COLORS } from '../../components/classification.js';
import { ReconfirmCard } from './reconfirm-card.js';
import { useUiLanguage } from '../../components/ui-language.js';

export type AssessmentView = RouterOutputs['mailings']['assess'];
type RecipientView = AssessmentView['excluded'][number];

/** The label of a classification code, falling back to the code itself for one this screen does not know. */
export function useClassificationLabel(): (code: string) => string {
  const { t } = useTranslation();
  return (code) => {
    const known = CLASSIFICATIONS.find((candidate) => candidate === code);
    return known ? t(`vocabulary.classes.${known}`) : code;
  };
}

/** The label of a consent method code, falling back to the code itself. */
export function useMethodLabel(): (code: string) => string {
  const { t } = useTranslation();
  return (code) => {
    const known = CONSENT_METHODS.find((candidate) => candidate === code);
    return known ? t(`vocabulary.methods.${known}`) : code;
  };
}

/** A classification as a coloured badge. */
export function ClassificationBadge({ code }: { code: string }) {
  const label = useClassificationLabel();
  const known = CLASSIFICATIONS.find((candidate) => candidate === code);
  const color = known ? CLASS_COLORS[known].replace('.6', '') : 'gray';
  return (
    <Badge color={color} variant="light" maw="none">
      {label(code)}
    </Badge>
  );
}

interface ReasonGroup {
  key: string;
  reasons: { code: string; text: string }[];
  recipients: RecipientView[];
}

/** Recipients with the same set of reasons belong together: the shop owner reads one explanation per group. */
function groupByReasons(recipients: RecipientView[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const recipient of recipients) {
    const key = recipient.reasons.map((reason) => reason.code).join('+') || '—';
    const group = groups.get(key) ?? { key, reasons: recipient.reasons, recipients: [] };
    group.recipients.push(recipient);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.recipients.length - a.recipients.length);
}

/** The assessment as a shop owner reads it: the numbers, a chart per class, and who is left out and why. */
export function AssessmentPanel({ assessment }: { assessment: AssessmentView }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const classificationLabel = useClassificationLabel();
  const chartData = CLASSIFICATIONS.map((code) => ({
    class: classificationLabel(code),
    code,
    count: assessment.counts.byClassification[code] ?? 0,
  }));
  const number = (value: number) => value.toLocaleString(lang);
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Text fw={600}>{t('mailings.assessment.classification')}:</Text>
        <ClassificationBadge code={assessment.classification} />
        <Text size="xs" c="dimmed">
          {t('mailings.assessment.policyVersion', { version: assessment.policyVersion })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} role="list" aria-label={t('mailings.assessment.title')}>
        {(
          [
            ['total', assessment.counts.total],
            ['included', assessment.counts.included],
            ['excluded', assessment.counts.excluded],
            ['needsAck', assessment.counts.needsAcknowledgement],
          ] as const
        ).map(([key, value]) => (
          <Card
            key={key}
            withBorder
            padding="sm"
            role="listitem"
            aria-label={`${t(`mailings.assessment.${key}`)}: ${number(value)}`}
          >
            <Text size="xs" c="dimmed">
              {t(`mailings.assessment.${key}`)}
            </Text>
            <Text fz={28} fw={700} data-count={key}>
              {number(value)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {assessment.roleAddresses.count > 0 && (
        <Alert
          color="yellow"
          title={t('mailings.assessment.roleTitle', { count: assessment.roleAddresses.count })}
          data-testid="role-addresses"
        >
          <Stack gap={4}>
            <Text size="sm">{t('mailings.assessment.roleText')}</Text>
            <Text size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
              {assessment.roleAddresses.sample.join(', ')}
              {assessment.roleAddresses.count > assessment.roleAddresses.sample.length &&
                ` ${t('mailings.assessment.roleMore', {
                  count: assessment.roleAddresses.count - assessment.roleAddresses.sample.length,
                })}`}
            </Text>
          </Stack>
        </Alert>
      )}
      <Card withBorder padding="sm" component="figure" m={0} aria-label={t('mailings.assessment.chartLabel')}>
        <Title order={3} size="h5" mb="xs">
          {t('mailings.assessment.chartTitle')}
        </Title>
        <BarChart
          h={220}
          data={[
            {
              group: t('mailings.assessment.chartSeries'),
              ...Object.fromEntries(chartData.map((row) => [row.code, row.count])),
            },
          ]}
          dataKey="group"
          // One series per class, so each bar keeps its class's colour and the legend names it.
          series={chartData.map((row) => ({
            name: row.code,
            label: row.class,
            color: CLASS_COLORS[row.code],
          }))}
          withLegend
          withBarValueLabel
          tickLine="y"
          gridAxis="y"
          withTooltip={false}
          yAxisProps={{ allowDecimals: false }}
        />
      </Card>
      {assessment.reasons.length > 0 && (
        <Stack gap={4}>
          <Title order={3} size="h5">
            {t('mailings.assessment.reasonsTitle')}
          </Title>
          <Stack gap={6}>
            {assessment.reasons.map((reason, index) => (
              <Group key={`${reason.code}-${index}`} gap="xs" wrap="nowrap" align="flex-start">
                <Box style={{ flexShrink: 0 }}>
                  <ClassificationBadge code={reason.classification} />
                </Box>
                <Text size="sm">
                  <Text span fw={600}>
                    {reason.code}
                  </Text>{' '}
                  {reason.text}
                </Text>
              </Group>
            ))}
          </Stack>
        </Stack>
      )}
      <ReconfirmCard mailingId={assessment.mailingId} />
      <RecipientGroups
        title={t('mailings.assessment.needsAckTitle')}
        recipients={assessment.needsAcknowledgement}
        total={assessment.counts.needsAcknowledgement}
      />
      <RecipientGroups
        title={t('mailings.assessment.excludedTitle')}
        recipients={assessment.excluded}
        total={assessment.counts.excluded}
        empty={t('mailings.assessment.noneExcluded')}
      />
    </Stack>
  );
}

function RecipientGroups({
  title,
  recipients,
  total,
  empty,
}: {
  title: string;
  recipients: RecipientView[];
  total: number;
  empty?: string;
}) {
  const { t } = useTranslation();
  const methodLabel = useMethodLabel();
  if (total === 0 && !empty) return null;
  const groups = groupByReasons(recipients);
  return (
    <Stack gap={4} component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title} ({total})
      </Title>
      {total === 0 && <Text size="sm">{empty}</Text>}
      {total > recipients.length && (
        <Text size="xs" c="dimmed">
          {t('mailings.assessment.firstShown')}
        </Text>
      )}
      {groups.length > 0 && (
        <Accordion variant="separated" multiple>
          {groups.map((group) => (
            <Accordion.Item key={group.key} value={group.key}>
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap">
                  <Stack gap={2}>
                    {group.reasons.map((reason) => (
                      <Text key={reason.code} size="sm">
                        <Text span fw={600}>
                          {reason.code}
                        </Text>{' '}
                        {reason.text}
                      </Text>
                    ))}
                  </Stack>
                  <Badge variant="outline" style={{ flexShrink: 0 }}>
                    {t('mailings.assessment.groupCount', { count: group.recipients.length })}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Table aria-label={group.reasons.map((reason) => reason.code).join(', ')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('mailings.assessment.email')}</Table.Th>
                      <Table.Th>{t('mailings.assessment.method')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {group.recipients.map((recipient) => (
                      <Table.Tr key={recipient.email}>
                        <Table.Td>{recipient.email}</Table.Td>
                        <Table.Td>{methodLabel(recipient.method)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}
