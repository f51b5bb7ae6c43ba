import { Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAddSuppression, useSuppressionList } from './queries.js';
import { isSuppressionReason as isReason, isSuppressionSource as isSource } from './suppressions.messages.js';

/** The suppression list: search, reason, how it came in, date; and adding an address by hand. */
export function SuppressionList() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const list = useSuppressionList(debounced);
  const [email, setEmail] = useState('');
  const [note, setNote] = useState('');
  const add = useAddSuppression((added) => {
    setEmail('');
    setNote('');
    notifications.show({
      color: 'teal',
      message: t('suppressions.add.saved', { email: added }),
      closeButtonProps: { 'aria-label': t('suppressions.add.closeNotice') },
    });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ email: email.trim(), ...(note.trim() ? { note: note.trim() } : {}) });
  };
  const formatDate = (value: string) =>
    new Date(value).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Stack>
      <TextInput
        type="search"
        label={t('suppressions.search')}
        description={t('suppressions.searchHint')}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={480}
      />
      {list.isError && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data?.length === 0 && (
        <Text>{debounced.trim() ? t('suppressions.noMatch') : t('suppressions.empty')}</Text>
      )}
      {list.data && list.data.length > 0 && (
        <Table withTableBorder striped aria-label={t('suppressions.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('suppressions.address')}</Table.Th>
              <Table.Th>{t('suppressions.reason')}</Table.Th>
              <Table.Th>{t('suppressions.source')}</Table.Th>
              <Table.Th>{t('suppressions.date')}</Table.Th>
              <Table.Th>{t('suppressions.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  {row.email ?? (
                    <Text span size="sm" c="gray.7">
                      {t('suppressions.unknownAddress')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {isReason(row.reason) ? t(`suppressions.reasons.${row.reason}`) : row.reason}
                </Table.Td>
                <Table.Td>
                  {isSource(row.source)
                    ? t(`suppressions.sources.${row.source}`)
                    : t('suppressions.sources.unknown')}
                </Table.Td>
                <Table.Td>{formatDate(row.createdAt)}</Table.Td>
                <Table.Td>{row.note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Card withBorder component="form" onSubmit={submit} aria-label={t('suppressions.add.title')} maw={640}>
        <Stack>
          <Title order={3} size="h5">
            {t('suppressions.add.title')}
          </Title>
          <Text size="sm">{t('suppressions.add.intro')}</Text>
          <TextInput
            label={t('suppressions.add.email')}
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <TextInput
            label={t('suppressions.add.note')}
            placeholder={t('suppressions.add.notePlaceholder')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {add.isError && <ErrorNotice error={add.error} />}
          <Group>
            <Button type="submit" loading={add.isPending}>
              {t('suppressions.add.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
