import { Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { DateOnlyInput } from '../../components/date-only-input.js';
import { optionalField } from '../../components/optional-field.js';
import { ContactDialog, DialogFooter } from './contact-dialog.js';
import { useContactFormOptions, useCorrectEvidence } from './queries.js';

type Consent = RouterOutputs['contacts']['get']['consents'][number];

/** The day a stored time stands for: a date-only value (noon UTC) as entered, else the local day. */
function dayOf(iso: string | null): string {
  if (!iso) return '';
  if (/T12:00:00\.000Z$/.test(iso)) return iso.slice(0, 10);
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Corrects what was typed wrong in a phone or paper consent: the date, who called or served, the scan or
 * recording reference, the script or form text. The method, lists and any unsubscribe stay as they are.
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
  return (
    <ContactDialog opened={opened} onClose={onClose} title={title}>
      <CorrectEvidenceForm email={email} consent={consent} onDone={onClose} title={title} />
    </ContactDialog>
  );
}

function CorrectEvidenceForm({
  email,
  consent,
  onDone,
  title,
}: {
  email: string;
  consent: Consent;
  onDone: () => void;
  title: string;
}) {
  const { t } = useTranslation();
  const { texts } = useContactFormOptions();
  const phone = consent.method === 'PHONE';
  const [date, setDate] = useState(dayOf(consent.signup_at));
  const [staffMember, setStaffMember] = useState(consent.phone_agent ?? '');
  const [scanRef, setScanRef] = useState(consent.paper_scan_ref ?? '');
  const [recordingRef, setRecordingRef] = useState(consent.phone_recording_ref ?? '');
  const [textId, setTextId] = useState<string | null>(consent.consent_text_version_id);
  const save = useCorrectEvidence(() => {
    notifications.show({
      color: 'teal',
      message: t('contacts.correct.saved'),
      closeButtonProps: { 'aria-label': t('contacts.add.closeNotice') },
    });
    onDone();
  });
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
        <DialogFooter error={save.error} pending={save.isPending} onCancel={onDone}>
          {t('contacts.correct.save')}
        </DialogFooter>
      </Stack>
    </form>
  );
}
