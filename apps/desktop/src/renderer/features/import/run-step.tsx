import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { describeError } from '../../components/describe-error.js';
import { useCancelImport, useImportProgress } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

export type ImportJob = RouterOutputs['imports']['progress'];

/** Follows a running import: a progress bar from `imports.progress`, and a button that stops it between chunks. */
export function RunStep({ jobId, onEnded }: { jobId: string; onEnded: (job: ImportJob) => void }) {
  const { t, i18n } = useTranslation();
  const lang = useUiLanguage();
  const progress = useImportProgress(jobId);
  const cancel = useCancelImport();
  const job = progress.data;
  useEffect(() => {
    if (job && job.state !== 'running') onEnded(job);
  }, [job, onEnded]);
  const done = job?.progress.done ?? 0;
  const total = job?.progress.total;
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <Stack maw={720}>
      <Text fw={600}>{t('import.run.running')}</Text>
      <Progress
        value={percent}
        size="xl"
        animated={job?.state === 'running'}
        aria-label={t('import.run.running')}
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {job?.progress.phase === 'indexing'
          ? t('import.run.indexing')
          : total
            ? t('import.run.progress', {
                done: done.toLocaleString(i18n.language),
                total: total.toLocaleString(i18n.language),
              })
            : t('import.run.progressUnknown', { done: done.toLocaleString(i18n.language) })}
      </Text>
      <Group>
        <Button
          color="red"
          variant="light"
          onClick={() => cancel.mutate({ jobId })}
          loading={cancel.isPending}
          disabled={job?.state !== 'running'}
        >
          {t('import.run.cancel')}
        </Button>
      </Group>
      {progress.isError && (
        <Alert color="red" role="alert">
          {describeError(progress.error, lang).message}
        </Alert>
      )}
    </Stack>
  );
}
