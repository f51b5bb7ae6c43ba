import { CONSENT_METHODS } from '@consent-mailer/policy/vocabulary';
import { Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AddContactDialog } from './add-contact-form.js';
import { CONTACT_CLASSES, type ContactClassFilter, type ContactMethodFilter } from './contact-options.js';
import { ContactTable } from './contact-table.js';
import type { ContactFilters } from './queries.js';
import { useLists } from '../settings/queries.js';

/** Contacts: filters by class, method and list, a search box, and the virtualised table. */
export function ContactListPage() {
  const { t } = useTranslation();
  const lists = useLists();
  const [classification, setClassification] = useState<ContactClassFilter | null>(null);
  const [method, setMethod] = useState<ContactMethodFilter | null>(null);
  const [listId, setListId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [adding, setAdding] = useState(false);
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const filters: ContactFilters = {
    ...(classification ? { classification } : {}),
    ...(method ? { method } : {}),
    ...(listId ? { listId } : {}),
    ...(debouncedSearch ? { search: debouncedSearch } : {}),
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('contacts.title')}</Title>
        <Button onClick={() => setAdding(true)}>{t('contacts.add.button')}</Button>
      </Group>
      <AddContactDialog opened={adding} onClose={() => setAdding(false)} />
      <Group align="end" role="search" aria-label={t('contacts.filters')}>
        <TextInput
          label={t('contacts.search')}
          placeholder={t('contacts.searchPlaceholder')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={280}
          type="search"
        />
        <Select
          label={t('contacts.classification')}
          placeholder={t('contacts.any')}
          data={CONTACT_CLASSES.map((value) => ({ value, label: t(`vocabulary.classes.${value}`) }))}
          value={classification}
          onChange={(value) => setClassification(value)}
          clearable
        />
        <Select
          label={t('contacts.method')}
          placeholder={t('contacts.any')}
          data={CONSENT_METHODS.map((value) => ({ value, label: t(`vocabulary.methods.${value}`) }))}
          value={method}
          onChange={(value) => setMethod(value)}
          clearable
          w={320}
        />
        <Select
          label={t('contacts.list')}
          placeholder={t('contacts.any')}
          data={(lists.data ?? []).map((list) => ({ value: list.id, label: list.name }))}
          value={listId}
          onChange={setListId}
          clearable
        />
      </Group>
      <ContactTable filters={filters} />
    </Stack>
  );
}
