import { Alert, Code, Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DatabaseStartup } from '../../../shared/host-services.js';
import { useUiLanguage } from '../../components/ui-language.js';

/** The clear screen shown when the database failed to open, migrate or verify: what, where, what to do. */
export function StartupErrorScreen({ startup }: { startup: DatabaseStartup & { ok: false } }) {
  const { t } = useTranslation();
  const language = useUiLanguage();
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={1}>{t('startup.title')}</Title>
        <Alert color="red" title={t('startup.whatToDo')} role="alert">
          <Text>{startup.failure.text[language]}</Text>
        </Alert>
        <Text fw={600}>{t('startup.file')}</Text>
        <Code>{startup.path}</Code>
        <Text fw={600}>{t('startup.details')}</Text>
        <Code block>{`${startup.failure.code}\n${startup.failure.detail}`}</Code>
      </Stack>
    </Container>
  );
}
