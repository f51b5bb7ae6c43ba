import { Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
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
    create.mutate({ name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('settings.lists.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('settings.lists.intro')}
      </Text>
      {lists.isError && <ErrorNotice error={lists.error} onRetry={() => void lists.refetch()} />}
      {archive.isError && <ErrorNotice error={archive.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {lists.data?.length === 0 && <Text>{t('settings.lists.empty')}</Text>}
      {lists.data && lists.data.length > 0 && (
        <Table withTableBorder aria-label={t('settings.lists.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.lists.name')}</Table.Th>
              <Table.Th>{t('settings.lists.description')}</Table.Th>
              <Table.Th>{t('settings.lists.members')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lists.data.map((list) => (
              <Table.Tr key={list.id}>
                <Table.Td>{list.name}</Table.Td>
                <Table.Td>{list.description}</Table.Td>
                <Table.Td>{list.memberCount.toLocaleString(i18n.language)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="gray"
                    aria-label={t('settings.lists.archiveLabel', { name: list.name })}
                    onClick={() => archive.mutate({ id: list.id, archived: true })}
                  >
                    {t('settings.lists.archive')}
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="gray"
                    c="red.9"
                    aria-label={t('settings.lists.deleteLabel', { name: list.name })}
                    onClick={() => remove.mutate({ id: list.id })}
                  >
                    {t('settings.lists.delete')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Card withBorder component="form" onSubmit={submit} aria-label={t('settings.lists.add')} maw={640}>
        <Stack>
          <Title order={3} size="h5">
            {t('settings.lists.add')}
          </Title>
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
          {create.isError && <ErrorNotice error={create.error} />}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('settings.lists.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
