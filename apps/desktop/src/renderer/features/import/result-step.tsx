import { Alert, Button, Code, Group, ScrollArea, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import type { ImportJob } from './run-step.js';
import { useImportRejects } from './queries.js';
import { TypoFixes } from './typo-fixes.js';
import { useUiLanguage } from '../../components/ui-language.js';

const COUNTS = [
  'rows',
  'imported',
  'updated',
  'unchanged',
  'duplicates',
  'suppressed',
  'rejected',
  'domainSuggestions',
] as const;

/** What the import did: counts per outcome, and the rejected rows with the reason per row. */
export function ResultStep({
  job,
  fileName,
  onAnother,
}: {
  job: ImportJob;
  fileName: string;
  onAnother: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = useUiLanguage();
  const result = job.result;
  if (job.state === 'failed' || !result) {
    return (
      <Stack maw={720}>
        <Alert color="red" title={t('import.run.failed')} role="alert">
          {job.error?.text?.[language] ?? job.error?.message}
        </Alert>
        <Group>
          <Button onClick={onAnother}>{t('import.result.another')}</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack>
      {job.state === 'cancelled' ? (
        <Alert color="orange" role="status">
          {t('import.run.cancelled')}
        </Alert>
      ) : (
        <Alert
          color="teal"
          title={result.dryRun ? t('import.result.dryRunDone') : t('import.result.done')}
          role="status"
        >
          {fileName}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} aria-label={t('import.result.counts')}>
        {COUNTS.map((key) => (
          <Stack
            key={key}
            gap={0}
            p="sm"
            style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
          >
            <Text size="xs" c="dimmed">
              {t(`import.result.${key}`)}
            </Text>
            <Text size="xl" fw={700} c={key === 'rejected' && result[key] > 0 ? 'red' : undefined}>
              {result[key].toLocaleString(i18n.language)}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
      {result.missingEvidence.map((missing) => (
        <Alert key={missing.method} color="orange" title={t('import.consent.missingEvidence')}>
          {/* From the field codes, in this screen's words (the api's text names the fields as the file does). */}
          {t('import.consent.missingFor', {
            method: t(`vocabulary.methods.${missing.method}`),
            fields: missing.fields.map((field) => t(`import.fields.${field}`)).join(', '),
          })}
        </Alert>
      ))}
      {!result.dryRun && result.suggestionSamples.length > 0 && (
        <TypoFixes suggestions={result.suggestionSamples} total={result.domainSuggestions} />
      )}
      {result.batchId && result.rejected > 0 && (
        <Rejects batchId={result.batchId} path={result.rejectsPath} />
      )}
      <Group>
        <Button onClick={onAnother} variant="light">
          {t('import.result.another')}
        </Button>
        <Button onClick={() => navigate('contacts')}>{t('import.result.toContacts')}</Button>
      </Group>
    </Stack>
  );
}

function Rejects({ batchId, path }: { batchId: string; path: string | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const rejects = useImportRejects(batchId, open);
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('import.result.rejectsTitle')}
      </Title>
      {path && (
        <Text size="sm">
          {t('import.result.rejectsSavedAt')} <Code>{path}</Code>
        </Text>
      )}
      {!open && (
        <Button variant="subtle" w="fit-content" onClick={() => setOpen(true)}>
          {t('import.result.showRejects')}
        </Button>
      )}
      {rejects.isError && <ErrorNotice error={rejects.error} />}
      {rejects.data && (
        <ScrollArea h={240} type="auto">
          <Code block aria-label={t('import.result.rejectsTitle')}>
            {rejects.data.csv}
          </Code>
        </ScrollArea>
      )}
    </Stack>
  );
}
