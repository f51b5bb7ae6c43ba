import { List, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/describe-error.js';
import { EmlDropzone } from '../../components/eml-dropzone.js';
import { useImportFeedback } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

type Outcome =
  | { kind: 'hardBounce' | 'softBounce' | 'complaint'; email: string }
  | { kind: 'nothing' }
  | { kind: 'failed'; message: string };

interface FileResult {
  key: string;
  name: string;
  outcomes: Outcome[];
}

/** Drop bounce (DSN) and complaint (ARF) messages; shows per file what was recorded. */
export function FeedbackImport() {
  const { t } = useTranslation();
  const language = useUiLanguage();
  const importFeedback = useImportFeedback();
  const [results, setResults] = useState<FileResult[]>([]);
  const [reading, setReading] = useState(false);

  const read = async (files: File[]) => {
    setReading(true);
    try {
      // One at a time, in the order dropped: each file's outcome appears as soon as it is known.
      for (const file of files) {
        let outcomes: Outcome[];
        try {
          const result = await importFeedback.mutateAsync({ eml: await file.text(), fileName: file.name });
          outcomes = [
            ...result.bounces.map((bounce) => ({
              kind: bounce.suppressed ? ('hardBounce' as const) : ('softBounce' as const),
              email: bounce.email,
            })),
            ...result.complaints.map((complaint) => ({ kind: 'complaint' as const, email: complaint.email })),
          ];
          if (outcomes.length === 0) outcomes = [{ kind: 'nothing' }];
        } catch (error) {
          outcomes = [{ kind: 'failed', message: describeError(error, language).message }];
        }
        setResults((previous) => [
          { key: `${Date.now()}-${previous.length}`, name: file.name, outcomes },
          ...previous,
        ]);
      }
    } finally {
      setReading(false);
    }
  };

  return (
    <Stack>
      <Title order={2} size="h3">
        {t('suppressions.feedback.title')}
      </Title>
      <Text size="sm">{t('suppressions.feedback.intro')}</Text>
      <EmlDropzone
        name="feedback-files"
        texts={{
          drop: t('suppressions.feedback.drop'),
          dropLabel: t('suppressions.feedback.dropLabel'),
          reading: t('suppressions.feedback.reading'),
          rejected: t('suppressions.feedback.rejected'),
        }}
        busy={reading}
        minHeight={110}
        onFiles={(files) => void read(files)}
      />
      {results.length > 0 && (
        <Table withTableBorder aria-label={t('suppressions.feedback.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('suppressions.feedback.file')}</Table.Th>
              <Table.Th>{t('suppressions.feedback.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((result) => (
              <Table.Tr key={result.key}>
                <Table.Td style={{ wordBreak: 'break-all' }}>{result.name}</Table.Td>
                <Table.Td>
                  <List size="sm" spacing={2}>
                    {result.outcomes.map((outcome, index) => (
                      <List.Item key={index}>
                        {outcome.kind === 'nothing'
                          ? t('suppressions.feedback.nothing')
                          : outcome.kind === 'failed'
                            ? t('suppressions.feedback.failed', { message: outcome.message })
                            : t(`suppressions.feedback.${outcome.kind}`, { email: outcome.email })}
                      </List.Item>
                    ))}
                  </List>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
