import { Card, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from '../../components/language-select.js';

/** Settings: language now; sender entities, SMTP profiles, lists and consent texts as the api grows. */
export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('nav.settings')}</Title>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('language.label')}
          </Title>
          <LanguageSelect />
        </Stack>
      </Card>
    </Stack>
  );
}
