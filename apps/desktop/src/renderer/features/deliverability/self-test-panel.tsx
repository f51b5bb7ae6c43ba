import { Alert, Badge, Button, Code, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { useSelfTest } from './queries.js';

const VERDICTS = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'] as const;

/** The self-test: the raw signed message and the Authentication-Results a receiver would write. */
export function SelfTestPanel({ profile }: { profile: string }) {
  const { t } = useTranslation();
  const selfTest = useSelfTest();
  const [showRaw, setShowRaw] = useState(false);
  const verdict = (result: string | undefined) => {
    const known = VERDICTS.find((candidate) => candidate === result);
    return t(`deliverability.selfTest.verdicts.${known ?? 'neutralDefault'}`);
  };
  const badge = (label: string, result: string | undefined) => (
    <Badge color={result === 'pass' ? 'teal' : 'red'} variant="light" tt="none">
      {label}: {verdict(result)}
    </Badge>
  );
  const result = selfTest.data;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('deliverability.selfTest.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('deliverability.selfTest.intro')}
      </Text>
      <Group>
        <Button variant="light" loading={selfTest.isPending} onClick={() => selfTest.mutate({ profile })}>
          {t('deliverability.selfTest.run')}
        </Button>
      </Group>
      {selfTest.isError && <ErrorNotice error={selfTest.error} />}
      {result && (
        <Stack gap="xs" aria-label={t('deliverability.selfTest.results')} role="region">
          <Alert color={result.ok ? 'teal' : 'red'} role="status">
            {result.ok ? t('deliverability.selfTest.passed') : t('deliverability.selfTest.failed')}
          </Alert>
          <Group gap="xs">
            {badge('SPF', result.spf)}
            {badge('DKIM', result.dkim[0]?.result)}
            {badge('DMARC', result.dmarc?.result)}
          </Group>
          <Text size="sm" fw={600}>
            {t('deliverability.selfTest.results')}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {result.authenticationHeaders}
          </Code>
          <Group>
            <Button
              size="xs"
              variant="subtle"
              onClick={() => setShowRaw((shown) => !shown)}
              aria-expanded={showRaw}
            >
              {showRaw ? t('deliverability.selfTest.hideRaw') : t('deliverability.selfTest.showRaw')}
            </Button>
          </Group>
          {showRaw && (
            <ScrollArea.Autosize mah={360} type="auto" aria-label={t('deliverability.selfTest.raw')}>
              <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} tabIndex={0}>
                {result.raw}
              </Code>
            </ScrollArea.Autosize>
          )}
        </Stack>
      )}
    </Stack>
  );
}
