import { Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../app/trpc.js';
import { ErrorNotice } from '../../components/error-notice.js';

const EMPTY = {
  legalName: '',
  tradeName: '',
  postalAddress: '',
  contactEmail: '',
  kvkNumber: '',
  vatNumber: '',
  website: '',
  unsubscribeUrl: '',
};
type EntityForm = typeof EMPTY;
const OPTIONAL: (keyof EntityForm)[] = ['tradeName', 'vatNumber', 'website', 'unsubscribeUrl'];

/** Sender entities: the list, and a form to add one (the api validates KvK, VAT, URLs and says what is wrong). */
export function EntitiesSection() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const entities = useQuery(trpc.entities.list.queryOptions());
  const [form, setForm] = useState<EntityForm>(EMPTY);
  const add = useMutation(
    trpc.entities.add.mutationOptions({
      onSuccess: async () => {
        setForm(EMPTY);
        notifications.show({ color: 'teal', message: t('settings.entities.saved') });
        await queryClient.invalidateQueries({ queryKey: trpc.entities.list.queryKey() });
      },
    }),
  );
  // The store keeps an entity that consents or mailings refer to (evidence) and says why.
  const remove = useMutation(
    trpc.entities.delete.mutationOptions({
      onSuccess: async () => {
        notifications.show({
          color: 'teal',
          message: t('settings.entities.deleted'),
          closeButtonProps: { 'aria-label': t('settings.lists.closeNotice') },
        });
        await queryClient.invalidateQueries({ queryKey: trpc.entities.list.queryKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = Object.fromEntries(
      Object.entries(form).map(([key, value]) => [key, value.trim()]),
    ) as EntityForm;
    add.mutate({
      legalName: trimmed.legalName,
      postalAddress: trimmed.postalAddress,
      contactEmail: trimmed.contactEmail,
      kvkNumber: trimmed.kvkNumber,
      ...Object.fromEntries(OPTIONAL.filter((key) => trimmed[key] !== '').map((key) => [key, trimmed[key]])),
    });
  };
  const field = (key: keyof EntityForm, required = true) => (
    <TextInput
      label={t(`settings.entities.${key}`)}
      description={required ? undefined : t('settings.entities.optional')}
      required={required}
      value={form[key]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setForm((previous) => ({ ...previous, [key]: value }));
      }}
    />
  );
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('settings.entities.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('settings.entities.intro')}
      </Text>
      {entities.isError && <ErrorNotice error={entities.error} onRetry={() => void entities.refetch()} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {entities.data && entities.data.length === 0 && <Text>{t('settings.entities.empty')}</Text>}
      {entities.data && entities.data.length > 0 && (
        <Table withTableBorder aria-label={t('settings.entities.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.entities.legalName')}</Table.Th>
              <Table.Th>{t('settings.entities.postalAddress')}</Table.Th>
              <Table.Th>{t('settings.entities.kvkNumber')}</Table.Th>
              <Table.Th>{t('settings.entities.contactEmail')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entities.data.map((entity) => (
              <Table.Tr key={entity.id}>
                <Table.Td>
                  {entity.legalName}
                  {entity.tradeName && (
                    <Text size="xs" c="dimmed">
                      {entity.tradeName}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{entity.postalAddress}</Table.Td>
                <Table.Td>{entity.kvkNumber}</Table.Td>
                <Table.Td>{entity.contactEmail}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="gray"
                    c="red.9"
                    aria-label={t('settings.entities.deleteLabel', { name: entity.legalName })}
                    onClick={() => remove.mutate({ id: entity.id })}
                  >
                    {t('settings.entities.delete')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Card withBorder component="form" onSubmit={submit} aria-label={t('settings.entities.add')}>
        <Stack>
          <Title order={3} size="h5">
            {t('settings.entities.add')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {field('legalName')}
            {field('tradeName', false)}
            {field('postalAddress')}
            {field('contactEmail')}
            {field('kvkNumber')}
            {field('vatNumber', false)}
            {field('website', false)}
            {field('unsubscribeUrl', false)}
          </SimpleGrid>
          {add.isError && <ErrorNotice error={add.error} />}
          <Group>
            <Button type="submit" loading={add.isPending}>
              {t('settings.entities.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
