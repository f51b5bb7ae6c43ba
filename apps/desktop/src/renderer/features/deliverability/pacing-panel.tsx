import { Button, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { usePacing, useSetPacing, useSetSendingHistory } from './queries.js';

type History = 'NEW' | 'ESTABLISHED';
const HISTORIES: readonly History[] = ['NEW', 'ESTABLISHED'];

interface Limits {
  perMinute?: number | null | undefined;
  perHour?: number | null | undefined;
  perDay?: number | null | undefined;
}

/** Per-recipient-domain pacing (provider defaults and the owner's overrides) and the warm-up schedule. */
export function PacingPanel({ profile }: { profile: string }) {
  const { t, i18n } = useTranslation();
  const pacing = usePacing(profile);
  const setPacing = useSetPacing();
  const setHistory = useSetSendingHistory();
  const [domain, setDomain] = useState('');
  const [limits, setLimits] = useState<{ perMinute: number | ''; perHour: number | ''; perDay: number | '' }>(
    { perMinute: '', perHour: '', perDay: '' },
  );
  const number = (value: number) => value.toLocaleString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB');
  const cell = (value: number | null | undefined) =>
    value ? number(value) : t('deliverability.pacing.unlimited');
  const row = (key: string, label: string, value: Limits) => (
    <Table.Tr key={key}>
      <Table.Td style={{ wordBreak: 'break-word' }}>{label}</Table.Td>
      <Table.Td>{cell(value.perMinute)}</Table.Td>
      <Table.Td>{cell(value.perHour)}</Table.Td>
      <Table.Td>{cell(value.perDay)}</Table.Td>
    </Table.Tr>
  );
  const head = (first: string) => (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>{first}</Table.Th>
        <Table.Th w={110}>{t('deliverability.pacing.perMinute')}</Table.Th>
        <Table.Th w={110}>{t('deliverability.pacing.perHour')}</Table.Th>
        <Table.Th w={110}>{t('deliverability.pacing.perDay')}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPacing.mutate(
      {
        profile,
        domain: domain.trim(),
        perMinute: limits.perMinute === '' ? null : limits.perMinute,
        perHour: limits.perHour === '' ? null : limits.perHour,
        perDay: limits.perDay === '' ? null : limits.perDay,
      },
      {
        onSuccess: () => {
          setDomain('');
          setLimits({ perMinute: '', perHour: '', perDay: '' });
        },
      },
    );
  };
  const limitInput = (key: 'perMinute' | 'perHour' | 'perDay') => (
    <NumberInput
      label={t(`deliverability.pacing.${key}`)}
      min={1}
      w={130}
      value={limits[key]}
      onChange={(value) =>
        setLimits((previous) => ({ ...previous, [key]: typeof value === 'number' ? value : '' }))
      }
    />
  );
  const data = pacing.data;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('deliverability.pacing.title')}
      </Title>
      {pacing.isError && <ErrorNotice error={pacing.error} onRetry={() => void pacing.refetch()} />}
      {data && (
        <>
          <Select
            label={t('deliverability.pacing.history')}
            maw={420}
            data={HISTORIES.map((value) => ({ value, label: t(`deliverability.pacing.histories.${value}`) }))}
            value={data.sendingHistory}
            allowDeselect={false}
            onChange={(value) => {
              const history = HISTORIES.find((candidate) => candidate === value);
              if (history) setHistory.mutate({ profile, history });
            }}
          />
          {setHistory.isError && <ErrorNotice error={setHistory.error} />}
          <Text size="sm" role="status">
            {data.warmup
              ? t('deliverability.pacing.warmupToday', {
                  day: data.warmup.day,
                  perDay: number(data.warmup.perDay),
                })
              : t('deliverability.pacing.noWarmup')}
          </Text>
          {data.sendingHistory === 'NEW' && (
            <Text size="xs" c="dimmed">
              {t('deliverability.pacing.schedule', { days: data.warmupSchedule.map(number).join(', ') })}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {t('deliverability.pacing.deferralNote')}
          </Text>
          <Title order={4} size="h6">
            {t('deliverability.pacing.overrides')}
          </Title>
          {data.overrides.length === 0 ? (
            <Text size="sm">{t('deliverability.pacing.noOverrides')}</Text>
          ) : (
            <Table withTableBorder aria-label={t('deliverability.pacing.overrides')}>
              {head(t('deliverability.pacing.domain'))}
              <Table.Tbody>{data.overrides.map((o) => row(o.domain, o.domain, o))}</Table.Tbody>
            </Table>
          )}
          <Group
            align="flex-end"
            component="form"
            onSubmit={submit}
            aria-label={t('deliverability.pacing.set')}
          >
            <TextInput
              label={t('deliverability.pacing.domain')}
              placeholder="ziggo.nl"
              required
              value={domain}
              onChange={(event) => setDomain(event.currentTarget.value)}
            />
            {limitInput('perMinute')}
            {limitInput('perHour')}
            {limitInput('perDay')}
            <Button type="submit" variant="light" loading={setPacing.isPending}>
              {t('deliverability.pacing.set')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('deliverability.pacing.setHint')}
          </Text>
          {setPacing.isError && <ErrorNotice error={setPacing.error} />}
          {setPacing.isSuccess && (
            <Text size="sm" c="teal.9" role="status">
              {t('deliverability.pacing.saved')}: {setPacing.data.domain}
            </Text>
          )}
          <Title order={4} size="h6">
            {t('deliverability.pacing.defaults')}
          </Title>
          <Table withTableBorder aria-label={t('deliverability.pacing.defaults')}>
            {head(t('deliverability.pacing.domains'))}
            <Table.Tbody>
              {data.defaults.map((d) => row(d.provider, d.domains.join(', '), d.limits))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
