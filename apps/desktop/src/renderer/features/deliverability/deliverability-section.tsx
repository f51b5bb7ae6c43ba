import { Badge, Code, Group, Select, Stack, Table, Text, Title, Button, Alert } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import { DkimPanel } from './dkim-panel.js';
import { DnsRecord, type DeliverabilityProfile } from './dns-record.js';
import { PacingPanel } from './pacing-panel.js';
import { useAuthentication, useCheckAuthentication } from './queries.js';
import { SelfTestPanel } from './self-test-panel.js';
import { SectionCard } from '../../components/section-card.js';

/**
 * Deliverability of one SMTP profile: SPF / DKIM / DMARC as read from DNS (with the record to publish),
 * the DKIM key, pacing per recipient domain with warm-up, and the self-test.
 */
export function DeliverabilitySection({ profiles }: { profiles: readonly DeliverabilityProfile[] }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string | null>(null);
  const profile = profiles.find((candidate) => candidate.name === chosen) ?? profiles[0];
  if (!profile) return null;
  return (
    <SectionCard id="deliverability-title" title={t('deliverability.title')} size="h3">
      <Text size="sm" c="dimmed">
        {t('deliverability.intro')}
      </Text>
      {profiles.length > 1 && (
        <Select
          label={t('deliverability.profile')}
          maw={360}
          data={profiles.map((candidate) => candidate.name)}
          value={profile.name}
          allowDeselect={false}
          onChange={setChosen}
        />
      )}
      <AuthenticationPanel profile={profile.name} key={`auth-${profile.name}`} />
      <DkimPanel profile={profile} key={`dkim-${profile.name}`} />
      <PacingPanel profile={profile.name} key={`pacing-${profile.name}`} />
      <SelfTestPanel profile={profile.name} key={`self-${profile.name}`} />
    </SectionCard>
  );
}

function AuthenticationPanel({ profile }: { profile: string }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const status = useAuthentication(profile, lang);
  const check = useCheckAuthentication();
  const view = status.data;
  const when = (iso: string) => formatDateTime(iso, lang);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('deliverability.auth.title')}
        </Title>
        <Button
          size="xs"
          variant="light"
          loading={check.isPending}
          onClick={() => check.mutate({ profile, lang })}
        >
          {t('deliverability.auth.check')}
        </Button>
      </Group>
      {status.isError && <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />}
      {check.isError && <ErrorNotice error={check.error} />}
      {view && (
        <>
          <Group gap="xs">
            <Badge color={view.source === 'DECLARED' ? 'yellow' : 'teal'} variant="light">
              {/* The api's cached label says DNS "could not be reached", which is true only at assessment. */}
              {t(`deliverability.auth.sources.${view.source}`)}
            </Badge>
            <Text size="sm">
              {view.checkedAt
                ? t('deliverability.auth.checkedAt', { at: when(view.checkedAt) })
                : t('deliverability.auth.neverChecked')}
            </Text>
          </Group>
          {view.source === 'DECLARED' && (
            <Alert color="yellow" role="note">
              <Stack gap={2}>
                <Text size="sm">{t('deliverability.auth.declaredNote')}</Text>
                <Text size="sm">
                  {t('deliverability.auth.declaredSpf')}:{' '}
                  {view.declared.spf ? t('deliverability.auth.yes') : t('deliverability.auth.no')}
                </Text>
                <Text size="sm">
                  {t('deliverability.auth.declaredDmarc')}:{' '}
                  {view.declared.dmarc ? t('deliverability.auth.yes') : t('deliverability.auth.no')}
                </Text>
              </Stack>
            </Alert>
          )}
          {view.checks.length > 0 && (
            <Table withTableBorder aria-label={t('deliverability.auth.title')} layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={90}>{t('deliverability.auth.what')}</Table.Th>
                  <Table.Th w={130}>{t('deliverability.auth.verdict')}</Table.Th>
                  <Table.Th>{t('deliverability.auth.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.checks.map((row) => (
                  <Table.Tr key={row.check}>
                    <Table.Td>{row.check}</Table.Td>
                    <Table.Td>
                      <Badge color={row.ok ? 'teal' : 'red'} variant="light">
                        {row.ok ? t('deliverability.auth.ok') : t('deliverability.auth.notOk')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        <Text size="sm">{row.text}</Text>
                        {row.found && (
                          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                            {t('deliverability.auth.found')}: <Code>{row.found}</Code>
                          </Text>
                        )}
                        {row.publish && <DnsRecord record={row.publish} />}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {view.source !== 'DECLARED' && (
            <Text size="sm">
              {t('deliverability.auth.aligned')}:{' '}
              {view.aligned ? t('deliverability.auth.yes') : t('deliverability.auth.no')}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
