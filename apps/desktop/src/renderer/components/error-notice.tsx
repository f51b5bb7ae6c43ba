import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from './describe-error.js';
import { useUiLanguage } from './ui-language.js';

/** Shows an error the way a user can act on it: the api's own bilingual text when there is one. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const described = describeError(error, lang);
  return (
    <Alert color="red" title={t('app.error')} role="alert" maw={720}>
      <Stack gap="xs">
        <Text size="sm">{described.message}</Text>
        {/* A code helps support find the cause; an input the user can fix needs none (issue 14). */}
        {described.code !== 'INTERNAL' && described.code !== 'INVALID_INPUT' && (
          <Text fz="xs" c="dimmed">
            {t('app.errorCode', { code: described.code })}
          </Text>
        )}
        {onRetry && (
          <Button variant="light" color="red" size="xs" onClick={onRetry} w="fit-content">
            {t('app.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
