import {
  Alert,
  Badge,
  Button,
  Checkbox,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { SecurityPortFields, useRowAnswers, type Security } from '../../components/connection-fields.js';
import { describeError } from '../../components/describe-error.js';
import { optionalField } from '../../components/optional-field.js';
import { FormCard, RecordsSection, RowButton, StatusLine } from '../../components/records-section.js';
import { DeliverabilitySection } from '../deliverability/deliverability-section.js';
import {
  useAddSmtpProfile,
  useEntities,
  useSmtpProfiles,
  useTestSmtpProfile,
  useUpdateSmtpProfile,
} from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

type SmtpProfile = RouterOutputs['smtp']['list'][number];
// SMTP's own ports: 465 implicit TLS (submissions), 587 submission with STARTTLS, 25 plain relay.
const DEFAULT_PORT: Record<Security, number> = { TLS: 465, STARTTLS: 587, NONE: 25 };

interface SmtpForm {
  name: string;
  senderEntityId: string | null;
  host: string;
  port: number;
  security: Security;
  user: string;
  password: string;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  perMinute: number | '';
  perHour: number | '';
  spfDeclared: boolean;
  dmarcDeclared: boolean;
}

const EMPTY: SmtpForm = {
  name: '',
  senderEntityId: null,
  host: '',
  port: 587,
  security: 'STARTTLS',
  user: '',
  password: '',
  fromName: '',
  fromAddress: '',
  replyTo: '',
  perMinute: '',
  perHour: '',
  spfDeclared: false,
  dmarcDeclared: false,
};

/**
 * SMTP profiles: list with a connection test per profile, and one form to add a profile or edit one (a
 * mistyped password is fixed by typing the new one; the password goes to the secret store, never the database).
 */
export function SmtpSection() {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const profiles = useSmtpProfiles();
  const entities = useEntities();
  const [form, setForm] = useState<SmtpForm>(EMPTY);
  // The profile being edited (its name stays: the password and DKIM key are filed under it), or null to add.
  const [editing, setEditing] = useState<string | null>(null);
  const { answers, note, failed } = useRowAnswers();
  const set = <K extends keyof SmtpForm>(key: K, value: SmtpForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));
  const add = useAddSmtpProfile(() => {
    setForm(EMPTY);
    notifications.show({ color: 'teal', message: t('settings.smtp.saved') });
  });
  const update = useUpdateSmtpProfile(() => {
    setForm(EMPTY);
    setEditing(null);
    notifications.show({ color: 'teal', message: t('settings.smtp.saved') });
  });
  const startEditing = (profile: SmtpProfile) => {
    add.reset();
    update.reset();
    setEditing(profile.name);
    setForm({
      name: profile.name,
      senderEntityId: profile.senderEntityId,
      host: profile.host,
      port: profile.port,
      security: profile.security,
      user: profile.user ?? '',
      password: '',
      fromName: profile.fromName ?? '',
      fromAddress: profile.fromAddress,
      replyTo: profile.replyTo ?? '',
      perMinute: profile.limits.perMinute ?? '',
      perHour: profile.limits.perHour ?? '',
      spfDeclared: profile.spfDeclared,
      dmarcDeclared: profile.dmarcDeclared,
    });
  };
  const stopEditing = () => {
    setEditing(null);
    setForm(EMPTY);
    update.reset();
  };
  const test = useTestSmtpProfile();
  const runTest = (name: string) =>
    test.mutate(
      { profile: name },
      { onSuccess: () => note(name, true, t('settings.smtp.testOk')), onError: failed(name) },
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The fields a profile always has, the same whether it is added or changed.
    const server = {
      host: form.host.trim(),
      port: form.port,
      security: form.security,
      fromAddress: form.fromAddress.trim(),
      spfDeclared: form.spfDeclared,
      dmarcDeclared: form.dmarcDeclared,
    };
    if (editing !== null) {
      // Empty optional fields clear the stored value; an empty password keeps the saved one.
      update.mutate({
        profile: editing,
        ...server,
        senderEntityId: form.senderEntityId,
        user: form.user.trim() || null,
        fromName: form.fromName.trim() || null,
        replyTo: form.replyTo.trim() || null,
        perMinute: form.perMinute === '' ? null : form.perMinute,
        perHour: form.perHour === '' ? null : form.perHour,
        ...(form.password ? { password: form.password } : {}),
      });
      return;
    }
    add.mutate({
      name: form.name.trim(),
      ...server,
      ...(form.senderEntityId ? { senderEntityId: form.senderEntityId } : {}),
      ...optionalField('user', form.user),
      ...(form.password ? { password: form.password } : {}),
      ...optionalField('fromName', form.fromName),
      ...optionalField('replyTo', form.replyTo),
      ...(form.perMinute !== '' ? { perMinute: form.perMinute } : {}),
      ...(form.perHour !== '' ? { perHour: form.perHour } : {}),
    });
  };
  const text = (key: 'name' | 'host' | 'user' | 'fromName' | 'fromAddress' | 'replyTo', required = false) => (
    <TextInput
      label={t(`settings.smtp.${key}`)}
      required={required}
      value={form[key]}
      onChange={(event) => set(key, event.currentTarget.value)}
      readOnly={key === 'name' && editing !== null}
      description={key === 'name' ? t('settings.smtp.nameHint') : undefined}
    />
  );
  const formTitle =
    editing === null ? t('settings.smtp.add') : t('settings.smtp.editTitle', { name: editing });
  return (
    <RecordsSection
      title={t('settings.smtp.title')}
      intro={t('settings.smtp.intro')}
      empty={t('settings.smtp.empty')}
      records={profiles}
      columns={[
        t('settings.smtp.name'),
        t('settings.smtp.host'),
        t('settings.smtp.fromAddress'),
        t('settings.smtp.limits'),
        null,
      ]}
      row={(profile) => {
        const answer = answers[profile.name];
        return (
          <Table.Tr key={profile.id}>
            <Table.Td>{profile.name}</Table.Td>
            <Table.Td>
              {profile.host}:{profile.port}{' '}
              <Badge variant="light" tt="none">
                {t(`settings.smtp.securityShort.${profile.security}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              {profile.fromName ? `${profile.fromName} <${profile.fromAddress}>` : profile.fromAddress}
            </Table.Td>
            <Table.Td>
              {[
                profile.limits.perMinute && `${profile.limits.perMinute}/min`,
                profile.limits.perHour && `${profile.limits.perHour}/h`,
              ]
                .filter(Boolean)
                .join(', ') || t('settings.smtp.noLimits')}
            </Table.Td>
            <Table.Td>
              <Stack gap={4}>
                <RowButton
                  tone="edit"
                  label={t('settings.smtp.editLabel', { name: profile.name })}
                  onClick={() => startEditing(profile)}
                >
                  {t('settings.smtp.edit')}
                </RowButton>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => runTest(profile.name)}
                  loading={test.isPending && test.variables.profile === profile.name}
                  aria-label={`${t('settings.smtp.test')}: ${profile.name}`}
                >
                  {t('settings.smtp.test')}
                </Button>
                {answer && (
                  <StatusLine ok={answer.ok}>
                    {answer.ok ? answer.text : `${t('settings.smtp.testFailed')}: ${answer.text}`}
                  </StatusLine>
                )}
              </Stack>
            </Table.Td>
          </Table.Tr>
        );
      }}
    >
      {profiles.data && <DeliverabilitySection profiles={profiles.data} />}
      <FormCard
        title={formTitle}
        onSubmit={submit}
        errors={[add.error, update.error]}
        pending={add.isPending || update.isPending}
        submitLabel={editing === null ? t('settings.smtp.save') : t('settings.smtp.saveChanges')}
        cancel={
          editing === null ? undefined : { label: t('settings.smtp.cancelEdit'), onCancel: stopEditing }
        }
      >
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {text('name', true)}
          <Select
            label={t('settings.smtp.entity')}
            data={(entities.data ?? []).map((entity) => ({
              value: entity.id,
              label: entity.tradeName ?? entity.legalName,
            }))}
            value={form.senderEntityId}
            onChange={(value) => set('senderEntityId', value)}
            clearable
          />
          {text('host', true)}
          <SecurityPortFields
            labels={{ security: t('settings.smtp.security'), port: t('settings.smtp.port') }}
            securityLabel={(security) => t(`settings.smtp.securities.${security}`)}
            defaultPort={DEFAULT_PORT}
            value={form}
            onChange={(connection) => setForm((previous) => ({ ...previous, ...connection }))}
          />
          {text('user')}
          <PasswordInput
            label={t('settings.smtp.password')}
            value={form.password}
            onChange={(event) => set('password', event.currentTarget.value)}
            autoComplete="new-password"
            description={editing === null ? undefined : t('settings.smtp.passwordKeep')}
          />
          {text('fromName')}
          {text('fromAddress', true)}
          {text('replyTo')}
          <NumberInput
            label={t('settings.smtp.perMinute')}
            min={1}
            value={form.perMinute}
            onChange={(value) => set('perMinute', typeof value === 'number' ? value : '')}
          />
          <NumberInput
            label={t('settings.smtp.perHour')}
            min={1}
            value={form.perHour}
            onChange={(value) => set('perHour', typeof value === 'number' ? value : '')}
          />
        </SimpleGrid>
        <Checkbox
          label={t('settings.smtp.spfDeclared')}
          checked={form.spfDeclared}
          onChange={(event) => set('spfDeclared', event.currentTarget.checked)}
        />
        <Checkbox
          label={t('settings.smtp.dmarcDeclared')}
          checked={form.dmarcDeclared}
          onChange={(event) => set('dmarcDeclared', event.currentTarget.checked)}
        />
      </FormCard>
      {test.isError && !Object.keys(answers).length && (
        <Alert color="red" role="alert">
          {describeError(test.error, lang).message}
        </Alert>
      )}
    </RecordsSection>
  );
}
