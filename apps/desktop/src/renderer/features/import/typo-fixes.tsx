import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { useCorrectDomain } from '../contacts/queries.js';
import type { ImportJob } from './run-step.js';

type Suggestion = NonNullable<ImportJob['result']>['suggestionSamples'][number];
type Decision = { kind: 'fixed'; to: string } | { kind: 'kept' };

/**
 * The rows whose domain looks mistyped (hotmail.con), each with the suggested fix for the owner to accept
 * or to keep as imported. Accepting corrects the contact (a chained event); keeping changes nothing. Nothing
 * is corrected without a click: a suggestion can be wrong (a real domain that resembles a big one).
 */
export function TypoFixes({ suggestions, total }: { suggestions: Suggestion[]; total: number }) {
  const { t, i18n } = useTranslation();
  const [decisions, setDecisions] = useState<Record<number, Decision>>({});
  const [failed, setFailed] = useState<{ error: unknown } | null>(null);
  const decide = (row: number, decision: Decision) =>
    setDecisions((previous) => ({ ...previous, [row]: decision }));
  const correct = useCorrectDomain(() => undefined);
  const accept = (suggestion: Suggestion) => {
    setFailed(null);
    correct.mutate(
      { email: suggestion.email, corrected: suggestion.suggestion },
      {
        onSuccess: (result) => decide(suggestion.rowNumber, { kind: 'fixed', to: result.to }),
        onError: (error) => setFailed({ error }),
      },
    );
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby="typo-fixes-title">
      <Title order={2} size="h4" id="typo-fixes-title">
        {t('import.result.typos.title')}
      </Title>
      <Text size="sm">{t('import.result.typos.intro')}</Text>
      {total > suggestions.length && (
        <Text size="sm">{t('import.result.typos.more', { shown: suggestions.length, total })}</Text>
      )}
      <Table aria-labelledby="typo-fixes-title" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('import.result.typos.row')}</Table.Th>
            <Table.Th>{t('import.result.typos.imported')}</Table.Th>
            <Table.Th>{t('import.result.typos.suggested')}</Table.Th>
            <Table.Th>{t('import.result.typos.decision')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {suggestions.map((suggestion) => {
            const decision = decisions[suggestion.rowNumber];
            return (
              <Table.Tr key={suggestion.rowNumber}>
                <Table.Td>{suggestion.rowNumber.toLocaleString(i18n.language)}</Table.Td>
                <Table.Td>{suggestion.email}</Table.Td>
                <Table.Td>{suggestion.suggestion}</Table.Td>
                <Table.Td>
                  {decision?.kind === 'fixed' ? (
                    <Badge color="teal" variant="light">
                      {t('import.result.typos.fixed', { to: decision.to })}
                    </Badge>
                  ) : decision?.kind === 'kept' ? (
                    <Badge color="gray" variant="light">
                      {t('import.result.typos.kept')}
                    </Badge>
                  ) : (
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        loading={correct.isPending && correct.variables.email === suggestion.email}
                        onClick={() => accept(suggestion)}
                        aria-label={t('import.result.typos.acceptFor', { to: suggestion.suggestion })}
                      >
                        {t('import.result.typos.accept')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => decide(suggestion.rowNumber, { kind: 'kept' })}
                        aria-label={t('import.result.typos.keepFor', { email: suggestion.email })}
                      >
                        {t('import.result.typos.keep')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {failed && <ErrorNotice error={failed.error} />}
    </Stack>
  );
}
