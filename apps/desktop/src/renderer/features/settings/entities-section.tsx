import { SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormCard, RecordsSection, RowButton } from '../../components/records-section.js';
import { useAddEntity, useDeleteEntity, useEntities, useUpdateEntity } from './queries.js';

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

/**
 * Sender entities: the list, and one form to add an entity or edit one (the api validates KvK, VAT and URLs
 * and says what is wrong; every change is an event in the ledger).
 */
export function EntitiesSection() {
  const { t } = useTranslation();
  const entities = useEntities();
  const [form, setForm] = useState<EntityForm>(EMPTY);
  // The entity being edited, or null while the form adds one. Its id stays: consents refer to it.
  const [editing, setEditing] = useState<{ id: string; legalName: string } | null>(null);
  const add = useAddEntity(() => {
    setForm(EMPTY);
    notifications.show({ color: 'teal', message: t('settings.entities.saved') });
  });
  const update = useUpdateEntity(() => {
    setForm(EMPTY);
    setEditing(null);
    notifications.show({ color: 'teal', message: t('settings.entities.saved') });
  });
  const startEditing = (entity: NonNullable<typeof entities.data>[number]) => {
    add.reset();
    update.reset();
    setEditing({ id: entity.id, legalName: entity.legalName });
    setForm({
      legalName: entity.legalName,
      tradeName: entity.tradeName ?? '',
      postalAddress: entity.postalAddress ?? '',
      contactEmail: entity.contactEmail ?? '',
      kvkNumber: entity.kvkNumber ?? '',
      vatNumber: entity.vatNumber ?? '',
      website: entity.website ?? '',
      unsubscribeUrl: entity.unsubscribeUrl ?? '',
    });
  };
  const stopEditing = () => {
    setEditing(null);
    setForm(EMPTY);
    update.reset();
  };
  // The store keeps an entity that consents or mailings refer to (evidence) and says why.
  const remove = useDeleteEntity(() =>
    notifications.show({
      color: 'teal',
      message: t('settings.entities.deleted'),
      closeButtonProps: { 'aria-label': t('settings.lists.closeNotice') },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = Object.fromEntries(
      Object.entries(form).map(([key, value]) => [key, value.trim()]),
    ) as EntityForm;
    if (editing !== null) {
      // An emptied optional field is cleared; the required ones are always sent.
      update.mutate({
        id: editing.id,
        legalName: trimmed.legalName,
        postalAddress: trimmed.postalAddress,
        contactEmail: trimmed.contactEmail,
        kvkNumber: trimmed.kvkNumber,
        ...Object.fromEntries(OPTIONAL.map((key) => [key, trimmed[key] === '' ? null : trimmed[key]])),
      });
      return;
    }
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
  const formTitle =
    editing === null
      ? t('settings.entities.add')
      : t('settings.entities.editTitle', { name: editing.legalName });
  return (
    <RecordsSection
      title={t('settings.entities.title')}
      intro={t('settings.entities.intro')}
      empty={t('settings.entities.empty')}
      records={entities}
      errors={[remove.error]}
      columns={[
        t('settings.entities.legalName'),
        t('settings.entities.postalAddress'),
        t('settings.entities.kvkNumber'),
        t('settings.entities.contactEmail'),
        null,
      ]}
      row={(entity) => (
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
            <RowButton
              tone="edit"
              label={t('settings.entities.editLabel', { name: entity.legalName })}
              onClick={() => startEditing(entity)}
            >
              {t('settings.entities.edit')}
            </RowButton>
            <RowButton
              tone="delete"
              label={t('settings.entities.deleteLabel', { name: entity.legalName })}
              onClick={() => remove.mutate({ id: entity.id })}
            >
              {t('settings.entities.delete')}
            </RowButton>
          </Table.Td>
        </Table.Tr>
      )}
    >
      <FormCard
        title={formTitle}
        onSubmit={submit}
        errors={[add.error, update.error]}
        pending={add.isPending || update.isPending}
        submitLabel={editing === null ? t('settings.entities.save') : t('settings.entities.saveChanges')}
        cancel={
          editing === null ? undefined : { label: t('settings.entities.cancelEdit'), onCancel: stopEditing }
        }
      >
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
      </FormCard>
    </RecordsSection>
  );
}
