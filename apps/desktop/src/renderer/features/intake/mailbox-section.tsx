import {
  Button,
  Group,
  NumberInput,
  PasswordInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SecurityPortFields, useRowAnswers, type Security } from '../../components/connection-fields.js';
import { FormCard, RecordsSection, StatusLine } from '../../components/records-section.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import { useAddMailbox, useMailboxes, useRunIntake, useTestMailbox } from './queries.js';

// IMAP's own ports: 993 implicit TLS, 143 for STARTTLS and plain.
const DEFAULT_PORT: Record<Security, number> = { TLS: 993, STARTTLS: 143, NONE: 143 };

const EMPTY = {
  name: '',
  host: '',
  port: 993,
  security: 'TLS' as Security,
  user: '',
  password: '',
  folder: 'INBOX',
  pollSeconds: 300,
};

/** Settings › Mailbox: the IMAP mailboxes the intake reads, added only after a connection test. */
export function MailboxSection() {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const mailboxes = useMailboxes();
  const add = useAddMailbox();
  const test = useTestMailbox();
  const run = useRunIntake();
  const [form, setForm] = useState(EMPTY);
  const { answers, note, failed } = useRowAnswers();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang) : t('intake.mailboxes.never'));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      {
        name: form.name.trim(),
        host: form.host.trim(),
        port: form.port,
        security: form.security,
        user: form.user.trim(),
        password: form.password,
        folder: form.folder.trim() || 'INBOX',
        pollSeconds: form.pollSeconds,
      },
      {
        onSuccess: () => {
          setForm(EMPTY);
          notifications.show({ color: 'teal', message: t('intake.mailboxes.saved') });
        },
      },
    );
  };
  const text = (key: 'name' | 'host' | 'user' | 'folder') => (
    <TextInput
      label={t(`intake.mailboxes.${key}`)}
      required={key !== 'folder'}
      value={form[key]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setForm((previous) => ({ ...previous, [key]: value }));
      }}
    />
  );
  return (
    <RecordsSection
      title={t('intake.mailboxes.title')}
      intro={t('intake.mailboxes.intro')}
      empty={t('intake.mailboxes.empty')}
      records={mailboxes}
      columns={[t('intake.mailboxes.name'), t('intake.mailboxes.host'), t('intake.mailboxes.lastRun'), null]}
      row={(mailbox) => {
        const answer = answers[mailbox.name];
        return (
          <Table.Tr key={mailbox.id}>
            <Table.Td>{mailbox.name}</Table.Td>
            <Table.Td>
              {mailbox.user} @ {mailbox.host}:{mailbox.port} ({mailbox.folder})
            </Table.Td>
            <Table.Td>
              <Text size="sm">{when(mailbox.lastRunAt)}</Text>
              {mailbox.lastError && (
                <Text size="xs" c="red">
                  {t('intake.mailboxes.lastError')}: {mailbox.lastError}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Stack gap={4}>
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="light"
                    aria-label={`${t('intake.mailboxes.test')}: ${mailbox.name}`}
                    loading={test.isPending && test.variables.mailbox === mailbox.name}
                    onClick={() =>
                      test.mutate(
                        { mailbox: mailbox.name },
                        {
                          onSuccess: (result) =>
                            note(
                              mailbox.name,
                              true,
                              t('intake.mailboxes.testOk', {
                                messages: result.messages,
                                folder: mailbox.folder,
                              }),
                            ),
                          onError: failed(mailbox.name),
                        },
                      )
                    }
                  >
                    {t('intake.mailboxes.test')}
                  </Button>
                  <Button
                    size="xs"
                    variant="light"
                    aria-label={`${t('intake.mailboxes.run')}: ${mailbox.name}`}
                    loading={run.isPending && run.variables?.mailbox === mailbox.name}
                    onClick={() =>
                      run.mutate(
                        { mailbox: mailbox.name },
                        {
                          onSuccess: (result) =>
                            note(
                              mailbox.name,
                              true,
                              t('intake.mailboxes.ran', { read: result.reduce((sum, r) => sum + r.read, 0) }),
                            ),
                          onError: failed(mailbox.name),
                        },
                      )
                    }
                  >
                    {t('intake.mailboxes.run')}
                  </Button>
                </Group>
                {answer && <StatusLine ok={answer.ok}>{answer.text}</StatusLine>}
              </Stack>
            </Table.Td>
          </Table.Tr>
        );
      }}
    >
      <FormCard
        title={t('intake.mailboxes.add')}
        onSubmit={submit}
        errors={[add.error]}
        pending={add.isPending}
        submitLabel={t('intake.mailboxes.save')}
      >
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {text('name')}
          {text('host')}
          <SecurityPortFields
            labels={{ security: t('intake.mailboxes.security'), port: t('intake.mailboxes.port') }}
            securityLabel={(security) => t(`intake.mailboxes.securities.${security}`)}
            defaultPort={DEFAULT_PORT}
            value={form}
            onChange={(connection) => setForm((previous) => ({ ...previous, ...connection }))}
          />
          {text('user')}
          <PasswordInput
            label={t('intake.mailboxes.password')}
            required
            autoComplete="new-password"
            value={form.password}
            onChange={(event) => {
              const password = event.currentTarget.value;
              setForm((previous) => ({ ...previous, password }));
            }}
          />
          {text('folder')}
          <NumberInput
            label={t('intake.mailboxes.pollSeconds')}
            min={10}
            max={86_400}
            value={form.pollSeconds}
            onChange={(value) => setForm((previous) => ({ ...previous, pollSeconds: Number(value) || 300 }))}
          />
        </SimpleGrid>
      </FormCard>
    </RecordsSection>
  );
}
