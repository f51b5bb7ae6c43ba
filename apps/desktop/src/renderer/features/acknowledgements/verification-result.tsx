import { Alert, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { formatDateTime, useUiLanguage } from '../mailings/ui-language.js';

export type BundleVerification = RouterOutputs['acknowledgements']['verify'];

/** A verification as nobody can misread it: green "valid" or red "invalid" with every problem and its field. */
export function VerificationResult({ result }: { result: BundleVerification }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const summary = result.summary;
  return (
    <Alert
      color={result.valid ? 'teal' : 'red'}
      variant="filled"
      role={result.valid ? 'status' : 'alert'}
      title={result.valid ? t('acknowledgements.verify.valid') : t('acknowledgements.verify.invalid')}
      data-verification={result.valid ? 'valid' : 'invalid'}
    >
      <Stack gap={4}>
        {summary && (
          <Text size="sm">
            {t('acknowledgements.verify.summary', {
              signer: summary.signer,
              at: formatDateTime(summary.signedAt, lang),
              count: summary.recipientCount,
              code: summary.verificationCode,
            })}
          </Text>
        )}
        {result.problems.length > 0 && (
          <>
            <Text size="sm" fw={700}>
              {t('acknowledgements.verify.problems')}
            </Text>
            <List size="sm">
              {result.problems.map((problem, index) => (
                <List.Item key={`${problem.field}-${index}`}>
                  <Text span ff="monospace" size="xs">
                    {problem.field}
                  </Text>
                  : {problem.text[lang]}
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Alert>
  );
}
