import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../app/routes.js';
import { useTRPC } from '../../app/trpc.js';
import { ErrorNotice } from '../../components/error-notice.js';
import {
  COMPLAINT_SOURCES,
  UNSUBSCRIBE_CHANNELS,
  type ComplaintSource,
  type UnsubscribeChannel,
} from './contact-options.js';
import { useUiLanguage } from '../mailings/ui-language.js';
import { ProofCheckHint, ProofDownloadButton, type DownloadedProof } from '../proof/proof-download-button.js';

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

function useRefreshContacts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Suppressions change the contact, the list, and the counts on the overview and in the status bar.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.system.pathKey() }),
    ]);
}

function UnsubscribeForm({ email, onDone }: { email: string; onDone: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  const [channel, setChannel] = useState<UnsubscribeChannel>('REPLY');
  const [objection, setObjection] = useState(false);
  const [note, setNote] = useState('');
  const save = useMutation(
    trpc.suppressions.unsubscribe.mutationOptions({
      onSuccess: async () => {
        notifications.show({ color: 'teal', message: t('contacts.unsubscribe.saved') });
        await refresh();
        onDone();
      },
    }),
  );
  return (
    <Stack>
      <Text size="sm">{t('contacts.unsubscribe.intro')}</Text>
      <Select
        label={t('contacts.unsubscribe.channel')}
        data={UNSUBSCRIBE_CHANNELS.map((value) => ({
          value,
          label: t(`contacts.unsubscribe.channels.${value}`),
        }))}
        value={channel}
        onChange={(value) => value && setChannel(value)}
        allowDeselect={false}
        data-autofocus
      />
      <Checkbox
        label={t('contacts.unsubscribe.objection')}
        checked={objection}
        onChange={(event) => setObjection(event.currentTarget.checked)}
      />
      <Textarea
        label={t('contacts.unsubscribe.note')}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        autosize
        minRows={2}
      />
      {save.isError && <ErrorNotice error={save.error} />}
      <Group justify="end">
        <Button variant="default" onClick={onDone}>
          {t('contacts.cancel')}
        </Button>
        <Button
          loading={save.isPending}
          onClick={() =>
            save.mutate({ email, channel, objection, ...(note.trim() ? { note: note.trim() } : {}) })
          }
        >
          {t('contacts.unsubscribe.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function ComplaintForm({ email, onDone }: { email: string; onDone: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  const [source, setSource] = useState<ComplaintSource>('SPAMKLACHT');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const save = useMutation(
    trpc.suppressions.complaint.mutationOptions({
      onSuccess: async () => {
        notifications.show({ color: 'teal', message: t('contacts.complaint.saved') });
        await refresh();
        onDone();
      },
    }),
  );
  return (
    <Stack>
      <Text size="sm">{t('contacts.complaint.intro')}</Text>
      <Select
        label={t('contacts.complaint.source')}
        data={COMPLAINT_SOURCES.map((value) => ({ value, label: t(`contacts.complaint.sources.${value}`) }))}
        value={source}
        onChange={(value) => value && setSource(value)}
        allowDeselect={false}
        data-autofocus
      />
      <TextInput
        label={t('contacts.complaint.reference')}
        value={reference}
        onChange={(event) => setReference(event.currentTarget.value)}
      />
      <Textarea
        label={t('contacts.complaint.note')}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        autosize
        minRows={2}
      />
      {save.isError && <ErrorNotice error={save.error} />}
      <Group justify="end">
        <Button variant="default" onClick={onDone}>
          {t('contacts.cancel')}
        </Button>
        <Button
          color="orange"
          loading={save.isPending}
          onClick={() =>
            save.mutate({
              email,
              source,
              ...(reference.trim() ? { reference: reference.trim() } : {}),
              ...(note.trim() ? { note: note.trim() } : {}),
            })
          }
        >
          {t('contacts.complaint.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function EraseForm({ email, onCancel }: { email: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const trpc = useTRPC();
  const refresh = useRefreshContacts();
  const [typed, setTyped] = useState('');
  const erase = useMutation(
    trpc.contacts.erase.mutationOptions({
      onSuccess: async (result) => {
        // The receipt names what was kept and why (a pseudonymous suppression entry, GDPR art. 17(3), 21(3)).
        notifications.show({
          color: 'teal',
          title: t('contacts.erase.done'),
          message: result.receipt[lang],
          autoClose: false,
        });
        await refresh();
        navigate('contacts');
      },
    }),
  );
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
      {erase.isError && <ErrorNotice error={erase.error} />}
      <Group justify="end">
        <Button variant="default" onClick={onCancel}>
          {t('contacts.cancel')}
        </Button>
        <Button
          color="red"
          disabled={typed.trim().toLowerCase() !== email.toLowerCase()}
          loading={erase.isPending}
          onClick={() => erase.mutate({ email })}
        >
          {t('contacts.erase.confirm')}
        </Button>
      </Group>
    </Stack>
  );
}
