import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/describe-error.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { RecordsTable, StatusLine } from '../../components/records-section.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import { optinMessages } from './optin.messages.js';
import { useEntities } from '../settings/queries.js';
import { useOptinStatus, usePairOptin, usePullOptin, useUnpairOptin } from './queries.js';

type EventType = keyof typeof optinMessages.nl.types;
type Outcome = keyof typeof optinMessages.nl.outcomes;
const isType = (value: string): value is EventType => value in optinMessages.nl.types;
const isOutcome = (value: string): value is Outcome => value in optinMessages.nl.outcomes;

/** Settings › Opt-in service: pair (URL + feed token, key pinned), pull, unpair, and what arrived. */
export function OptinSection() {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const status = useOptinStatus();
  const entities = useEntities();
  const pair = usePairOptin();
  const pull = usePullOptin();
  const unpair = useUnpairOptin();
  const [form, setForm] = useState({ url: '', token: '', entity: '' });
  const [note, setNote] = useState<{ ok: boolean; text: string } | undefined>();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang) : t('optin.never'));
  const pulledText = (r: { recorded: number; confirmed: number; suppressed: number; pending: number }) =>
    t('optin.pulled', {
      recorded: r.recorded,
      confirmed: r.confirmed,
      suppressed: r.suppressed,
      pending: r.pending,
    });
  const failed = (error: unknown) => setNote({ ok: false, text: describeError(error, lang).message });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const entity = form.entity || entities.data?.[0]?.id || '';
    pair.mutate(
      { url: form.url.trim(), token: form.token, senderEntityId: entity },
      {
        onSuccess: (result) => {
          setForm({ url: '', token: '', entity: '' });
          // Said in the page (role status), not a toast: it stays until the next action.
          setNote(
            result.pullError
              ? { ok: false, text: `${t('optin.paired')} ${result.pullError[lang]}` }
              : {
                  ok: true,
                  text: result.pulled
                    ? `${t('optin.paired')} ${pulledText(result.pulled)}`
                    : t('optin.paired'),
                },
          );
        },
        onError: failed,
      },
    );
  };

  return (
    <Stack>
      <Title order={2} size="h3">
        {t('optin.title')}
      </Title>
      <Text size="sm" c="dimmed" maw={720}>
        {t('optin.intro')}
      </Text>
      {status.isError && <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />}
      {note && (
        <StatusLine ok={note.ok} size="sm">
          {note.text}
        </StatusLine>
      )}
      {status.data && !status.data.paired && (
        <Card withBorder component="form" onSubmit={submit} aria-label={t('optin.pair')} maw={720}>
          <Stack>
            <Text>{t('optin.notPaired')}</Text>
            <TextInput
              label={t('optin.url')}
              placeholder="https://optin.bakkerij.nl"
              required
              value={form.url}
              onChange={(event) => {
                const url = event.currentTarget.value;
                setForm((previous) => ({ ...previous, url }));
              }}
            />
            <PasswordInput
              label={t('optin.token')}
              required
              value={form.token}
              onChange={(event) => {
                const token = event.currentTarget.value;
                setForm((previous) => ({ ...previous, token }));
              }}
            />
            <Select
              label={t('optin.entity')}
              required
              data={(entities.data ?? []).map((entity) => ({ value: entity.id, label: entity.legalName }))}
              value={form.entity || entities.data?.[0]?.id || null}
              onChange={(value) => setForm((previous) => ({ ...previous, entity: value ?? '' }))}
            />
            <Button type="submit" loading={pair.isPending} w="fit-content">
              {t('optin.pair')}
            </Button>
          </Stack>
        </Card>
      )}
      {status.data?.paired && (
        <>
          <Card withBorder maw={720}>
            <Stack gap="xs">
              <Text fw={600}>{t('optin.pairedWith', { url: status.data.service.url })}</Text>
              <Text size="sm">{t('optin.fingerprint')}</Text>
              <Code aria-label={t('optin.fingerprint')}>{status.data.service.keyFingerprint}</Code>
              <Text size="xs" c="dimmed">
                {t('optin.fingerprintHint')}
              </Text>
              <Text size="sm">
                {t('optin.lastPull')}: {when(status.data.service.lastPullOkAt)}
              </Text>
              {status.data.service.lastPullError && (
                <Text size="xs" c="red">
                  {t('optin.lastError')}: {status.data.service.lastPullError}
                </Text>
              )}
              {status.data.service.stale && (
                <Alert color="red" role="alert">
                  {t('optin.stale')}
                </Alert>
              )}
              <Text size="sm">{t('optin.pending', { count: status.data.counts.pendingSignups })}</Text>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="light"
                  loading={pull.isPending}
                  onClick={() =>
                    pull.mutate(undefined, {
                      onSuccess: (result) => setNote({ ok: true, text: pulledText(result) }),
                      onError: failed,
                    })
                  }
                >
                  {t('optin.pull')}
                </Button>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  loading={unpair.isPending}
                  onClick={() =>
                    unpair.mutate(undefined, {
                      onSuccess: () => setNote({ ok: true, text: t('optin.unpaired') }),
                      onError: failed,
                    })
                  }
                >
                  {t('optin.unpair')}
                </Button>
              </Group>
            </Stack>
          </Card>
          <Title order={3} size="h4">
            {t('optin.latest')}
          </Title>
          {status.data.latest.length === 0 ? (
            <Text>{t('optin.empty')}</Text>
          ) : (
            <RecordsTable
              label={t('optin.latest')}
              columns={[
                t('optin.columns.at'),
                t('optin.columns.type'),
                t('optin.columns.email'),
                t('optin.columns.outcome'),
              ]}
              items={status.data.latest}
              row={(event) => (
                <Table.Tr key={event.seq}>
                  <Table.Td>{when(event.at)}</Table.Td>
                  <Table.Td>{isType(event.type) ? t(`optin.types.${event.type}`) : event.type}</Table.Td>
                  <Table.Td>{event.email ?? '-'}</Table.Td>
                  <Table.Td>
                    {isOutcome(event.outcome) ? t(`optin.outcomes.${event.outcome}`) : event.outcome}
                  </Table.Td>
                </Table.Tr>
              )}
            />
          )}
        </>
      )}
    </Stack>
  );
}
