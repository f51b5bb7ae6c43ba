import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs } from '../../app/api-types.js';
import { routeHref } from '../../app/routes.js';
import { DateOnlyInput } from '../../components/date-only-input.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { RecordsTable } from '../../components/records-section.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';
import { VerifyFile } from './verify-file.js';
import { useAcknowledgements } from './queries.js';
import { useEntities } from '../settings/queries.js';
import { SectionCard } from '../../components/section-card.js';

type ListFilter = NonNullable<RouterInputs['acknowledgements']['list']>;

/** A local calendar day (from a date field) as the instant it starts, or the instant the next day starts. */
function dayStart(day: string, next = false): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (next ? 1 : 0));
  return date.toISOString();
}

/** The accountant's list: filters by period, sender entity and signer; each row opens the detail. */
export function AcknowledgementList() {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [entityId, setEntityId] = useState<string | null>(null);
  const [signer, setSigner] = useState('');
  const [debouncedSigner] = useDebouncedValue(signer.trim(), 300);
  const filter: ListFilter = {
    ...(dayStart(from) ? { from: dayStart(from) } : {}),
    ...(dayStart(to, true) ? { to: dayStart(to, true) } : {}),
    ...(entityId ? { senderEntityId: entityId } : {}),
    ...(debouncedSigner ? { signer: debouncedSigner } : {}),
  };
  const items = useAcknowledgements(filter);
  const entities = useEntities();
  const clear = () => {
    setFrom('');
    setTo('');
    setEntityId(null);
    setSigner('');
  };
  return (
    <Stack>
      <Title order={1}>{t('acknowledgements.title')}</Title>
      <Text c="dimmed">{t('acknowledgements.intro')}</Text>
      <Card withBorder padding="sm" component="search" aria-label={t('acknowledgements.filters.label')}>
        <Group align="flex-end" wrap="wrap">
          {/* The period's days typed and shown as in the user's language, like every date field. */}
          <DateOnlyInput label={t('acknowledgements.filters.from')} value={from} onChange={setFrom} />
          <DateOnlyInput label={t('acknowledgements.filters.to')} value={to} onChange={setTo} />
          <Select
            label={t('acknowledgements.filters.entity')}
            placeholder={t('acknowledgements.filters.allEntities')}
            data={(entities.data ?? []).map((entity) => ({
              value: entity.id,
              label: entity.tradeName ?? entity.legalName,
            }))}
            value={entityId}
            onChange={setEntityId}
            clearable
          />
          <TextInput
            label={t('acknowledgements.filters.signer')}
            placeholder={t('acknowledgements.filters.signerPlaceholder')}
            value={signer}
            onChange={(event) => setSigner(event.currentTarget.value)}
          />
          <Button variant="subtle" onClick={clear}>
            {t('acknowledgements.filters.clear')}
          </Button>
        </Group>
      </Card>
      {items.isPending && <Loader aria-label={t('app.loading')} />}
      {items.isError && <ErrorNotice error={items.error} onRetry={() => void items.refetch()} />}
      {items.data && items.data.length === 0 && <Text>{t('acknowledgements.empty')}</Text>}
      {items.data && items.data.length > 0 && (
        <RecordsTable
          label={t('acknowledgements.list.label')}
          highlight
          columns={[
            t('acknowledgements.list.signedAt'),
            t('acknowledgements.list.signer'),
            t('acknowledgements.list.entity'),
            t('acknowledgements.list.recipients'),
            t('acknowledgements.list.code'),
            t('acknowledgements.list.state'),
          ]}
          items={items.data}
          row={(item) => (
            <Table.Tr key={item.id}>
              <Table.Td>
                <Anchor
                  href={routeHref('acknowledgements', item.id)}
                  // The name starts with the date it shows (WCAG 2.5.3 label in name), then says what it opens.
                  aria-label={`${formatDateTime(item.signedAt, lang)}: ${t('acknowledgements.list.open', { code: item.verificationCode })}`}
                >
                  {formatDateTime(item.signedAt, lang)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {item.signerName}{' '}
                <Text span c="dimmed" size="sm">
                  ({item.signerRole})
                </Text>
              </Table.Td>
              <Table.Td>
                {item.legalName}
                {item.kvkNumber && (
                  <Text span c="dimmed" size="sm">
                    {' '}
                    · KvK {item.kvkNumber}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{item.recipientCount.toLocaleString(lang)}</Table.Td>
              <Table.Td ff="monospace">{item.verificationCode}</Table.Td>
              <Table.Td>
                {item.lapsedAt ? (
                  <Badge color="red" variant="light">
                    {t('acknowledgements.list.lapsed')}
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light">
                    {t('acknowledgements.list.valid')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        />
      )}
      <SectionCard id="verify-file-title" title={t('acknowledgements.verify.title')} gap="xs" padding="sm">
        <Text size="sm" c="dimmed">
          {t('acknowledgements.verify.intro')}
        </Text>
        <VerifyFile />
      </SectionCard>
    </Stack>
  );
}
