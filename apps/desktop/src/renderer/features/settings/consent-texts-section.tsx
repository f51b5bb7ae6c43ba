import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs } from '../../app/api-types.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { settingsMessages } from './settings.messages.js';
import { useAddConsentText, useConsentTexts } from './queries.js';

type TextKind = RouterInputs['settings']['consentTexts']['add']['kind'];
type TextLanguage = RouterInputs['settings']['consentTexts']['add']['language'];
const KIND_LABELS: Record<TextKind, string> = settingsMessages.nl.texts.kinds;
const KINDS = Object.keys(KIND_LABELS) as TextKind[];
const LANGUAGES: Record<TextLanguage, string> = {
  nl: 'Nederlands',
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
};

/** Consent text versions: immutable, identified by their sha256; list and record a new one. */
export function ConsentTextsSection() {
  const { t, i18n } = useTranslation();
  const texts = useConsentTexts();
  const [kind, setKind] = useState<TextKind>('CONSENT');
  const [language, setLanguage] = useState<TextLanguage>(i18n.language === 'nl' ? 'nl' : 'en');
  const [label, setLabel] = useState('');
  const [body, setBody] = useState('');
  const add = useAddConsentText(() => {
    setLabel('');
    setBody('');
    notifications.show({ color: 'teal', message: t('settings.texts.saved') });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ kind, language, label: label.trim(), body });
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('settings.texts.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('settings.texts.intro')}
      </Text>
      {texts.isError && <ErrorNotice error={texts.error} onRetry={() => void texts.refetch()} />}
      {texts.data?.length === 0 && <Text>{t('settings.texts.empty')}</Text>}
      {texts.data && texts.data.length > 0 && (
        <Table withTableBorder aria-label={t('settings.texts.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.texts.label')}</Table.Th>
              <Table.Th>{t('settings.texts.kind')}</Table.Th>
              <Table.Th>{t('settings.texts.language')}</Table.Th>
              <Table.Th>{t('settings.texts.created')}</Table.Th>
              <Table.Th>{t('settings.texts.fingerprint')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {texts.data.map((text) => (
              <Table.Tr key={text.id}>
                <Table.Td>{text.label}</Table.Td>
                <Table.Td>
                  <Badge variant="light" tt="none">
                    {text.kind in KIND_LABELS ? t(`settings.texts.kinds.${text.kind}`) : text.kind}
                  </Badge>
                </Table.Td>
                <Table.Td>{text.language}</Table.Td>
                <Table.Td>{new Date(text.created_at).toLocaleDateString(i18n.language)}</Table.Td>
                <Table.Td>
                  <Code fz="xs">{text.id.slice(0, 12)}…</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Card withBorder component="form" onSubmit={submit} aria-label={t('settings.texts.add')} maw={720}>
        <Stack>
          <Title order={3} size="h5">
            {t('settings.texts.add')}
          </Title>
          <Group grow>
            <Select
              label={t('settings.texts.kind')}
              data={KINDS.map((value) => ({ value, label: t(`settings.texts.kinds.${value}`) }))}
              value={kind}
              onChange={(value) => value && setKind(value)}
              allowDeselect={false}
            />
            <Select
              label={t('settings.texts.language')}
              data={(Object.keys(LANGUAGES) as TextLanguage[]).map((value) => ({
                value,
                label: LANGUAGES[value],
              }))}
              value={language}
              onChange={(value) => value && setLanguage(value)}
              allowDeselect={false}
            />
          </Group>
          <TextInput
            label={t('settings.texts.label')}
            required
            value={label}
            onChange={(event) => setLabel(event.currentTarget.value)}
          />
          <Textarea
            label={t('settings.texts.body')}
            required
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            autosize
            minRows={4}
          />
          {add.isError && <ErrorNotice error={add.error} />}
          <Group>
            <Button type="submit" loading={add.isPending}>
              {t('settings.texts.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
