import { Alert, Button, Card, Group, Modal, Progress, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { useSendControls, useSendJob } from './queries.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useUiLanguage } from '../../components/ui-language.js';

export type MailingView = RouterOutputs['mailings']['create'];

/** Deliveries still waiting for the outbox; everything else has been handled one way or another. */
function handledCount(deliveries: MailingView['deliveries']): number {
  return deliveries.total - deliveries.QUEUED - deliveries.SENDING - deliveries.DEFERRED;
}

/**
 * Sending: the start (after a confirmation naming how many and through which server), live progress while
 * the outbox works (the mailing's counts, polled), pause, resume and cancel. The send itself is a job in
 * the api; this panel follows both the job (for its error) and the mailing (for the counts).
 */
export function SendPanel({
  mailing,
  included,
  blocked = false,
  smtpName,
  onChanged,
}: {
  mailing: MailingView;
  included: number | undefined;
  /** The assessment blocks the whole mailing (a mailing rule): sending is not offered. */
  blocked?: boolean;
  smtpName: string;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const [confirming, setConfirming] = useState<'send' | 'cancel' | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const { send, resume, pause, cancel } = useSendControls(onChanged, setJobId);
  const job = useSendJob(jobId);
  const jobState = job.data?.state;
  // When the job ends the mailing's status changed (SENT, PAUSED …): read it again.
  useEffect(() => {
    if (jobState && jobState !== 'running') void onChanged();
  }, [jobState, onChanged]);

  const status = mailing.status;
  const deliveries = mailing.deliveries;
  const handled = handledCount(deliveries);
  const percent = deliveries.total > 0 ? Math.round((handled / deliveries.total) * 100) : 0;
  const finished = status === 'SENT' || status === 'CANCELLED' || status === 'PAUSED';
  // The job may still be winding down for a moment after the mailing's status says it is done.
  const sending = status === 'QUEUED' || status === 'SENDING' || (jobState === 'running' && !finished);
  const canStart = (status === 'DRAFT' || status === 'ASSESSED') && jobId === null;
  const error = send.error ?? resume.error ?? pause.error ?? cancel.error;
  const jobError = job.data?.error;
  return (
    <Card withBorder component="section" aria-labelledby="send-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="send-title">
          {t('mailings.send.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('mailings.send.intro')}
        </Text>
        {deliveries.total > 0 && (
          <>
            <Progress
              value={percent}
              size="xl"
              animated={sending}
              aria-label={t('mailings.send.progressLabel')}
              aria-valuetext={t('mailings.send.progress', { done: handled, total: deliveries.total })}
            />
            <Text size="sm" aria-live="polite" data-testid="send-progress">
              {t('mailings.send.progress', {
                done: handled.toLocaleString(lang),
                total: deliveries.total.toLocaleString(lang),
              })}
            </Text>
          </>
        )}
        {status === 'SENT' && (
          <Alert color="teal" role="status">
            {t('mailings.send.finished')}
          </Alert>
        )}
        {status === 'PAUSED' && (
          <Alert color="yellow" role="status">
            {t('mailings.send.paused')}
          </Alert>
        )}
        {status === 'CANCELLED' && (
          <Alert color="gray" role="status">
            {t('mailings.send.cancelled', { count: deliveries.CANCELLED })}
          </Alert>
        )}
        {mailing.lastError && (
          <Alert color="red" role="alert" title={t('mailings.detail.lastError')}>
            {mailing.lastError.code}: {mailing.lastError.message}
          </Alert>
        )}
        {jobError && (
          <Alert color="red" role="alert" title={t('app.error')}>
            {jobError.text ? jobError.text[lang] : jobError.message}
          </Alert>
        )}
        {error && <ErrorNotice error={error} />}
        <Group>
          {canStart && (
            <Button
              onClick={() => setConfirming('send')}
              disabled={blocked || included === undefined || included === 0}
              loading={send.isPending}
            >
              {t('mailings.send.start')}
            </Button>
          )}
          {canStart && included === undefined && (
            <Text size="sm" c="dimmed">
              {t('mailings.send.needsAssessment')}
            </Text>
          )}
          {sending && (
            <Button
              variant="light"
              color="yellow"
              onClick={() => pause.mutate({ id: mailing.id })}
              loading={pause.isPending}
            >
              {t('mailings.send.pause')}
            </Button>
          )}
          {status === 'PAUSED' && !sending && (
            <Button
              variant="light"
              onClick={() => resume.mutate({ id: mailing.id })}
              loading={resume.isPending}
            >
              {t('mailings.send.resume')}
            </Button>
          )}
          {(sending || status === 'PAUSED') && (
            <Button
              variant="light"
              color="red"
              onClick={() => setConfirming('cancel')}
              loading={cancel.isPending}
            >
              {t('mailings.send.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
      <Modal
        opened={confirming === 'send'}
        onClose={() => setConfirming(null)}
        title={t('mailings.send.confirmTitle')}
      >
        <Stack>
          <Text>{t('mailings.send.confirmText', { count: included ?? 0, smtp: smtpName })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t('mailings.ack.cancel')}
            </Button>
            <Button
              data-autofocus
              onClick={() => {
                setConfirming(null);
                send.mutate({ id: mailing.id });
              }}
            >
              {t('mailings.send.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={confirming === 'cancel'}
        onClose={() => setConfirming(null)}
        title={t('mailings.send.cancel')}
      >
        <Stack>
          <Text>{t('mailings.send.cancelConfirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t('mailings.ack.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirming(null);
                cancel.mutate({ id: mailing.id });
              }}
            >
              {t('mailings.send.cancelYes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
