import { Button, Card, Progress, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/describe-error.js';
import { useReconfirmProgress, useReconfirmStatus, useStartReconfirm } from '../optin/queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

/**
 * Re-permission from the assessment: when paired with an opt-in service, a button that asks everyone the
 * rules allow (single opt-in, phone, paper, stale double opt-in) to confirm, the progress of the requests,
 * and how many of those asked have confirmed (as pulled).
 */
export function ReconfirmCard({ mailingId }: { mailingId: string }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const status = useReconfirmStatus(mailingId);
  const start = useStartReconfirm();
  const [jobId, setJobId] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const job = useReconfirmProgress(jobId, mailingId);
  const data = status.data;
  if (!data?.paired || (data.candidates === 0 && data.requested === 0 && jobId === undefined)) return null;
  const running = start.isPending || job.data?.state === 'running';
  const done = job.data?.progress.done ?? 0;
  const total = job.data?.progress.total ?? 0;
  const result = job.data?.result;
  const failure = job.data?.state === 'failed' ? job.data.error : undefined;
  const failureText = failure ? (failure.text?.[lang] ?? failure.message) : error;
  const number = (value: number) => value.toLocaleString(lang);

  const ask = () => {
    setError(undefined);
    start.mutate(
      { mailingId, language: lang },
      {
        onSuccess: (started) => setJobId(started.jobId),
        onError: (e) => setError(describeError(e, lang).message),
      },
    );
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label={t('optin.reconfirm.title')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('optin.reconfirm.title')}
        </Title>
        <Text size="sm">{t('optin.reconfirm.intro')}</Text>
        {data.candidates > 0 && (
          <Button onClick={ask} loading={running} disabled={running} w="fit-content">
            {t('optin.reconfirm.ask', { count: data.candidates })}
          </Button>
        )}
        {jobId !== undefined && total > 0 && (
          <Stack gap={2}>
            <Text size="sm" id="reconfirm-progress-label">
              {t('optin.reconfirm.progress')}: {t('optin.reconfirm.progressValue', { done, total })}
            </Text>
            <Progress.Root>
              <Progress.Section
                value={total === 0 ? 0 : (100 * done) / total}
                aria-label={t('optin.reconfirm.progress')}
                aria-valuetext={t('optin.reconfirm.progressValue', { done, total })}
              />
            </Progress.Root>
          </Stack>
        )}
        {result && (
          <Text size="sm" role="status">
            {t('optin.reconfirm.done', {
              sent: number(result.counts.sent),
              skipped: number(result.candidates - result.counts.sent),
            })}
          </Text>
        )}
        {failureText && (
          <Text size="sm" c="red.8" role="alert">
            {failureText}
          </Text>
        )}
        {data.requested > 0 && (
          <Text size="sm" fw={600} data-reconfirmed={data.confirmed}>
            {t('optin.reconfirm.confirmed', {
              confirmed: number(data.confirmed),
              requested: number(data.requested),
            })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
