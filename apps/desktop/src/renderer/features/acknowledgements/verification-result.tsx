import { Alert, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';

export type BundleVerification = RouterOutputs['acknowledgements']['verify'];

/**
 * A verification as nobody can misread it: green "valid" only when the signing key was pinned, yellow
 * "checked against the key inside the file only" when it was not (anyone can re-sign an edited file with a
 * fresh key), red "invalid" with every problem and its field.
 */
export function VerificationResult({ result }: { result: BundleVerification }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const summary = result.summary;
  const state = !result.valid ? 'invalid' : result.keyPinned ? 'valid' : 'unpinned';
  return (
    <Alert
      color={state === 'valid' ? 'teal' : state === 'unpinned' ? 'yellow' : 'red'}
      variant="filled"
      role={state === 'invalid' ? 'alert' : 'status'}
      title={t(`acknowledgements.verify.${state}`)}
      data-verification={state}
    >
      <Stack gap={4}>
        {state === 'unpinned' && (
          <Text size="sm" data-testid="unpinned-key">
            {t('acknowledgements.verify.unpinnedText', { fingerprint: summary?.keyFingerprint ?? '' })}
          </Text>
        )}
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
