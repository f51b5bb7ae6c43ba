import {
  Button,
  Card,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/describe-error.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAddMailbox, useMailboxes, useRunIntake, useTestMailbox } from './queries.js';

type Security = 'TLS' | 'STARTTLS' | 'NONE';
const SECURITIES: readonly Security[] = ['TLS', 'STARTTLS', 'NONE'];
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
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const mailboxes = useMailboxes();
  const add = useAddMailbox();
  const test = useTestMailbox();
  const run = useRunIntake();
  const [form, setForm] = useState(EMPTY);
  const [results, setResults] = useState<Record<string, { ok: boolean; text: string }>>({});
  const note = (name: string, ok: boolean, text: string) =>
    setResults((previous) => ({ ...previous, [name]: { ok, text } }));
  const when = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
          dateStyle: 'medium',
          timeStyle: 'short',
        })
      : t('intake.mailboxes.never');
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
    <Stack>
      <Title order={2} size="h3">
        {t('intake.mailboxes.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('intake.mailboxes.intro')}
      </Text>
      {mailboxes.isError && <ErrorNotice error={mailboxes.error} onRetry={() => void mailboxes.refetch()} />}
      {mailboxes.data && mailboxes.data.length === 0 && <Text>{t('intake.mailboxes.empty')}</Text>}
      {mailboxes.data && mailboxes.data.length > 0 && (
        <Table withTableBorder aria-label={t('intake.mailboxes.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('intake.mailboxes.name')}</Table.Th>
              <Table.Th>{t('intake.mailboxes.host')}</Table.Th>
              <Table.Th>{t('intake.mailboxes.lastRun')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mailboxes.data.map((mailbox) => {
              const result = results[mailbox.name];
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
                                onSuccess: (answer) =>
                                  note(
                                    mailbox.name,
                                    true,
                                    t('intake.mailboxes.testOk', {
                                      messages: answer.messages,
                                      folder: mailbox.folder,
                                    }),
                                  ),
                                onError: (error) =>
                                  note(mailbox.name, false, describeError(error, lang).message),
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
                                onSuccess: (answer) =>
                                  note(
                                    mailbox.name,
                                    true,
                                    t('intake.mailboxes.ran', {
                                      read: answer.reduce((sum, r) => sum + r.read, 0),
                                    }),
                                  ),
                                onError: (error) =>
                                  note(mailbox.name, false, describeError(error, lang).message),
                              },
                            )
                          }
                        >
                          {t('intake.mailboxes.run')}
                        </Button>
                      </Group>
                      {result && (
                        <Text size="xs" c={result.ok ? 'teal' : 'red'} role="status">
                          {result.text}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Card withBorder component="form" onSubmit={submit} aria-label={t('intake.mailboxes.add')}>
        <Stack>
          <Title order={3} size="h5">
            {t('intake.mailboxes.add')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {text('name')}
            {text('host')}
            <Select
              label={t('intake.mailboxes.security')}
              data={SECURITIES.map((value) => ({ value, label: t(`intake.mailboxes.securities.${value}`) }))}
              value={form.security}
              allowDeselect={false}
              onChange={(value) => {
                const security = SECURITIES.find((candidate) => candidate === value);
                if (security)
                  setForm((previous) => ({ ...previous, security, port: DEFAULT_PORT[security] }));
              }}
            />
            <NumberInput
              label={t('intake.mailboxes.port')}
              required
              min={1}
              max={65535}
              value={form.port}
              onChange={(value) => setForm((previous) => ({ ...previous, port: Number(value) || 0 }))}
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
              onChange={(value) =>
                setForm((previous) => ({ ...previous, pollSeconds: Number(value) || 300 }))
              }
            />
          </SimpleGrid>
          {add.isError && <ErrorNotice error={add.error} />}
          <Group>
            <Button type="submit" loading={add.isPending}>
              {t('intake.mailboxes.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
