import { COMPLAINT_SOURCES } from '@consent-mailer/policy/vocabulary';
import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../app/routes.js';
import { optionalField } from '../../components/optional-field.js';
import { UNSUBSCRIBE_CHANNELS, type ComplaintSource, type UnsubscribeChannel } from './contact-options.js';
import { DialogFooter } from './contact-dialog.js';
import { useUiLanguage } from '../../components/ui-language.js';
import { ProofCheckHint, ProofDownloadButton, type DownloadedProof } from '../proof/proof-download-button.js';
import { useEraseContact, useRecordComplaint, useRecordUnsubscribe } from './queries.js';

type Dialog = 'unsubscribe' | 'complaint' | 'erase' | null;

/** Record an unsubscribe or a complaint, or erase the person: each behind a dialog that says what it does. */
export function ContactActions({ email }: { email: string }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [downloaded, setDownloaded] = useState<DownloadedProof | null>(null);
  return (
    <>
      <Group>
        <ProofDownloadButton email={email} onDownloaded={setDownloaded} />
        <Button variant="light" onClick={() => setDialog('unsubscribe')}>
          {t('contacts.detail.unsubscribe')}
        </Button>
        <Button variant="light" color="orange" onClick={() => setDialog('complaint')}>
          {t('contacts.detail.complaint')}
        </Button>
        <Button variant="light" color="red" onClick={() => setDialog('erase')}>
          {t('contacts.detail.erase')}
        </Button>
      </Group>
      {downloaded && <ProofCheckHint {...downloaded} />}
      <Modal
        opened={dialog === 'unsubscribe'}
        onClose={() => setDialog(null)}
        title={t('contacts.unsubscribe.title')}
      >
        <UnsubscribeForm email={email} onDone={() => setDialog(null)} />
      </Modal>
      <Modal
        opened={dialog === 'complaint'}
        onClose={() => setDialog(null)}
        title={t('contacts.complaint.title')}
      >
        <ComplaintForm email={email} onDone={() => setDialog(null)} />
      </Modal>
      <Modal opened={dialog === 'erase'} onClose={() => setDialog(null)} title={t('contacts.erase.title')}>
        <EraseForm email={email} onCancel={() => setDialog(null)} />
      </Modal>
    </>
  );
}

/**
 * What an unsubscribe and a complaint both ask: how it came in (one of a fixed list), an optional extra field,
 * and a free note for the record.
 */
function SuppressionFields<Choice extends string>({
  intro,
  choiceLabel,
  choices,
  choice,
  onChoice,
  noteLabel,
  note,
  onNote,
  children,
}: {
  intro: string;
  choiceLabel: string;
  choices: { value: Choice; label: string }[];
  choice: Choice;
  onChoice: (value: Choice) => void;
  noteLabel: string;
  note: string;
  onNote: (value: string) => void;
  children?: ReactNode;
}) {
  return (
    <>
      <Text size="sm">{intro}</Text>
      <Select
        label={choiceLabel}
        data={choices}
        value={choice}
        onChange={(value) => {
          const chosen = choices.find((candidate) => candidate.value === value);
          if (chosen) onChoice(chosen.value);
        }}
        allowDeselect={false}
        data-autofocus
      />
      {children}
      <Textarea
        label={noteLabel}
        value={note}
        onChange={(event) => onNote(event.currentTarget.value)}
        autosize
        minRows={2}
      />
    </>
  );
}

function UnsubscribeForm({ email, onDone }: { email: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<UnsubscribeChannel>('REPLY');
  const [objection, setObjection] = useState(false);
  const [note, setNote] = useState('');
  const save = useRecordUnsubscribe(() => {
    notifications.show({ color: 'teal', message: t('contacts.unsubscribe.saved') });
    onDone();
  });
  return (
    <Stack>
      <SuppressionFields
        intro={t('contacts.unsubscribe.intro')}
        choiceLabel={t('contacts.unsubscribe.channel')}
        choices={UNSUBSCRIBE_CHANNELS.map((value) => ({
          value,
          label: t(`contacts.unsubscribe.channels.${value}`),
        }))}
        choice={channel}
        onChoice={setChannel}
        noteLabel={t('contacts.unsubscribe.note')}
        note={note}
        onNote={setNote}
      >
        <Checkbox
          label={t('contacts.unsubscribe.objection')}
          checked={objection}
          onChange={(event) => setObjection(event.currentTarget.checked)}
        />
      </SuppressionFields>
      <DialogFooter
        error={save.error}
        pending={save.isPending}
        onCancel={onDone}
        onConfirm={() => save.mutate({ email, channel, objection, ...optionalField('note', note) })}
      >
        {t('contacts.unsubscribe.save')}
      </DialogFooter>
    </Stack>
  );
}

function ComplaintForm({ email, onDone }: { email: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [source, setSource] = useState<ComplaintSource>('SPAMKLACHT');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const save = useRecordComplaint(() => {
    notifications.show({ color: 'teal', message: t('contacts.complaint.saved') });
    onDone();
  });
  return (
    <Stack>
      <SuppressionFields
        intro={t('contacts.complaint.intro')}
        choiceLabel={t('contacts.complaint.source')}
        choices={COMPLAINT_SOURCES.map((value) => ({
          value,
          label: t(`vocabulary.complaintSources.${value}`),
        }))}
        choice={source}
        onChoice={setSource}
        noteLabel={t('contacts.complaint.note')}
        note={note}
        onNote={setNote}
      >
        <TextInput
          label={t('contacts.complaint.reference')}
          value={reference}
          onChange={(event) => setReference(event.currentTarget.value)}
        />
      </SuppressionFields>
      <DialogFooter
        error={save.error}
        pending={save.isPending}
        onCancel={onDone}
        color="orange"
        onConfirm={() =>
          save.mutate({
            email,
            source,
            ...optionalField('reference', reference),
            ...optionalField('note', note),
          })
        }
      >
        {t('contacts.complaint.save')}
      </DialogFooter>
    </Stack>
  );
}

function EraseForm({ email, onCancel }: { email: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const [typed, setTyped] = useState('');
  const erase = useEraseContact((result) => {
    // The receipt names what was kept and why (a pseudonymous suppression entry, GDPR art. 17(3), 21(3)).
    notifications.show({
      color: 'teal',
      title: t('contacts.erase.done'),
      message: result.receipt[lang],
      autoClose: false,
    });
    navigate('contacts');
  });
  return (
    <Stack>
      <Text size="sm">{t('contacts.erase.intro')}</Text>
      <TextInput
        label={t('contacts.erase.confirmLabel')}
        value={typed}
        onChange={(event) => setTyped(event.currentTarget.value)}
        placeholder={email}
        data-autofocus
        autoComplete="off"
      />
      <DialogFooter
        error={erase.error}
        pending={erase.isPending}
        onCancel={onCancel}
        color="red"
        disabled={typed.trim().toLowerCase() !== email.toLowerCase()}
        onConfirm={() => erase.mutate({ email })}
      >
        {t('contacts.erase.confirm')}
      </DialogFooter>
    </Stack>
  );
}
