import { Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { DateOnlyInput, storedDay } from '../../components/date-only-input.js';
import { optionalField } from '../../components/optional-field.js';
import { ContactDialog, DialogFooter } from './contact-dialog.js';
import { CorrectCustomerForm, type CorrectionFormProps } from './correct-customer-form.js';
import { useContactFormOptions, useCorrectEvidence } from './queries.js';

type Consent = RouterOutputs['contacts']['get']['consents'][number];

type Corrected = RouterOutputs['contacts']['correctEvidence'];

/**
 * Corrects what was typed wrong in a consent's evidence: for a phone or paper consent the date, who called
 * or served, the scan or recording reference, the script or form text; for an existing customer the order
 * and the opt-out offered. The method, lists and any unsubscribe stay as they are. Saved, it says the class
 * for a newsletter (a customer's may change with the correction).
 */
export function CorrectEvidenceDialog({
  email,
  consent,
  opened,
  onClose,
}: {
  email: string;
  consent: Consent;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const title = t('contacts.correct.title');
  const onSaved = (result: Corrected) => {
    notifications.show({
      color: 'teal',
      message: t('contacts.correct.saved', {
        classification: result.classification ? t(`vocabulary.classes.${result.classification}`) : '–',
      }),
      closeButtonProps: { 'aria-label': t('contacts.add.closeNotice') },
    });
    onClose();
  };
  const Form = consent.method === 'CUSTOMER' ? CorrectCustomerForm : CorrectEvidenceForm;
  return (
    <ContactDialog opened={opened} onClose={onClose} title={title}>
      <Form email={email} consent={consent} onSaved={onSaved} onCancel={onClose} title={title} />
    </ContactDialog>
  );
}

/** The phone or paper consent's correction: every field is sent, the store keeps what did not change. */
function CorrectEvidenceForm({ email, consent, onSaved, onCancel, title }: CorrectionFormProps) {
  const { t } = useTranslation();
  const { texts } = useContactFormOptions();
  const phone = consent.method === 'PHONE';
  const [date, setDate] = useState(storedDay(consent.signup_at));
  const [staffMember, setStaffMember] = useState(consent.phone_agent ?? '');
  const [scanRef, setScanRef] = useState(consent.paper_scan_ref ?? '');
  const [recordingRef, setRecordingRef] = useState(consent.phone_recording_ref ?? '');
  const [textId, setTextId] = useState<string | null>(consent.consent_text_version_id);
  const save = useCorrectEvidence(onSaved);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      email,
      senderEntityId: consent.sender_entity_id,
      ...(date ? { date } : {}),
      ...optionalField('staffMember', staffMember),
      ...(phone ? {} : optionalField('scanRef', scanRef)),
      ...(phone ? { recordingRef: recordingRef.trim() || null } : {}),
      ...(textId ? { consentTextVersionId: textId } : {}),
    });
  };
  return (
    <form onSubmit={submit} aria-label={title}>
      <Stack>
        <Text size="sm">{t('contacts.correct.intro')}</Text>
        <SimpleGrid cols={2}>
          <DateOnlyInput
            label={t(phone ? 'contacts.add.dates.PHONE' : 'contacts.add.dates.PAPER')}
            required
            value={date}
            onChange={setDate}
          />
          <TextInput
            label={t(phone ? 'contacts.add.staff.PHONE' : 'contacts.add.staff.COUNTER')}
            required={phone}
            value={staffMember}
            onChange={(event) => setStaffMember(event.currentTarget.value)}
          />
          {phone ? (
            <TextInput
              label={t('contacts.add.recordingRef')}
              description={t('contacts.add.optional')}
              value={recordingRef}
              onChange={(event) => setRecordingRef(event.currentTarget.value)}
            />
          ) : (
            <TextInput
              label={t('contacts.add.scanRef')}
              required
              value={scanRef}
              onChange={(event) => setScanRef(event.currentTarget.value)}
            />
          )}
        </SimpleGrid>
        <Select
          label={t(phone ? 'contacts.add.script' : 'contacts.add.formText')}
          required
          data={(texts.data ?? []).map((text) => ({ value: text.id, label: text.label }))}
          value={textId}
          onChange={setTextId}
        />
        <DialogFooter error={save.error} pending={save.isPending} onCancel={onCancel}>
          {t('contacts.correct.save')}
        </DialogFooter>
      </Stack>
    </form>
  );
}
