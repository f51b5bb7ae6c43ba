import { CLASSIFICATIONS } from '@consent-mailer/policy/vocabulary';
import { Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { CLASS_COLORS } from '../../components/classification.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useContactClassCounts } from './queries.js';

// The verdicts best first, then the contacts no mailing has assessed yet.
const CLASSES = [...CLASSIFICATIONS, 'UNASSESSED'] as const;
type ContactClass = (typeof CLASSES)[number];

/**
 * Contacts per class after their latest assessment (one GROUP BY over an index in the api), as a bar per
 * class in the class's colour, with the exact numbers beside it for reading and for screen readers.
 */
export function ContactClassChart() {
  const { t, i18n } = useTranslation();
  const counts = useContactClassCounts();
  const number = (value: number) => value.toLocaleString(i18n.language);
  const label = (code: ContactClass) => t(`vocabulary.classes.${code}`);
  return (
    <Card withBorder component="figure" m={0} aria-labelledby="dashboard-classes-title">
      <Title order={2} size="h4" mb="xs" id="dashboard-classes-title">
        {t('dashboard.classes.title')}
      </Title>
      {counts.isError && <ErrorNotice error={counts.error} onRetry={() => void counts.refetch()} />}
      {counts.data && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }} role="list" aria-label={t('dashboard.classes.title')} mb="sm">
            {CLASSES.map((code) => (
              <Group
                key={code}
                gap={6}
                wrap="nowrap"
                role="listitem"
                aria-label={`${label(code)}: ${number(counts.data[code])}`}
              >
                <Text size="xs" c="dimmed">
                  {label(code)}
                </Text>
                <Text size="sm" fw={700} data-class-count={code}>
                  {number(counts.data[code])}
                </Text>
              </Group>
            ))}
          </SimpleGrid>
          {counts.data.total === counts.data.UNASSESSED && (
            <Text size="sm" c="dimmed" mb="xs">
              {t('dashboard.classes.noneAssessed')}
            </Text>
          )}
          <BarChart
            h={200}
            data={[
              {
                group: t('dashboard.classes.series'),
                ...Object.fromEntries(CLASSES.map((code) => [code, counts.data[code]])),
              },
            ]}
            dataKey="group"
            // One series per class, so each bar keeps its class's colour and the legend names it.
            series={CLASSES.map((code) => ({ name: code, label: label(code), color: CLASS_COLORS[code] }))}
            withLegend
            withBarValueLabel
            valueFormatter={number}
            tickLine="y"
            gridAxis="y"
            withTooltip={false}
            yAxisProps={{ allowDecimals: false }}
          />
        </>
      )}
    </Card>
  );
}
