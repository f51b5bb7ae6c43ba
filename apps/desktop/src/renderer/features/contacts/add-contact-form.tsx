import type { RouterInputs } from '../../app/api-types.js';
import { MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../app/routes.js';
import { DateOnlyInput } from '../../components/date-only-input.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { optionalField } from '../../components/optional-field.js';
import { CustomerQuestions } from './customer-questions.js';
import {
  EMPTY_CUSTOMER_EVIDENCE,
  customerEvidence,
  type CustomerEvidenceChoice,
} from '../import/customer-evidence-fields.js';
import { ContactDialog, DialogFooter } from './contact-dialog.js';
import { useAddContact, useContactFormOptions } from './queries.js';

/** How the person consented, in the owner's words (a web sign-up arrives through the opt-in service). */
// Typed by the api's input: a way the api adds or drops fails typecheck here and in FIELDS below.
export type AddWay = RouterInputs['contacts']['add']['way'];
export const ADD_WAYS = ['PHONE', 'PAPER', 'COUNTER', 'CUSTOMER'] as const satisfies readonly AddWay[];

/**
 * The evidence fields each way needs (docs/policy-rules.md P1/Q1): exactly these are asked for. An existing
 * customer answers the import wizard's customer questions instead (C1–C11).
 */
const FIELDS: Record<AddWay, readonly ('staffMember' | 'scanRef' | 'recordingRef')[]> = {
  PHONE: ['staffMember', 'recordingRef'],
  PAPER: ['scanRef'],
  COUNTER: ['staffMember', 'scanRef'],
  CUSTOMER: [],
};

interface Person {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  organisation?: string | null;
}

/**
 * A dialog to add one contact or, given `person`, to add consent evidence to that contact: the way they
 * consented, the date as entered (date only), who called or served them, the script or form text, and
 * the lists. The policy's class for a newsletter is shown when saved.
 */
export function AddContactDialog({
  opened,
  onClose,
  person,
}: {
  opened: boolean;
  onClose: () => void;
  person?: Person;
}) {
  const { t } = useTranslation();
  const title = person ? t('contacts.add.editTitle', { email: person.email }) : t('contacts.add.title');
  return (
    <ContactDialog opened={opened} onClose={onClose} title={title}>
      <AddContactForm onDone={onClose} title={title} {...(person ? { person } : {})} />
    </ContactDialog>
  );
}

function AddContactForm({ onDone, person, title }: { onDone: () => void; person?: Person; title: string }) {
  const { t } = useTranslation();
  const { entities, lists, texts } = useContactFormOptions();
  const [email, setEmail] = useState(person?.email ?? '');
  const [firstName, setFirstName] = useState(person?.firstName ?? '');
  const [lastName, setLastName] = useState(person?.lastName ?? '');
  const [way, setWay] = useState<AddWay>('PHONE');
  const [date, setDate] = useState('');
  const [staffMember, setStaffMember] = useState('');
  const [scanRef, setScanRef] = useState('');
  const [recordingRef, setRecordingRef] = useState('');
  const [textId, setTextId] = useState<string | null>(null);
  const [chosenEntity, setEntity] = useState<string | null>(null);
  const [listIds, setListIds] = useState<string[]>([]);
  const [customer, setCustomer] = useState<CustomerEvidenceChoice>(EMPTY_CUSTOMER_EVIDENCE);
  const [orderRef, setOrderRef] = useState('');
  const isCustomer = way === 'CUSTOMER';
  // The only sender is chosen already.
  const entityId = chosenEntity ?? (entities.data?.length === 1 ? (entities.data[0]?.id ?? null) : null);
  const save = useAddContact((result) => {
    notifications.show({
      color: 'teal',
      message: t(result.created ? 'contacts.add.added' : 'contacts.add.updated', {
        email: result.email,
        classification: result.classification ? t(`vocabulary.classes.${result.classification}`) : '–',
      }),
      closeButtonProps: { 'aria-label': t('contacts.add.closeNotice') },
    });
    onDone();
    navigate('contacts', result.email);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (entityId === null || (textId === null && !isCustomer)) return;
    const fields = FIELDS[way];
    // Only the fields this way asks for: a value typed under another way before switching is not sent.
    const optional = (name: (typeof fields)[number], value: string) =>
      fields.includes(name) ? optionalField(name, value) : {};
    save.mutate({
      email: email.trim(),
      ...optionalField('firstName', firstName),
      ...optionalField('lastName', lastName),
      senderEntityId: entityId,
      listIds,
      way,
      ...(isCustomer
        ? {
            // The date asked of a customer is that of the order; the evidence as the import sends it.
            customer: {
              ...customerEvidence(customer),
              ...optionalField('orderRef', orderRef),
              ...optionalField('orderDate', date),
            },
          }
        : {
            date,
            ...(textId === null ? {} : { consentTextVersionId: textId }),
            ...optional('staffMember', staffMember),
            ...optional('scanRef', scanRef),
            ...optional('recordingRef', recordingRef),
          }),
    });
  };
  const fields = FIELDS[way];
  const noTexts = texts.data !== undefined && texts.data.length === 0;
  return (
    <form onSubmit={submit} aria-label={title}>
      <Stack>
        <Text size="sm">{t('contacts.add.intro')}</Text>
        {(entities.isError || lists.isError || texts.isError) && (
          <ErrorNotice error={entities.error ?? lists.error ?? texts.error} />
        )}
        <TextInput
          label={t('contacts.columns.email')}
          type="email"
          required
          value={email}
          readOnly={person !== undefined}
          onChange={(event) => setEmail(event.currentTarget.value)}
          data-autofocus
        />
        <SimpleGrid cols={2}>
          <TextInput
            label={t('contacts.add.firstName')}
            value={firstName}
            onChange={(event) => setFirstName(event.currentTarget.value)}
          />
          <TextInput
            label={t('contacts.add.lastName')}
            value={lastName}
            onChange={(event) => setLastName(event.currentTarget.value)}
          />
        </SimpleGrid>
        <Select
          label={t('contacts.add.way')}
          data={ADD_WAYS.map((value) => ({ value, label: t(`contacts.add.ways.${value}`) }))}
          value={way}
          onChange={(value) => value && setWay(value)}
          allowDeselect={false}
          description={t(`contacts.add.wayHints.${way}`)}
        />
        {isCustomer && (
          <CustomerQuestions
            choice={customer}
            onChoice={setCustomer}
            orderRef={orderRef}
            onOrderRef={setOrderRef}
            orderDate={date}
            onOrderDate={setDate}
          />
        )}
        {!isCustomer && (
          <SimpleGrid cols={2}>
            <DateOnlyInput label={t(`contacts.add.dates.${way}`)} required value={date} onChange={setDate} />
            {fields.includes('staffMember') && (
              <TextInput
                label={t(`contacts.add.staff.${way === 'PHONE' ? 'PHONE' : 'COUNTER'}`)}
                required
                value={staffMember}
                onChange={(event) => setStaffMember(event.currentTarget.value)}
              />
            )}
            {fields.includes('scanRef') && (
              <TextInput
                label={t('contacts.add.scanRef')}
                description={t('contacts.add.scanRefHint')}
                required
                value={scanRef}
                onChange={(event) => setScanRef(event.currentTarget.value)}
              />
            )}
            {fields.includes('recordingRef') && (
              <TextInput
                label={t('contacts.add.recordingRef')}
                description={t('contacts.add.optional')}
                value={recordingRef}
                onChange={(event) => setRecordingRef(event.currentTarget.value)}
              />
            )}
          </SimpleGrid>
        )}
        {!isCustomer && (
          <Select
            label={t(way === 'PHONE' ? 'contacts.add.script' : 'contacts.add.formText')}
            description={noTexts ? t('contacts.add.noTexts') : undefined}
            required
            data={(texts.data ?? []).map((text) => ({ value: text.id, label: text.label }))}
            value={textId}
            onChange={setTextId}
          />
        )}
        <Select
          label={t('contacts.add.entity')}
          required
          data={(entities.data ?? []).map((entity) => ({
            value: entity.id,
            label: entity.tradeName ?? entity.legalName,
          }))}
          value={entityId}
          onChange={setEntity}
        />
        <MultiSelect
          label={t('contacts.add.lists')}
          description={t('contacts.add.listsHint')}
          data={(lists.data ?? []).map((list) => ({ value: list.id, label: list.name }))}
          value={listIds}
          onChange={setListIds}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': t('contacts.add.clearLists') }}
        />
        <DialogFooter
          error={save.error}
          pending={save.isPending}
          onCancel={onDone}
          disabled={entityId === null || (textId === null && !isCustomer)}
        >
          {t('contacts.add.save')}
        </DialogFooter>
      </Stack>
    </form>
  );
}
