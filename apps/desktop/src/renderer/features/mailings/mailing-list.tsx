import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { RecordsTable } from '../../components/records-section.js';
import { MailingStatusBadge } from './mailing-status-badge.js';
import { useMailings } from './queries.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';

/** All mailings, newest first as the api lists them, each a link to its page. */
export function MailingList() {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const status = useMailings();
  const mailings = status.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('mailings.title')}</Title>
        <Button component="a" href={routeHref('mailings', 'new')}>
          {t('mailings.newMailing')}
        </Button>
      </Group>
      <Text c="dimmed">{t('mailings.intro')}</Text>
      {status.isPending && <Loader aria-label={t('app.loading')} />}
      {status.isError && <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />}
      {mailings && mailings.length === 0 && <Text>{t('mailings.empty')}</Text>}
      {mailings && mailings.length > 0 && (
        <RecordsTable
          label={t('mailings.list.label')}
          highlight
          columns={[
            t('mailings.list.name'),
            t('mailings.list.subject'),
            t('mailings.list.status'),
            t('mailings.list.created'),
            t('mailings.list.sent'),
          ]}
          items={mailings}
          row={(mailing) => (
            <Table.Tr key={mailing.id}>
              <Table.Td>
                <Anchor
                  href={routeHref('mailings', mailing.id)}
                  aria-label={t('mailings.list.open', { name: mailing.name })}
                >
                  {mailing.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{mailing.subjectInWords[lang]}</Table.Td>
              <Table.Td>
                <MailingStatusBadge status={mailing.status} />
              </Table.Td>
              <Table.Td>{formatDateTime(mailing.createdAt, lang)}</Table.Td>
              <Table.Td>
                {mailing.deliveries.SENT.toLocaleString(lang)} /{' '}
                {mailing.deliveries.total.toLocaleString(lang)}
              </Table.Td>
            </Table.Tr>
          )}
        />
      )}
    </Stack>
  );
}
