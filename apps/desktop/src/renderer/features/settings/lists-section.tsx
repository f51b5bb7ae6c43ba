import { Table, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { optionalField } from '../../components/optional-field.js';
import { FormCard, RecordsSection, RowButton } from '../../components/records-section.js';
import { useCreateList, useDeleteList, useLists, useUpdateList } from './queries.js';

/** Lists: member counts, add, archive. */
export function ListsSection() {
  const { t, i18n } = useTranslation();
  const lists = useLists();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useCreateList(() => {
    setName('');
    setDescription('');
    notifications.show({ color: 'teal', message: t('settings.lists.saved') });
  });
  const archive = useUpdateList();
  // The store refuses to delete a list a mailing or an import used (it is evidence) and says why.
  const remove = useDeleteList(() =>
    notifications.show({
      color: 'teal',
      message: t('settings.lists.deleted'),
      closeButtonProps: { 'aria-label': t('settings.lists.closeNotice') },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), ...optionalField('description', description) });
  };
  return (
    <RecordsSection
      title={t('settings.lists.title')}
      intro={t('settings.lists.intro')}
      empty={t('settings.lists.empty')}
      records={lists}
      errors={[archive.error, remove.error]}
      columns={[t('settings.lists.name'), t('settings.lists.description'), t('settings.lists.members'), null]}
      row={(list) => (
        <Table.Tr key={list.id}>
          <Table.Td>{list.name}</Table.Td>
          <Table.Td>{list.description}</Table.Td>
          <Table.Td>{list.memberCount.toLocaleString(i18n.language)}</Table.Td>
          <Table.Td>
            <RowButton
              tone="quiet"
              label={t('settings.lists.archiveLabel', { name: list.name })}
              onClick={() => archive.mutate({ id: list.id, archived: true })}
            >
              {t('settings.lists.archive')}
            </RowButton>
            <RowButton
              tone="delete"
              label={t('settings.lists.deleteLabel', { name: list.name })}
              onClick={() => remove.mutate({ id: list.id })}
            >
              {t('settings.lists.delete')}
            </RowButton>
          </Table.Td>
        </Table.Tr>
      )}
    >
      <FormCard
        title={t('settings.lists.add')}
        onSubmit={submit}
        maw={640}
        errors={[create.error]}
        pending={create.isPending}
        submitLabel={t('settings.lists.save')}
      >
        <TextInput
          label={t('settings.lists.name')}
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
        />
        <TextInput
          label={t('settings.lists.description')}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
      </FormCard>
    </RecordsSection>
  );
}
