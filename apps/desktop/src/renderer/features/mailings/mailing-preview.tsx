import { Card, Stack, Text, Title } from '@mantine/core';
import DOMPurify from 'dompurify';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The mailing's HTML as the recipient will see it, in an iframe that can run nothing: `sandbox` without
 * allow-scripts (and without allow-same-origin, so it cannot reach the app), and the HTML sanitised by
 * DOMPurify first, because some mail HTML carries scripts, forms or event handlers.
 */
export function MailingPreview({ subject, html }: { subject: string; html: string }) {
  const { t } = useTranslation();
  const safe = useMemo(
    () => DOMPurify.sanitize(html, { WHOLE_DOCUMENT: true, FORBID_TAGS: ['form', 'input', 'button'] }),
    [html],
  );
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="mailing-preview-title">
      <Stack gap="xs">
        <Title order={3} size="h5" id="mailing-preview-title">
          {t('mailings.compose.preview')}
        </Title>
        <Text fw={600} size="sm" data-testid="preview-subject">
          {subject || '—'}
        </Text>
        {html.trim() === '' ? (
          <Text size="sm" c="dimmed">
            {t('mailings.compose.previewEmpty')}
          </Text>
        ) : (
          <iframe
            title={t('mailings.compose.previewFrame')}
            sandbox=""
            srcDoc={safe}
            style={{
              width: '100%',
              height: 420,
              border: '1px solid var(--mantine-color-gray-3)',
              borderRadius: 6,
              background: 'white',
            }}
          />
        )}
        <Text size="xs" c="dimmed">
          {t('mailings.compose.previewNote')}
        </Text>
      </Stack>
    </Card>
  );
}
