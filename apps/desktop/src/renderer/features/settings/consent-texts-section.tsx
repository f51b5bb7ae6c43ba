import { Badge, Code, Group, Select, Table, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs } from '../../app/api-types.js';
import { FormCard, RecordsSection } from '../../components/records-section.js';
import { settingsMessages } from './settings.messages.js';
import { useAddConsentText, useConsentTexts } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

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
  const [language, setLanguage] = useState<TextLanguage>(useUiLanguage());
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
    <RecordsSection
      title={t('settings.texts.title')}
      intro={t('settings.texts.intro')}
      empty={t('settings.texts.empty')}
      records={texts}
      columns={[
        t('settings.texts.label'),
        t('settings.texts.kind'),
        t('settings.texts.language'),
        t('settings.texts.created'),
        t('settings.texts.fingerprint'),
      ]}
      row={(text) => (
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
      )}
    >
      <FormCard
        title={t('settings.texts.add')}
        onSubmit={submit}
        maw={720}
        errors={[add.error]}
        pending={add.isPending}
        submitLabel={t('settings.texts.save')}
      >
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
      </FormCard>
    </RecordsSection>
  );
}
