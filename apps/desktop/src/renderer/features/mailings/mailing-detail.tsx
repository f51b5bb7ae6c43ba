import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { routeHref } from '../../app/routes.js';
import { useTRPC } from '../../app/trpc.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { AcknowledgementDialog } from './acknowledgement-dialog.js';
import { AssessmentPanel, ClassificationBadge } from './assessment-panel.js';
import { MailingStatusBadge } from './mailing-status-badge.js';
import { useAssessMailing, useMailingAssessment } from './queries.js';
import { ResultsPanel } from './results-panel.js';
import { SendPanel } from './send-panel.js';
import { formatDateTime, useUiLanguage } from './ui-language.js';

/** States in which the outbox is working: the page polls while the mailing is in one of them. */
export const ACTIVE_STATUSES = new Set(['QUEUED', 'SENDING']);
const ASSESSABLE_STATUSES = new Set(['DRAFT', 'ASSESSED', 'PAUSED']);

/** One mailing: its facts, the assessment, the acknowledgement, sending with progress, and the results. */
export function MailingDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({
    ...trpc.mailings.status.queryOptions({ id }),
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && ACTIVE_STATUSES.has(data.mailing.status) ? 500 : false;
    },
  });
  const entities = useQuery(trpc.entities.list.queryOptions());
  const lists = useQuery(trpc.settings.lists.list.queryOptions());
  const profiles = useQuery(trpc.smtp.list.queryOptions());
  const acknowledgements = useQuery(trpc.acknowledgements.list.queryOptions({ mailingId: id }));
  const assess = useAssessMailing(id);
  const [ackOpen, setAckOpen] = useState(false);
  const detail = status.data;
  const mailing = detail?.mailing;

  // The page shows who gets the mailing on arrival without asking: a look that writes nothing (the owner's
  // "assess again" records one). It holds both languages, so a language switch only re-renders.
  const canAssess = mailing !== undefined && ASSESSABLE_STATUSES.has(mailing.status);
  const look = useMailingAssessment(id, canAssess);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.mailings.status.queryKey({ id }) });
    await queryClient.invalidateQueries({ queryKey: trpc.mailings.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.acknowledgements.list.queryKey() });
  };

  if (status.isPending) return <Loader aria-label={t('app.loading')} />;
  if (status.isError) return <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />;
  if (!mailing || !detail) return <Text>{t('mailings.notFound')}</Text>;

  const entity = entities.data?.find((candidate) => candidate.id === mailing.senderEntityId);
  const list = lists.data?.find((candidate) => candidate.id === mailing.listId);
  const profile = profiles.data?.find((candidate) => candidate.id === mailing.smtpProfileId);
  // A sent or cancelled mailing shows its stored assessment, never a look cached while it was a draft.
  const assessment = canAssess ? look.data?.[lang] : undefined;
  // Recipients are never BLOCKED once included, so a BLOCKED mailing means one of its own rules (M1–M14)
  // stops it: no acknowledgement can cure that, so the page shows what to fix instead of a signing dialog.
  const blockingReasons = assessment?.reasons.filter((reason) => reason.classification === 'BLOCKED') ?? [];
  const blocked = assessment?.classification === 'BLOCKED';
  const signed = acknowledgements.data ?? [];
  return (
    <Stack gap="lg">
      <Anchor href={routeHref('mailings')} size="sm">
        ← {t('mailings.back')}
      </Anchor>
      <Group gap="sm">
        <Title order={1}>{mailing.name}</Title>
        <MailingStatusBadge status={mailing.status} />
      </Group>
      <Text fw={600}>{mailing.subject}</Text>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Fact
          label={t('mailings.detail.sender')}
          value={entity ? (entity.tradeName ?? entity.legalName) : mailing.senderEntityId}
        />
        <Fact label={t('mailings.detail.list')} value={list?.name ?? mailing.listId} />
        <Fact
          label={t('mailings.detail.smtp')}
          value={profile ? `${profile.name} (${profile.fromAddress})` : (mailing.smtpProfileId ?? '–')}
        />
        <Fact
          label={t('mailings.detail.content')}
          value={
            mailing.content === 'MARKETING' ||
            mailing.content === 'TRANSACTIONAL' ||
            mailing.content === 'MIXED'
              ? t(`mailings.compose.contents.${mailing.content}`)
              : mailing.content
          }
        />
        <Fact label={t('mailings.detail.created')} value={formatDateTime(mailing.createdAt, lang)} />
      </SimpleGrid>

      <Card withBorder component="section" aria-labelledby="assessment-title">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h3" id="assessment-title">
              {t('mailings.assessment.title')}
            </Title>
            {canAssess && (
              <Button variant="light" onClick={() => assess.mutate({ id, lang })} loading={assess.isPending}>
                {assessment ? t('mailings.assessment.rerun') : t('mailings.assessment.run')}
              </Button>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('mailings.assessment.intro')}
          </Text>
          {detail.assessment && (
            <Text size="xs" c="dimmed">
              {t('mailings.assessment.assessedAt', {
                at: formatDateTime(detail.assessment.assessedAt, lang),
              })}
            </Text>
          )}
          {(look.isFetching || assess.isPending) && !assessment && (
            <Loader size="sm" aria-label={t('app.loading')} />
          )}
          {look.isError && <ErrorNotice error={look.error} onRetry={() => void look.refetch()} />}
          {assess.isError && <ErrorNotice error={assess.error} onRetry={() => assess.mutate({ id, lang })} />}
          {blocked && (
            <Alert color="red" role="alert" title={t('mailings.assessment.blockedTitle')}>
              <Stack gap="xs">
                <Text size="sm">{t('mailings.assessment.blockedIntro')}</Text>
                <List size="sm">
                  {blockingReasons.map((reason) => (
                    <List.Item key={reason.code}>{reason.text}</List.Item>
                  ))}
                </List>
              </Stack>
            </Alert>
          )}
          {assessment && <AssessmentPanel assessment={assessment} />}
          {!assessment && detail.assessment && (
            // A sent or cancelled mailing is not assessed again: show what the stored assessment said.
            <Group gap="lg" role="list" aria-label={t('mailings.assessment.title')}>
              <Group gap="xs" role="listitem">
                <Text size="sm">{t('mailings.assessment.classification')}:</Text>
                <ClassificationBadge code={detail.assessment.classification} />
              </Group>
              <Text size="sm" role="listitem">
                {t('mailings.assessment.included')}: <b>{detail.assessment.included.toLocaleString(lang)}</b>
              </Text>
              <Text size="sm" role="listitem">
                {t('mailings.assessment.excluded')}: <b>{detail.assessment.excluded.toLocaleString(lang)}</b>
              </Text>
              <Text size="sm" role="listitem">
                {t('mailings.assessment.needsAck')}:{' '}
                <b>{detail.assessment.needsAcknowledgement.toLocaleString(lang)}</b>
              </Text>
            </Group>
          )}
          {(assessment?.counts.needsAcknowledgement ?? 0) > 0 && canAssess && !blocked && (
            <Group>
              <Button color="#c2410c" onClick={() => setAckOpen(true)}>
                {t('mailings.ack.open')}
              </Button>
            </Group>
          )}
          {signed.length > 0 && (
            <Group gap="xs">
              {signed.map((item) => (
                <Group key={item.id} gap={6}>
                  <Badge color="teal" variant="light">
                    {t('mailings.ack.signedBadge')}: {item.signerName}, {formatDateTime(item.signedAt, lang)}
                  </Badge>
                  <Anchor href={routeHref('acknowledgements', item.id)} size="sm">
                    {t('mailings.ack.view')} ({item.verificationCode})
                  </Anchor>
                </Group>
              ))}
            </Group>
          )}
        </Stack>
      </Card>

      <SendPanel
        mailing={mailing}
        included={assessment?.counts.included}
        blocked={blocked}
        smtpName={profile?.name ?? ''}
        onChanged={refresh}
      />
      <ResultsPanel
        mailingId={id}
        deliveries={mailing.deliveries}
        uncertain={detail.uncertain}
        onChanged={refresh}
      />

      {ackOpen && (
        <AcknowledgementDialog
          mailingId={id}
          opened={ackOpen}
          onClose={() => setAckOpen(false)}
          onSigned={(signedAck) => {
            setAckOpen(false);
            notifications.show({
              color: 'teal',
              title: t('mailings.ack.signed'),
              message: `${t('mailings.ack.signedText', { code: signedAck.verificationCode })}${signedAck.keyCreated ? ` ${t('mailings.ack.keyCreated')}` : ''}`,
              autoClose: 10_000,
            });
            void look.refetch();
            void refresh();
          }}
        />
      )}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}
