import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { DnsRecord, type DeliverabilityProfile } from './dns-record.js';
import { useSetDkim } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

/** Enter or replace the DKIM key: refused with what to paste when it cannot sign (issue 18). */
export function DkimPanel({ profile }: { profile: DeliverabilityProfile }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const setDkim = useSetDkim();
  const [domain, setDomain] = useState(profile.dkim?.domain ?? profile.fromAddress.split('@').pop() ?? '');
  const [selector, setSelector] = useState(profile.dkim?.selector ?? '');
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDkim.mutate(
      {
        profile: profile.name,
        dkimDomain: domain.trim(),
        dkimSelector: selector.trim(),
        ...(key.trim() ? { dkimPrivateKey: key } : {}),
        lang,
      },
      { onSuccess: () => setKey('') },
    );
  };
  return (
    <Stack gap="xs" component="form" onSubmit={submit} aria-label={t('deliverability.dkim.title')}>
      <Title order={3} size="h5">
        {t('deliverability.dkim.title')}
      </Title>
      <Text size="sm">
        {profile.dkim
          ? t('deliverability.dkim.current', { domain: profile.dkim.domain, selector: profile.dkim.selector })
          : t('deliverability.dkim.none')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextInput
          label={t('deliverability.dkim.domain')}
          required
          value={domain}
          onChange={(event) => setDomain(event.currentTarget.value)}
        />
        <TextInput
          label={t('deliverability.dkim.selector')}
          description={t('deliverability.dkim.selectorHint')}
          required
          value={selector}
          onChange={(event) => setSelector(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Textarea
        label={t('deliverability.dkim.key')}
        description={t('deliverability.dkim.keyHint')}
        autosize
        minRows={3}
        maxRows={8}
        required={!profile.dkim}
        value={key}
        onChange={(event) => setKey(event.currentTarget.value)}
        styles={{ input: { fontFamily: 'monospace' } }}
        spellCheck={false}
      />
      {setDkim.isError && <ErrorNotice error={setDkim.error} />}
      {setDkim.isSuccess && (
        <Alert color="teal" role="status">
          <Stack gap={4}>
            <Text size="sm">{t('deliverability.dkim.saved')}</Text>
            {setDkim.data.warnings.map((warning) => (
              <Text size="sm" key={warning.code}>
                {warning.text}
              </Text>
            ))}
            {setDkim.data.dkimRecord && <DnsRecord record={setDkim.data.dkimRecord} />}
          </Stack>
        </Alert>
      )}
      <Group>
        <Button type="submit" variant="light" loading={setDkim.isPending}>
          {t('deliverability.dkim.save')}
        </Button>
      </Group>
    </Stack>
  );
}
