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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Fact } from '../../components/fact.js';
import { AcknowledgementDialog } from './acknowledgement-dialog.js';
import { AssessmentPanel, ClassificationBadge } from './assessment-panel.js';
import { MailingStatusBadge } from './mailing-status-badge.js';
import { MessageCheckPanel } from './message-check-panel.js';
import {
  useAssessMailing,
  useDuplicateMailing,
  useMailingAssessment,
  useMailingStatus,
  useRefreshMailing,
} from './queries.js';
import { useAcknowledgements } from '../acknowledgements/queries.js';
import { useEntities, useLists, useSmtpProfiles } from '../settings/queries.js';
import { ResultsPanel } from './results-panel.js';
import { SendPanel } from './send-panel.js';
import { formatDateTime, useUiLanguage } from '../../components/ui-language.js';

const ASSESSABLE_STATUSES = new Set(['DRAFT', 'ASSESSED', 'PAUSED']);
/** A mailing not yet queued can be edited; every mailing can be copied into a new draft. */
const EDITABLE_STATUSES = new Set(['DRAFT', 'ASSESSED']);

/** One mailing: its facts, the assessment, the acknowledgement, sending with progress, and the results. */
export function MailingDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const status = useMailingStatus(id);
  const entities = useEntities();
  const lists = useLists();
  const profiles = useSmtpProfiles();
  const acknowledgements = useAcknowledgements({ mailingId: id });
  const assess = useAssessMailing(id);
  const [ackOpen, setAckOpen] = useState(false);
  const duplicate = useDuplicateMailing((copy) => {
    notifications.show({
      color: 'teal',
      message: t('mailings.detail.duplicated', { name: copy.name }),
      closeButtonProps: { 'aria-label': t('mailings.detail.closeNotice') },
    });
    navigate('mailings', copy.id);
  });
  const detail = status.data;
  const mailing = detail?.mailing;

  // The page shows who gets the mailing on arrival without asking: a look that writes nothing (the owner's
  // "assess again" records one). It holds both languages, so a language switch only re-renders.
  const canAssess = mailing !== undefined && ASSESSABLE_STATUSES.has(mailing.status);
  const look = useMailingAssessment(id, canAssess);

  const refresh = useRefreshMailing(id);

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
      <Group justify="space-between" align="start">
        <Group gap="sm">
          <Title order={1}>{mailing.name}</Title>
          <MailingStatusBadge status={mailing.status} />
        </Group>
        <Group gap="sm">
          {EDITABLE_STATUSES.has(mailing.status) && (
            <Button variant="light" component="a" href={routeHref('mailings', mailing.id, 'edit')}>
              {t('mailings.detail.edit')}
            </Button>
          )}
          <Button
            variant="light"
            loading={duplicate.isPending}
            onClick={() =>
              duplicate.mutate({
                id: mailing.id,
                name: t('mailings.detail.copyName', { name: mailing.name }).slice(0, 200),
              })
            }
          >
            {t('mailings.detail.duplicate')}
          </Button>
        </Group>
      </Group>
      {duplicate.isError && <ErrorNotice error={duplicate.error} />}
      <Text fw={600}>{mailing.subjectInWords[lang]}</Text>
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
              <Button color="orange" onClick={() => setAckOpen(true)}>
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

      <MessageCheckPanel
        mailingId={id}
        ownAddresses={[
          ...new Set(
            [entity?.contactEmail, profile?.fromAddress, profile?.replyTo].filter(
              (address): address is string => Boolean(address),
            ),
          ),
        ]}
      />
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
